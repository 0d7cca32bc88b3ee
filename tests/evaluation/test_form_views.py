"""Form builder, answer page, session report and the supported flag, through their pages."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import Role
from tests.factories import (
    AttendanceFactory,
    ChoiceQuestionFactory,
    FormFactory,
    MembershipFactory,
    QuestionFactory,
    UserFactory,
)
from workshops.evaluation import services
from workshops.evaluation.models import Answer, Form, Question, Response, ResponseReceipt

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_organiser_makes_and_builds_a_form(programme: Any, organiser: Any) -> None:
    client = as_user(organiser)
    made = client.post(
        reverse("forms", args=[programme.pk]),
        {"title": "Getting here", "anonymous": "1", "closes_on": "2099-01-31"},
    )
    form = Form.objects.get(kind="custom")
    assert made.status_code == 302 and made["Location"] == reverse("form_build", args=[form.pk])
    assert form.anonymous and form.closes_at is not None
    build = reverse("form_build", args=[form.pk])
    client.post(
        build,
        {
            "kind": "single",
            "text": "How did you travel?",
            "options": "Bus\r\nCar\r\n",
            "required": "1",
        },
    )
    client.post(
        build,
        {"kind": "multiple", "text": "What helped?", "help_text": "Tick all", "options": "A\nB\nC"},
    )
    page = client.get(build).content.decode()
    assert "How did you travel?" in page and "Multiple choice" in page and "Help: Tick all" in page
    single, multiple = form.questions.all()
    assert single.required and not multiple.required
    assert multiple.choices.count() == 3
    moved = client.post(reverse("question_edit", args=[form.pk, multiple.pk]), {"what": "up"})
    assert moved.status_code == 302
    assert list(form.questions.values_list("text", flat=True)) == [
        "What helped?",
        "How did you travel?",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "single", "text": "Travel?", "options": "Bus"}, "at least two options"),
        ({"kind": "single", "text": "", "options": "Bus\nCar"}, "Enter the question"),
        ({"kind": "item", "text": "Sneaky"}, "kind of question"),
    ],
)
def test_bad_questions_get_400_with_a_clear_message_and_nothing_saved(
    programme: Any, facilitator: Any, data: dict[str, str], message: str
) -> None:
    form = FormFactory(programme=programme)
    response = as_user(facilitator).post(reverse("form_build", args=[form.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "There is a problem" in body
    assert not Question.objects.exists()


def test_a_form_without_a_title_is_refused(programme: Any, organiser: Any) -> None:
    response = as_user(organiser).post(reverse("forms", args=[programme.pk]), {"title": " "})
    assert response.status_code == 400 and "Enter a title" in response.content.decode()
    bad_date = as_user(organiser).post(
        reverse("forms", args=[programme.pk]), {"title": "X", "closes_on": "31/01/2099"}
    )
    assert bad_date.status_code == 400 and "real date" in bad_date.content.decode()
    past = as_user(organiser).post(
        reverse("forms", args=[programme.pk]), {"title": "X", "closes_on": "2001-01-31"}
    )
    body = past.content.decode()
    # The summary's link lands on the date field, which shows the message too.
    assert 'href="#closes_at-group"' in body
    assert 'govuk-form-group--error" id="closes_at-group"' in body
    assert body.count("The closing date must be in the future") == 2
    assert not Form.objects.exists()


def test_the_builder_refuses_instruments_and_answered_questions(
    programme: Any, organiser: Any, person: Any
) -> None:
    services.licence_record(
        programme=programme,
        instrument="wemwbs",
        licence_holder="x",
        reference="y",
        licensed_on=timezone.localdate(),
        by=organiser,
    )
    measure = services.instrument_form_create(
        programme=programme, instrument="wemwbs", timepoint="baseline"
    )
    client = as_user(organiser)
    page = client.get(reverse("form_build", args=[measure.pk])).content.decode()
    assert "cannot be changed" in page and "Add a question" not in page
    refused = client.post(reverse("form_build", args=[measure.pk]), {"kind": "rating", "text": "X"})
    assert refused.status_code == 400 and "as published" in refused.content.decode()
    assert measure.questions.count() == 14
    question = ChoiceQuestionFactory(form__programme=programme)
    services.response_submit(
        form=question.form,
        person=person,
        answers={question.field_name: str(question.choices.first().pk)},
    )
    removal = client.post(
        reverse("question_edit", args=[question.form_id, question.pk]), {"what": "remove"}
    )
    assert removal.status_code == 400 and "cannot be removed" in removal.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_only_staff_build_and_everyone_else_gets_404(
    programme: Any, person: Any, outsider: Any, facilitator: Any
) -> None:
    form = FormFactory(programme=programme)
    question = QuestionFactory(form=form)
    for user in (person, outsider):
        client = as_user(user)
        assert client.get(reverse("form_build", args=[form.pk])).status_code == 404
        assert client.post(reverse("form_build", args=[form.pk]), {}).status_code == 404
        edit = reverse("question_edit", args=[form.pk, question.pk])
        assert client.post(edit, {"what": "remove"}).status_code == 404
        assert client.get(reverse("feedback_questions", args=[programme.pk])).status_code == 404
    assert (
        as_user(person).post(reverse("forms", args=[programme.pk]), {"title": "X"}).status_code
        == 404
    )
    assert as_user(outsider).get(reverse("form_answer", args=[form.pk])).status_code == 404
    assert as_user(person).get(reverse("form_answer", args=[form.pk])).status_code == 200
    # A question of another form cannot be reached through this one.
    other = QuestionFactory(form=FormFactory(programme=programme))
    edit = reverse("question_edit", args=[form.pk, other.pk])
    assert as_user(facilitator).post(edit, {"what": "remove"}).status_code == 404
    assert Question.objects.filter(pk=other.pk).exists()


def test_the_feedback_questions_page_edits_what_new_sessions_ask(
    programme: Any, organiser: Any
) -> None:
    from tests.factories import SessionFactory

    client = as_user(organiser)
    response = client.get(reverse("feedback_questions", args=[programme.pk]))
    template = Form.objects.get(kind="template")
    assert response["Location"] == reverse("form_build", args=[template.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Feedback questions" in page and "I felt listened to" in page
    first = template.questions.first()
    assert first is not None
    client.post(
        reverse("question_edit", args=[template.pk, first.pk]),
        {"what": "update", "text": "I was listened to", "required": "1"},
    )
    form = services.feedback_form_for(session=SessionFactory(programme=programme))
    assert form.questions.first().text == "I was listened to"  # type: ignore[union-attr]


def choice_form(programme: Any, **kwargs: Any) -> tuple[Any, Any, Any]:
    form = FormFactory(programme=programme, **kwargs)
    single = ChoiceQuestionFactory(form=form, text="How did you travel?", options=["Bus", "Car"])
    multiple = ChoiceQuestionFactory(
        form=form, kind="multiple", required=False, text="What helped?", options=["A", "B", "C"]
    )
    return form, single, multiple


def option(question: Any, text: str) -> str:
    return str(question.choices.get(text=text).pk)


def test_answering_a_form_on_its_page(programme: Any, person: Any) -> None:
    form, single, multiple = choice_form(programme)
    client = as_user(person)
    url = reverse("form_answer", args=[form.pk])
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and 'type="checkbox"' in page
    sent = client.post(
        url,
        {
            single.field_name: option(single, "Car"),
            multiple.field_name: [option(multiple, "A"), option(multiple, "C")],
        },
    )
    assert sent.status_code == 200 and "Thank you" in sent.content.decode()
    again = client.get(url).content.decode()
    assert "You have answered already" in again
    assert f'value="{option(multiple, "C")}" checked' in again
    assert sorted(Answer.objects.values_list("choices__text", flat=True)) == ["A", "C", "Car"]


@pytest.mark.parametrize("bad", [{}, {"single": "999999"}, {"single": "Bus", "multiple": "nope"}])
def test_bad_answers_get_400_and_save_nothing(
    programme: Any, person: Any, bad: dict[str, str]
) -> None:
    form, single, multiple = choice_form(programme)
    data = {}
    for key, value in bad.items():
        question = single if key == "single" else multiple
        data[question.field_name] = option(question, value) if value in ("Bus",) else value
    response = as_user(person).post(reverse("form_answer", args=[form.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "govuk-error-message" in body
    assert not Response.objects.exists()


def test_an_anonymous_form_keeps_no_person_anywhere(
    programme: Any, person: Any, organiser: Any
) -> None:
    form, single, _ = choice_form(programme, anonymous=True)
    text = QuestionFactory(form=form, kind="text", required=False, text="Anything else?")
    client = as_user(person)
    url = reverse("form_answer", args=[form.pk])
    client.post(url, {single.field_name: option(single, "Bus"), text.field_name: "Lovely soup"})
    response = Response.objects.get()
    assert response.person_id is None and response.supported_by_id is None
    assert ResponseReceipt.objects.filter(person=person).exists()
    assert "already answered" in client.get(url).content.decode()
    staff = as_user(organiser)
    for page in (
        reverse("programme_report", args=[programme.pk]),
        reverse("programme_report_csv", args=[programme.pk]),
    ):
        body = staff.get(page).content.decode()
        assert "Lovely soup" in body and person.display_name not in body


def test_a_facilitator_fills_in_a_measure_for_someone_they_help(
    programme: Any, organiser: Any, facilitator: Any, person: Any, carer: Any
) -> None:
    services.licence_record(
        programme=programme,
        instrument="swemwbs",
        licence_holder="x",
        reference="y",
        licensed_on=timezone.localdate(),
        by=organiser,
    )
    measure = services.instrument_form_create(
        programme=programme, instrument="swemwbs", timepoint="baseline"
    )
    data = {f"q{q.pk}": "3" for q in measure.questions.all()}
    url = reverse("measure", args=[measure.pk])
    page = as_user(facilitator).get(url).content.decode()
    assert "Who is answering?" in page and person.display_name in page
    as_user(facilitator).post(url, {**data, "on_behalf_of": str(person.pk)})
    response = Response.objects.get()
    assert response.person == person and response.supported_by == facilitator
    # A participant cannot answer for someone else, but can say who helped.
    refused = as_user(carer).post(url, {**data, "on_behalf_of": str(person.pk)})
    assert refused.status_code == 400 and Response.objects.count() == 1
    assert "Who is answering?" not in as_user(carer).get(url).content.decode()
    as_user(carer).post(url, {**data, "supported": "1", "helper": str(facilitator.pk)})
    helped = Response.objects.get(person=carer)
    assert helped.supported and helped.supported_by == facilitator
    report = as_user(organiser).get(reverse("programme_report", args=[programme.pk]))
    assert "2 of 2 responses" in report.content.decode()


def test_the_session_report(
    live_session: Any,
    organiser: Any,
    facilitator: Any,
    person: Any,
    django_assert_max_num_queries: Any,
) -> None:
    template = services.feedback_template_for(programme=live_session.programme)
    services.question_add(
        form=template, kind="single", text="Will you come back?", options=["Yes", "No"]
    )
    form = services.feedback_form_for(session=live_session)
    come_back = form.questions.get(text="Will you come back?")
    yes = str(come_back.choices.get(text="Yes").pk)
    people = []
    for i in range(6):
        user = UserFactory(display_name=f"Person {i}")
        MembershipFactory(user=user, programme=live_session.programme, role=Role.CARER)
        AttendanceFactory(session=live_session, user=user)
        people.append(user)
    for i, user in enumerate(people[:4]):
        answers = {f"q{q.pk}": "4" for q in form.questions.filter(kind="rating")}
        answers[come_back.field_name] = yes
        answers[f"q{form.questions.get(text='What worked well?').pk}"] = f"Said by {i}"
        services.response_submit(form=form, person=user, answers=answers, supported=i == 0)
    url = reverse("session_report", args=[live_session.pk])
    client = as_user(facilitator)
    # The same whatever the number of questions, options, answers and people (who may be
    # quoted is read once per programme).
    with django_assert_max_num_queries(17):
        page = client.get(url).content.decode()
    assert "67% (4 of 6 who attended)" in page
    assert "Average 4.00 out of 5, from 4 answers." in page
    assert 'data-value="4"' in page and "Said by 3" in page
    assert "1 of 4" in page  # filled in with support
    assert "Person 0" not in page
    csv = as_user(organiser).get(reverse("session_report_csv", args=[live_session.pk]))
    assert "Will you come back?: Yes,4" in csv.content.decode()
    assert as_user(person).get(url).status_code == 404
    detail = as_user(facilitator).get(reverse("session_detail", args=[live_session.pk]))
    assert url in detail.content.decode()


def test_a_custom_forms_words_appear_once_in_the_programme_report(
    programme: Any, organiser: Any, person: Any
) -> None:
    form = services.form_create(programme=programme, title="Getting here")
    question = services.question_add(form=form, kind="text", text="Anything else?")
    services.response_submit(
        form=form, person=person, answers={question.field_name: "A bench by the door"}
    )
    staff = as_user(organiser)
    html = staff.get(reverse("programme_report", args=[programme.pk])).content.decode()
    assert html.count("A bench by the door") == 1
    csv_text = staff.get(reverse("programme_report_csv", args=[programme.pk])).content.decode()
    assert "Form: Getting here,Anything else?,A bench by the door" in csv_text
    assert "Form: Getting here,responses,1" in csv_text


def test_the_builder_changes_a_forms_settings_and_closes_it(
    programme: Any, facilitator: Any, person: Any
) -> None:
    form = FormFactory(programme=programme, title="Getting here")
    question = QuestionFactory(form=form)
    client = as_user(facilitator)
    build = reverse("form_build", args=[form.pk])
    settings_url = reverse("form_settings", args=[form.pk])
    assert "Change the title, closing date or anonymity" in client.get(build).content.decode()
    saved = client.post(
        settings_url, {"what": "save", "title": "Travel", "closes_on": "2099-03-31"}
    )
    assert saved.status_code == 302 and saved["Location"] == build
    form.refresh_from_db()
    assert form.title == "Travel" and form.closes_at is not None
    assert timezone.localdate(form.closes_at).isoformat() == "2099-03-31"
    services.response_submit(form=form, person=person, answers={question.field_name: "3"})
    page = client.get(build).content.decode()
    assert "People have answered, so this cannot change now" in page
    assert 'id="form-anonymous"' not in page
    closed = client.post(settings_url, {"what": "close"})
    assert closed.status_code == 302
    form.refresh_from_db()
    assert not form.is_open
    # Saving the title on the day it closed keeps it closed.
    today = timezone.localdate().isoformat()
    client.post(settings_url, {"what": "save", "title": "Travel 2", "closes_on": today})
    form.refresh_from_db()
    assert form.title == "Travel 2" and not form.is_open
    answer_page = as_user(person).get(reverse("form_answer", args=[form.pk])).content.decode()
    assert "closed" in answer_page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "  "}, "Enter a title"),
        ({"title": "X", "closes_on": "31/03/2099"}, "real date"),
        ({"title": "X", "closes_on": "2001-01-01"}, "future"),
        ({"title": "X", "anonymous": "1"}, "cannot change now"),
    ],
)
def test_bad_form_settings_show_the_problem_and_change_nothing(
    programme: Any, organiser: Any, person: Any, data: dict[str, str], message: str
) -> None:
    form = FormFactory(programme=programme, title="Getting here")
    question = QuestionFactory(form=form)
    services.response_submit(form=form, person=person, answers={question.field_name: "3"})
    response = as_user(organiser).post(
        reverse("form_settings", args=[form.pk]), {"what": "save", **data}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "There is a problem" in body
    assert '<details class="govuk-details" id="form-settings" open>' in body
    form.refresh_from_db()
    assert form.title == "Getting here" and not form.anonymous and form.closes_at is None


def test_form_settings_are_for_staff_of_the_programme_and_custom_forms_only(
    programme: Any, person: Any, outsider: Any, organiser: Any
) -> None:
    form = FormFactory(programme=programme, title="Getting here")
    url = reverse("form_settings", args=[form.pk])
    for user in (person, outsider):
        assert as_user(user).post(url, {"what": "close"}).status_code == 404
        assert as_user(user).post(url, {"what": "save", "title": "Mine"}).status_code == 404
    assert as_user(organiser).get(url).status_code == 404
    template = services.feedback_template_for(programme=programme)
    template_url = reverse("form_settings", args=[template.pk])
    assert as_user(organiser).post(template_url, {"what": "close"}).status_code == 404
    form.refresh_from_db()
    template.refresh_from_db()
    assert form.title == "Getting here" and form.is_open and template.closes_at is None


def test_the_builder_pages_refuse_what_they_never_offer(
    programme: Any, organiser: Any, person: Any
) -> None:
    form = FormFactory(programme=programme, title="Getting here")
    question = ChoiceQuestionFactory(form=form, options=["Bus", "Car", "Walk"])
    other = ChoiceQuestionFactory(form=form, options=["Yes", "No"])
    stranger = other.choices.get(text="Yes")
    client = as_user(organiser)
    edit = reverse("question_edit", args=[form.pk, question.pk])
    refused = client.post(edit, {"what": "update", "text": "How?", "remove": str(stranger.pk)})
    assert refused.status_code == 400
    assert "That option is not part of this question" in refused.content.decode()
    nonsense = client.post(edit, {"what": "shuffle"})
    assert nonsense.status_code == 400
    assert "Choose what to do with the question" in nonsense.content.decode()
    assert other.choices.filter(pk=stranger.pk).exists() and question.choices.count() == 3
    # Once answered, the settings form sends anonymity as a hidden "0": not a change.
    services.response_submit(
        form=form,
        person=person,
        answers={
            question.field_name: str(question.choices.first().pk),
            other.field_name: str(stranger.pk),
        },
    )
    saved = client.post(
        reverse("form_settings", args=[form.pk]),
        {"what": "save", "title": "Travel", "anonymous": "0"},
    )
    assert saved.status_code == 302
    form.refresh_from_db()
    assert form.title == "Travel" and not form.anonymous


def test_members_find_their_programmes_wellbeing_measures_among_its_forms(
    programme: Any, other_programme: Any, organiser: Any, person: Any
) -> None:
    forms_page = reverse("forms", args=[programme.pk])
    assert "Wellbeing questions" not in as_user(person).get(forms_page).content.decode()
    services.licence_record(
        programme=programme,
        instrument="swemwbs",
        licence_holder="x",
        reference="y",
        licensed_on=timezone.localdate(),
        by=organiser,
    )
    measure = services.instrument_form_create(
        programme=programme, instrument="swemwbs", timepoint="baseline"
    )
    link = f'href="{reverse("measure", args=[measure.pk])}"'
    page = as_user(person).get(forms_page).content.decode()
    assert "Wellbeing questions" in page and link in page
    assert "Answered" not in page and "No forms to answer just now" not in page
    services.response_submit(
        form=measure, person=person, answers={q.field_name: "3" for q in measure.questions.all()}
    )
    assert "Answered" in as_user(person).get(forms_page).content.decode()
    # Someone in another programme sees neither the page nor the measure.
    stranger = UserFactory(display_name="Other Person")
    MembershipFactory(user=stranger, programme=other_programme, role=Role.LIVED_EXPERIENCE)
    assert as_user(stranger).get(forms_page).status_code == 404
    own = as_user(stranger).get(reverse("forms", args=[other_programme.pk])).content.decode()
    assert link not in own and "Wellbeing questions" not in own
    assert as_user(stranger).get(reverse("measure", args=[measure.pk])).status_code == 404


def test_the_wellbeing_measures_page_labels_each_field_once_and_plainly(
    programme: Any, organiser: Any
) -> None:
    page = as_user(organiser).get(reverse("wellbeing", args=[programme.pk])).content.decode()
    labels = re.findall(r'<label class="govuk-label" for="([^"]+)">([^<]+)</label>', page)
    texts = [text for _for, text in labels]
    assert len(texts) == len(set(texts)), texts
    assert ("lic-instrument", "Which instrument is the licence for?") in labels
    assert ("m-instrument", "Which instrument will people answer?") in labels
