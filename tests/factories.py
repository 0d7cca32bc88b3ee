"""factory-boy factories for every model the tests need."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from participants.models import Consent, Membership, Role, User
from workshops.evaluation.models import Choice, Form, Question
from workshops.models import Activity, Attendance, Programme, Session, new_join_code

STAFF_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    """Someone who joins by code: no email, no password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    display_name = factory.Faker("name", locale="en_GB")
    password = factory.LazyFunction(lambda: "!unusable")


class StaffUserFactory(UserFactory):
    """Someone who signs in with an email and password."""

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", STAFF_PASSWORD)  # type: ignore[assignment]

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class ProgrammeFactory(DjangoModelFactory[Programme]):
    """A programme at a site."""

    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Keeping it Personal {n}")
    site = "Dumfries and Galloway"
    focus = "Living with dementia"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=355))


class MembershipFactory(DjangoModelFactory[Membership]):
    """A person's role in a programme."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.LIVED_EXPERIENCE

    @factory.post_generation
    def consented(obj: Membership, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Has answered yes to everything on the consent page, unless consented=False (an
        invitation never has)."""
        if create and extracted is not False and not obj.invited:
            Consent.objects.create(
                membership=obj, take_part=True, quotes=True, contact=True, photos=True
            )


class SessionFactory(DjangoModelFactory[Session]):
    """A scheduled session starting in an hour."""

    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Session {n + 1}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    join_code = factory.LazyFunction(new_join_code)


class LiveSessionFactory(SessionFactory):
    """A session that is live now."""

    status = Session.Status.LIVE
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=20))
    opened_at = factory.LazyFunction(timezone.now)


class ActivityFactory(DjangoModelFactory[Activity]):
    """An item on an agenda."""

    class Meta:
        model = Activity

    session = factory.SubFactory(SessionFactory)
    kind = Activity.Kind.DISCUSSION
    title = factory.Sequence(lambda n: f"Activity {n}")
    timebox_minutes = 15
    order = factory.Sequence(lambda n: n)


class AttendanceFactory(DjangoModelFactory[Attendance]):
    """A person admitted to a session."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(LiveSessionFactory)
    user = factory.SubFactory(UserFactory)
    admission = Attendance.Admission.ADMITTED
    checked_in_at = factory.LazyFunction(timezone.now)


class FormFactory(DjangoModelFactory[Form]):
    """A custom form of a programme, open, with no questions yet."""

    class Meta:
        model = Form

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Form.Kind.CUSTOM
    title = factory.Sequence(lambda n: f"Form {n}")


class QuestionFactory(DjangoModelFactory[Question]):
    """A required rating question at the end of its form."""

    class Meta:
        model = Question

    form = factory.SubFactory(FormFactory)
    kind = Question.Kind.RATING
    text = factory.Sequence(lambda n: f"Question {n}")
    order = factory.Sequence(lambda n: n)


class ChoiceQuestionFactory(QuestionFactory):
    """A single-choice question; its options: ChoiceQuestionFactory(options=["Yes", "No"])."""

    class Meta:
        skip_postgeneration_save = True

    kind = Question.Kind.SINGLE

    @factory.post_generation
    def options(obj: Question, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            for i, text in enumerate(["Yes", "No", "Not sure"] if extracted is None else extracted):
                Choice.objects.create(question=obj, order=i, text=text)


class ChoiceFactory(DjangoModelFactory[Choice]):
    """One option of a choice question."""

    class Meta:
        model = Choice

    question = factory.SubFactory(ChoiceQuestionFactory, options=[])
    text = factory.Sequence(lambda n: f"Option {n}")
    order = factory.Sequence(lambda n: n)
