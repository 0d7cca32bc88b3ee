"""Follow-ups: baseline at session 1, follow-up N months later; who is due and overdue; a list
to print for people without email; the instruments' copyright lines as their owners word them."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Role
from tests.factories import MembershipFactory, SessionFactory, StaffUserFactory, UserFactory
from workshops.evaluation import instruments, selectors, services
from workshops.evaluation.models import FollowUp
from workshops.models import Session

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def first_session(programme: Any) -> Any:
    return SessionFactory(
        programme=programme, number=1, starts_at=datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    )


def test_the_follow_up_is_months_after_session_one_ending_at_a_short_months_end(
    programme: Any, first_session: Any
) -> None:
    plan = services.follow_up_set(programme=programme, months=1)
    assert (plan.baseline_on, plan.follow_up_on) == (date(2026, 1, 31), date(2026, 2, 28))
    plan = services.follow_up_set(programme=programme, months=6)
    assert (plan.baseline_on, plan.follow_up_on) == (date(2026, 1, 31), date(2026, 7, 31))
    assert FollowUp.objects.count() == 1


def test_without_sessions_the_baseline_is_the_programmes_start(programme: Any) -> None:
    plan = services.follow_up_set(programme=programme, months=12)
    assert plan.baseline_on == programme.starts_on


def test_a_follow_up_set_before_any_session_follows_session_one_once_it_is_scheduled(
    programme: Any, organiser: Any
) -> None:
    services.follow_up_set(programme=programme, months=3)  # no session yet
    first = SessionFactory(
        programme=programme, number=1, starts_at=datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    )
    plan = selectors.follow_up_plan(programme=programme)
    assert plan is not None
    assert (plan.baseline_on, plan.follow_up_on) == (date(2026, 1, 31), date(2026, 4, 30))
    due = selectors.follow_ups_due(programme=programme, today=date(2026, 4, 20))
    assert [(d.label, d.due_on, d.status) for d in due] == [
        ("Baseline", date(2026, 1, 31), "Overdue"),
        ("Follow-up", date(2026, 4, 30), "Due now"),
    ]
    page = as_user(organiser).get(reverse("evaluation_plan", args=[programme.pk])).content
    assert "Due 31 January 2026 (session 1)" in page.decode()
    assert "Due 30 April 2026 (3 months later)" in page.decode()
    # Session 1 moved a week later: both dates move with it.
    Session.objects.filter(pk=first.pk).update(
        starts_at=datetime(2026, 2, 7, 10, 0, tzinfo=UTC),
        ends_at=datetime(2026, 2, 7, 12, 0, tzinfo=UTC),
    )
    plan = selectors.follow_up_plan(programme=programme)
    assert plan is not None
    assert (plan.baseline_on, plan.follow_up_on) == (date(2026, 2, 7), date(2026, 5, 7))


def test_an_organiser_sets_the_follow_up_on_the_plan_page_and_bad_input_changes_nothing(
    programme: Any, organiser: Any, facilitator: Any, first_session: Any
) -> None:
    url = reverse("follow_up_set", args=[programme.pk])
    client = as_user(organiser)
    assert client.post(url, {"months": "9"}).status_code == 302
    for bad, message in (
        ("0", "Enter a number of months from 1 to 36"),
        ("37", "Enter a number of months from 1 to 36"),
        ("six", "Enter a whole number of months, like 6"),
        ("", "Enter the number of months"),
    ):
        response = client.post(url, {"months": bad})
        assert response.status_code == 400 and message in response.content.decode()
    assert as_user(facilitator).post(url, {"months": "3"}).status_code == 404
    plan = FollowUp.objects.get()
    assert (plan.months_after, plan.follow_up_on) == (9, date(2026, 10, 31))
    page = client.get(reverse("evaluation_plan", args=[programme.pk])).content.decode()
    assert "Due 31 October 2026 (9 months later)" in page


def test_who_is_due_and_overdue_at_each_timepoint(
    programme: Any, organiser: Any, first_session: Any
) -> None:
    answered = UserFactory(display_name="Ann Answered")
    waiting = UserFactory(display_name="Bob Waiting")
    gone = UserFactory(display_name="Cat Gone")
    MembershipFactory(user=answered, programme=programme, role=Role.CARER)
    MembershipFactory(user=waiting, programme=programme, role=Role.LIVED_EXPERIENCE)
    MembershipFactory(user=gone, programme=programme, role=Role.CARER, left_on=date(2026, 1, 1))
    services.licence_record(
        programme=programme,
        instrument="swemwbs",
        licence_holder="The partnership",
        reference="S-1",
        licensed_on=date(2026, 1, 1),
        by=organiser,
    )
    baseline = services.instrument_form_create(
        programme=programme, instrument="swemwbs", timepoint="baseline"
    )
    services.response_submit(
        form=baseline,
        person=answered,
        answers={q.field_name: "3" for q in baseline.questions.all()},
    )
    services.follow_up_set(programme=programme, months=6)

    early = selectors.follow_ups_due(programme=programme, today=date(2026, 2, 10))
    assert [(d.label, d.status, [p.display_name for p in d.waiting]) for d in early] == [
        ("Baseline", "Overdue", ["Bob Waiting"]),
        ("Follow-up", "Not due yet", ["Ann Answered", "Bob Waiting"]),
    ]
    later = selectors.follow_ups_due(programme=programme, today=date(2026, 7, 20))
    assert later[1].status == "Due now"
    assert selectors.follow_ups_due(programme=programme, today=date(2026, 7, 31))[1].status == (
        "Due now"
    )
    assert selectors.follow_ups_due(programme=programme, today=date(2026, 8, 1))[1].status == (
        "Overdue"
    )


def licensed_baseline(programme: Any, organiser: Any) -> Any:
    services.licence_record(
        programme=programme,
        instrument="swemwbs",
        licence_holder="The partnership",
        reference="S-1",
        licensed_on=date(2026, 1, 1),
        by=organiser,
    )
    return services.instrument_form_create(
        programme=programme, instrument="swemwbs", timepoint="baseline"
    )


def test_a_timepoint_everyone_has_answered_is_done_not_overdue(
    programme: Any, organiser: Any, first_session: Any
) -> None:
    ann = UserFactory(display_name="Ann Answered")
    MembershipFactory(user=ann, programme=programme, role=Role.CARER)
    baseline = licensed_baseline(programme, organiser)
    services.follow_up_set(programme=programme, months=6)
    before = selectors.follow_ups_due(programme=programme, today=date(2026, 2, 10))
    assert [(d.status, d.done) for d in before] == [("Overdue", False), ("Not due yet", False)]
    services.response_submit(
        form=baseline, person=ann, answers={q.field_name: "3" for q in baseline.questions.all()}
    )
    # Long past the baseline's day, and past the follow-up's too for nobody answered it.
    after = selectors.follow_ups_due(programme=programme, today=date(2026, 9, 1))
    assert [(d.label, d.status, d.done, d.waiting) for d in after] == [
        ("Baseline", "Done", True, []),
        ("Follow-up", "Overdue", False, [ann]),
    ]
    client = as_user(organiser)
    for name in ("evaluation_plan", "follow_up_list"):
        html = client.get(reverse(name, args=[programme.pk])).content.decode()
        assert "Baseline: done (due 31 January 2026)" in html, name
        assert "Baseline: overdue" not in html, name
        assert "Everyone has answered." in html, name


def test_with_nobody_to_ask_a_timepoint_is_not_done_and_does_not_say_everyone_answered(
    programme: Any, organiser: Any, first_session: Any
) -> None:
    services.follow_up_set(programme=programme, months=6)
    [baseline, _follow_up] = selectors.follow_ups_due(programme=programme, today=date(2026, 2, 10))
    assert (baseline.status, baseline.done, baseline.waiting) == ("Overdue", False, [])
    html = as_user(organiser).get(reverse("evaluation_plan", args=[programme.pk])).content.decode()
    assert "Everyone has answered." not in html
    assert "Nobody to ask yet" in html


def test_the_printable_list_is_for_staff_and_says_who_has_no_email(
    programme: Any, facilitator: Any, person: Any, first_session: Any
) -> None:
    emailed = StaffUserFactory(display_name="Eve Emailed")
    MembershipFactory(user=emailed, programme=programme, role=Role.CARER)
    url = reverse("follow_up_list", args=[programme.pk])
    assert "No follow-up has been set yet" in as_user(facilitator).get(url).content.decode()
    services.follow_up_set(programme=programme, months=6)
    html = as_user(facilitator).get(url).content.decode()
    assert "Jean Robertson" in html and "Eve Emailed" in html
    assert "No email: ask in person or by phone" in html and "Has email" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Fiona Facilitator" not in main  # staff are not measured
    assert as_user(person).get(url).status_code == 404


def test_someone_only_invited_is_not_waiting_and_their_own_name_never_shows(
    programme: Any, organiser: Any, person: Any, first_session: Any
) -> None:
    # Their account belongs to them (and maybe to another programme): until they accept, the
    # programme sees only the name the organiser typed, and does not measure or remind them.
    invitee = UserFactory(display_name="Private Account Name", email="private@example.org")
    MembershipFactory(
        user=invitee, programme=programme, role=Role.CARER, invited=True, invited_name="Typed"
    )
    services.follow_up_set(programme=programme, months=6)
    [baseline, _follow_up] = selectors.follow_ups_due(programme=programme, today=date(2026, 2, 10))
    assert [u.display_name for u in baseline.waiting] == ["Jean Robertson"]
    for name in ("evaluation_plan", "follow_up_list"):
        html = as_user(organiser).get(reverse(name, args=[programme.pk])).content.decode()
        assert "Jean Robertson" in html and "Private Account Name" not in html, name


def test_the_copyright_lines_are_worded_as_the_owners_require() -> None:
    assert instruments.WEMWBS.copyright == (
        "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, University "
        "of Warwick and University of Edinburgh, 2006, all rights reserved."
    )
    assert instruments.SWEMWBS.copyright == (
        "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
        "University of Warwick and University of Edinburgh, 2008, all rights reserved."
    )


def remind(client: Client, programme: Any, on_commit: Any) -> Any:
    with on_commit(execute=True):
        return client.post(reverse("follow_up_remind", args=[programme.pk]), follow=True)


def test_reminders_email_only_people_due_with_an_address_and_a_yes_to_contact(
    programme: Any,
    organiser: Any,
    first_session: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from participants.models import Consent

    on_commit = django_capture_on_commit_callbacks

    def member(name: str, email: str | None, contact: bool) -> Any:
        user = UserFactory(display_name=name, email=email)
        membership = MembershipFactory(user=user, programme=programme, role=Role.CARER)
        Consent.objects.create(
            membership=membership, take_part=True, quotes=True, contact=contact, photos=True
        )
        return user

    yes = member("Yes Contact", "yes@example.org", True)
    member("No Contact", "no@example.org", False)
    member("No Email", None, True)
    services.follow_up_set(programme=programme, months=6)  # the baseline is overdue
    page = remind(as_user(organiser), programme, on_commit).content.decode()
    assert [m.to for m in mailoutbox] == [[yes.email]]
    assert "Yes Contact" in mailoutbox[0].body and programme.name in mailoutbox[0].subject
    assert "Reminders emailed to 1 person." in page
    assert "cannot be emailed" in page
    # A second press the same week emails nobody again.
    page = remind(as_user(organiser), programme, on_commit).content.decode()
    assert len(mailoutbox) == 1 and "had a reminder in the last week" in page
    listed = as_user(organiser).get(reverse("follow_up_list", args=[programme.pk]))
    assert "Said no to being contacted" in listed.content.decode()


def test_only_the_programmes_organisers_send_reminders(
    programme: Any, other_programme: Any, facilitator: Any, first_session: Any, mailoutbox: Any
) -> None:
    services.follow_up_set(programme=programme, months=6)
    stranger = StaffUserFactory(display_name="Other Organiser")
    MembershipFactory(user=stranger, programme=other_programme, role=Role.ORGANISER)
    url = reverse("follow_up_remind", args=[programme.pk])
    assert as_user(stranger).post(url).status_code == 404
    assert as_user(facilitator).post(url).status_code == 404
    assert as_user(stranger).get(url).status_code in (404, 405)
    assert mailoutbox == []


def test_a_contributor_is_due_a_measure_only_in_their_own_programme_and_until_they_answer(
    programme: Any, other_programme: Any, organiser: Any, first_session: Any
) -> None:
    ann = UserFactory(display_name="Ann Carer")
    MembershipFactory(user=ann, programme=programme, role=Role.CARER)
    # Not due before there is a measure to answer.
    assert selectors.measures_due_for(user=ann, today=date(2026, 1, 20)) == []
    baseline = licensed_baseline(programme, organiser)
    # Session 1 is on 31 January: the baseline is due from two weeks before.
    assert selectors.measures_due_for(user=ann, today=date(2026, 1, 16)) == []
    [due] = selectors.measures_due_for(user=ann, today=date(2026, 1, 17))
    assert (due.form, due.title, due.items) == (baseline, "Wellbeing questions — at the start", 7)
    assert due.instrument_name == "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)"
    # Another programme's measure, due too, never shows: Ann is not in it.
    other_organiser = StaffUserFactory(display_name="Otto Other")
    MembershipFactory(user=other_organiser, programme=other_programme, role=Role.ORGANISER)
    SessionFactory(
        programme=other_programme, number=1, starts_at=datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    )
    licensed_baseline(other_programme, other_organiser)
    assert [m.form for m in selectors.measures_due_for(user=ann, today=date(2026, 2, 1))] == [
        baseline
    ]
    # Staff, people who left and people only invited are not asked.
    for role, extra in ((Role.PRACTITIONER, {}), (Role.CARER, {"left_on": date(2026, 1, 2)})):
        someone = UserFactory()
        MembershipFactory(user=someone, programme=programme, role=role, **extra)
        assert selectors.measures_due_for(user=someone, today=date(2026, 2, 1)) == []
    invited = UserFactory()
    MembershipFactory(user=invited, programme=programme, role=Role.CARER, invited=True)
    assert selectors.measures_due_for(user=invited, today=date(2026, 2, 1)) == []
    # Answered: nothing more is due until the follow-up, 6 months after session 1.
    services.response_submit(
        form=baseline, person=ann, answers={q.field_name: "3" for q in baseline.questions.all()}
    )
    assert selectors.measures_due_for(user=ann, today=date(2026, 2, 1)) == []
    services.follow_up_set(programme=programme, months=6)
    follow_up = services.instrument_form_create(
        programme=programme, instrument="swemwbs", timepoint="follow_up"
    )
    assert selectors.measures_due_for(user=ann, today=date(2026, 7, 1)) == []
    [due] = selectors.measures_due_for(user=ann, today=date(2026, 7, 20))
    assert (due.form, due.title) == (follow_up, "Wellbeing questions — some months on")


def test_the_start_page_links_to_the_measure_due_and_never_to_another_programmes(
    programme: Any, other_programme: Any, organiser: Any, person: Any, first_session: Any
) -> None:
    baseline = licensed_baseline(programme, organiser)
    link = reverse("measure", args=[baseline.pk])
    home = as_user(person).get(reverse("home")).content.decode()
    assert "Answer the wellbeing questions" in home and f'href="{link}"' in home
    assert "7 questions about how you have been feeling" in home
    stranger = UserFactory(display_name="Other Person")
    MembershipFactory(user=stranger, programme=other_programme, role=Role.LIVED_EXPERIENCE)
    elsewhere = as_user(stranger).get(reverse("home")).content.decode()
    assert "Answer the wellbeing questions" not in elsewhere and link not in elsewhere
    assert "Answer the wellbeing questions" not in as_user(organiser).get("/").content.decode()
    services.response_submit(
        form=baseline, person=person, answers={q.field_name: "3" for q in baseline.questions.all()}
    )
    assert "Answer the wellbeing questions" not in as_user(person).get("/").content.decode()


def test_people_answering_see_plain_words_with_the_instruments_name_small_beneath(
    programme: Any, organiser: Any, person: Any, first_session: Any
) -> None:
    baseline = licensed_baseline(programme, organiser)
    forms_page = as_user(person).get(reverse("forms", args=[programme.pk])).content.decode()
    assert ">Wellbeing questions — at the start</a>" in forms_page
    assert "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)</span>" in forms_page
    assert baseline.title not in forms_page
    page = as_user(person).get(reverse("measure", args=[baseline.pk])).content.decode()
    assert "<title>Wellbeing questions — at the start" in page
    h1 = page.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "Wellbeing questions — at the start" in h1 and "Warwick" not in h1
    assert (
        '<p class="govuk-body-s comhla-muted" data-instrument-name>'
        "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)</p>"
    ) in page
    # The owners' copyright line stays on the page where the items are.
    assert instruments.SWEMWBS.copyright in page
    # Organisers still find it by its full name among the programme's measures.
    wellbeing = as_user(organiser).get(reverse("wellbeing", args=[programme.pk]))
    assert baseline.title in wellbeing.content.decode()
