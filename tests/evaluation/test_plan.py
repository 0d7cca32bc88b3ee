"""Plan your evaluation: outcomes and indicators set, edited, reordered and removed by the
programme's organisers; seen by its facilitators; nothing to anyone else."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Role
from tests.factories import MembershipFactory, StaffUserFactory
from workshops.evaluation import services
from workshops.evaluation.models import Indicator, Outcome

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_organiser(other_programme: Any) -> Any:
    user = StaffUserFactory(display_name="Otto Other")
    MembershipFactory(user=user, programme=other_programme, role=Role.ORGANISER)
    return user


@pytest.fixture
def outcome(programme: Any) -> Outcome:
    return services.outcome_create(programme=programme, title="People feel listened to")


@pytest.fixture
def indicator(outcome: Outcome) -> Indicator:
    return services.indicator_create(
        outcome=outcome,
        title="Listened to, in feedback",
        kind=Indicator.Kind.FEEDBACK_QUESTION,
        question_text="I felt listened to",
    )


def test_another_programmes_organiser_gets_404_everywhere(
    programme: Any, other_organiser: Any, outcome: Outcome, indicator: Indicator
) -> None:
    client = as_user(other_organiser)
    pid = programme.pk
    gets = [
        reverse("evaluation_plan", args=[pid]),
        reverse("follow_up_list", args=[pid]),
        reverse("outcome_remove", args=[pid, outcome.pk]),
        reverse("indicator_remove", args=[pid, indicator.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404
    posts = [
        (reverse("evaluation_plan", args=[pid]), {"title": "Mine now"}),
        (reverse("outcome_edit", args=[pid, outcome.pk]), {"outcome-title": "Changed"}),
        (reverse("outcome_move", args=[pid, outcome.pk]), {"direction": "up"}),
        (reverse("outcome_remove", args=[pid, outcome.pk]), {"confirm": "yes"}),
        (
            reverse("indicator_add", args=[pid, outcome.pk]),
            {"new-title": "x", "new-kind": "attendance"},
        ),
        (
            reverse("indicator_edit", args=[pid, indicator.pk]),
            {"ind-title": "x", "ind-kind": "attendance"},
        ),
        (reverse("indicator_move", args=[pid, indicator.pk]), {"direction": "down"}),
        (reverse("indicator_remove", args=[pid, indicator.pk]), {"confirm": "yes"}),
        (reverse("follow_up_set", args=[pid]), {"months": "6"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    outcome.refresh_from_db()
    indicator.refresh_from_db()
    assert outcome.title == "People feel listened to"
    assert indicator.title == "Listened to, in feedback"
    assert Outcome.objects.count() == 1 and Indicator.objects.count() == 1


def test_an_organiser_cannot_reach_another_programmes_outcome_through_their_own(
    programme: Any, other_programme: Any, organiser: Any, indicator: Indicator
) -> None:
    MembershipFactory(user=organiser, programme=other_programme, role=Role.ORGANISER)
    client = as_user(organiser)
    other = other_programme.pk
    outcome = indicator.outcome
    yes = {"confirm": "yes"}
    assert client.post(reverse("outcome_remove", args=[other, outcome.pk]), yes).status_code == 404
    assert (
        client.post(reverse("indicator_remove", args=[other, indicator.pk]), yes).status_code == 404
    )
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_members_who_are_not_staff_get_404_and_facilitators_only_look(
    programme: Any, person: Any, facilitator: Any, indicator: Indicator
) -> None:
    url = reverse("evaluation_plan", args=[programme.pk])
    assert as_user(person).get(url).status_code == 404
    page = as_user(facilitator).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "People feel listened to" in html and "Listened to, in feedback" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Add an outcome" not in main and "<form" not in main
    posted = as_user(facilitator).post(url, {"title": "A facilitator's outcome"})
    assert posted.status_code == 404
    assert not Outcome.objects.filter(title="A facilitator's outcome").exists()


def test_the_plan_walks_the_four_steps_and_suggests_three_to_five_outcomes(
    programme: Any, organiser: Any
) -> None:
    html = as_user(organiser).get(reverse("evaluation_plan", args=[programme.pk])).content.decode()
    for step in (
        "Set outcomes and indicators",
        "Collect evidence",
        "Analyse and report",
        "Learn and act",
    ):
        assert step in html
    assert "3 to 5 outcomes" in html
    assert "No outcomes yet" in html


def test_an_organiser_adds_edits_reorders_and_deletes_outcomes(
    programme: Any, organiser: Any
) -> None:
    client = as_user(organiser)
    url = reverse("evaluation_plan", args=[programme.pk])
    assert client.post(url, {"title": "  First outcome "}).status_code == 302
    client.post(url, {"title": "Second outcome"})
    first, second = Outcome.objects.filter(programme=programme)
    assert first.title == "First outcome" and (first.order, second.order) == (0, 1)
    client.post(reverse("outcome_move", args=[programme.pk, second.pk]), {"direction": "up"})
    assert list(Outcome.objects.filter(programme=programme).values_list("title", flat=True)) == [
        "Second outcome",
        "First outcome",
    ]
    client.post(
        reverse("outcome_edit", args=[programme.pk, first.pk]),
        {f"outcome-{first.pk}-title": "First, reworded"},
    )
    first.refresh_from_db()
    assert first.title == "First, reworded"
    client.post(reverse("outcome_remove", args=[programme.pk, second.pk]), {"confirm": "yes"})
    assert list(Outcome.objects.filter(programme=programme)) == [first]
    first.refresh_from_db()
    assert first.order == 0


def test_an_outcome_as_long_as_keeping_it_personals_first_is_kept_whole(
    programme: Any, organiser: Any
) -> None:
    title = (
        "Increased capacity and capability among people using services to be active partners"
        " at individual and service level to influence their own health and wellbeing by"
        " contributing to the design and delivery of more person-centred care and support,"
        " including peer support."
    )
    response = as_user(organiser).post(
        reverse("evaluation_plan", args=[programme.pk]), {"title": title}
    )
    assert response.status_code == 302
    assert Outcome.objects.get(programme=programme).title == title


def test_bad_outcome_input_says_what_is_wrong_and_changes_nothing(
    programme: Any, organiser: Any, outcome: Outcome
) -> None:
    client = as_user(organiser)
    url = reverse("evaluation_plan", args=[programme.pk])
    empty = client.post(url, {"title": "   "})
    assert empty.status_code == 400 and "Enter the outcome" in empty.content.decode()
    long = client.post(url, {"title": "x" * 401})
    assert long.status_code == 400 and "400 characters or fewer" in long.content.decode()
    control = client.post(url, {"title": "Heard\x00 and seen"})
    assert control.status_code == 400
    edit = client.post(
        reverse("outcome_edit", args=[programme.pk, outcome.pk]),
        {f"outcome-{outcome.pk}-title": ""},
    )
    assert edit.status_code == 400 and "Enter the outcome" in edit.content.decode()
    move = client.post(
        reverse("outcome_move", args=[programme.pk, outcome.pk]), {"direction": "sideways"}
    )
    assert move.status_code == 400 and "Choose up or down" in move.content.decode()
    outcome.refresh_from_db()
    assert outcome.title == "People feel listened to"
    assert Outcome.objects.count() == 1


def test_more_than_five_outcomes_is_allowed_but_the_page_says_so(
    programme: Any, organiser: Any
) -> None:
    for i in range(6):
        services.outcome_create(programme=programme, title=f"Outcome {i}")
    html = as_user(organiser).get(reverse("evaluation_plan", args=[programme.pk])).content.decode()
    assert "You have 6 outcomes" in html and "more than the 3 to 5 suggested" in html


def test_an_organiser_adds_each_kind_of_indicator(
    programme: Any, organiser: Any, outcome: Outcome
) -> None:
    client = as_user(organiser)
    url = reverse("indicator_add", args=[programme.pk, outcome.pk])
    prefix = f"new-{outcome.pk}"
    for kind in ("wellbeing", "swemwbs", "attendance", "balance", "payments"):
        response = client.post(url, {f"{prefix}-title": f"By {kind}", f"{prefix}-kind": kind})
        assert response.status_code == 302, response.content.decode()
    client.post(
        url,
        {
            f"{prefix}-title": "Said what they wanted",
            f"{prefix}-kind": "feedback",
            f"{prefix}-question_text": "I could say what I wanted to say",
        },
    )
    kinds = list(outcome.indicators.values_list("kind", "order", "question_text"))
    assert kinds == [
        ("wellbeing", 0, ""),
        ("swemwbs", 1, ""),
        ("attendance", 2, ""),
        ("balance", 3, ""),
        ("payments", 4, ""),
        ("feedback", 5, "I could say what I wanted to say"),
    ]


def test_bad_indicator_input_changes_nothing(
    programme: Any, organiser: Any, outcome: Outcome, indicator: Indicator
) -> None:
    client = as_user(organiser)
    url = reverse("indicator_add", args=[programme.pk, outcome.pk])
    prefix = f"new-{outcome.pk}"
    no_question = client.post(url, {f"{prefix}-title": "Heard", f"{prefix}-kind": "feedback"})
    assert no_question.status_code == 400
    assert "Choose the question" in no_question.content.decode()
    unknown = client.post(url, {f"{prefix}-title": "Heard", f"{prefix}-kind": "horoscope"})
    assert unknown.status_code == 400
    made_up = client.post(
        url,
        {
            f"{prefix}-title": "Heard",
            f"{prefix}-kind": "feedback",
            f"{prefix}-question_text": "A question nobody asked",
        },
    )
    assert made_up.status_code == 400
    untitled = client.post(url, {f"{prefix}-title": "", f"{prefix}-kind": "balance"})
    assert untitled.status_code == 400 and "Enter the indicator" in untitled.content.decode()
    long = client.post(url, {f"{prefix}-title": "x" * 201, f"{prefix}-kind": "balance"})
    assert long.status_code == 400 and "200 characters or fewer" in long.content.decode()
    edit = client.post(
        reverse("indicator_edit", args=[programme.pk, indicator.pk]),
        {f"ind-{indicator.pk}-title": "", f"ind-{indicator.pk}-kind": "balance"},
    )
    assert edit.status_code == 400
    indicator.refresh_from_db()
    assert (indicator.title, indicator.kind) == ("Listened to, in feedback", "feedback")
    assert Indicator.objects.count() == 1


def test_an_organiser_edits_moves_and_deletes_indicators(
    programme: Any, organiser: Any, outcome: Outcome, indicator: Indicator
) -> None:
    second = services.indicator_create(
        outcome=outcome, title="Keep coming", kind=Indicator.Kind.ATTENDANCE
    )
    client = as_user(organiser)
    response = client.post(
        reverse("indicator_edit", args=[programme.pk, indicator.pk]),
        {f"ind-{indicator.pk}-title": "Share of airtime", f"ind-{indicator.pk}-kind": "balance"},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    # A question only belongs to a form-question indicator.
    assert (indicator.title, indicator.kind, indicator.question_text) == (
        "Share of airtime",
        "balance",
        "",
    )
    client.post(reverse("indicator_move", args=[programme.pk, second.pk]), {"direction": "up"})
    assert list(outcome.indicators.values_list("title", flat=True)) == [
        "Keep coming",
        "Share of airtime",
    ]
    client.post(reverse("indicator_remove", args=[programme.pk, second.pk]), {"confirm": "yes"})
    assert list(outcome.indicators.values_list("title", flat=True)) == ["Share of airtime"]


def test_removing_asks_first_and_nothing_goes_without_yes(
    programme: Any, organiser: Any, facilitator: Any, outcome: Outcome, indicator: Indicator
) -> None:
    client = as_user(organiser)
    pid = programme.pk
    plan = client.get(reverse("evaluation_plan", args=[pid])).content.decode()
    ask_indicator = reverse("indicator_remove", args=[pid, indicator.pk])
    ask_outcome = reverse("outcome_remove", args=[pid, outcome.pk])
    # The plan links to the pages that ask; it has no button that removes anything.
    assert f'href="{ask_indicator}"' in plan and f'href="{ask_outcome}"' in plan
    assert "govuk-button--warning" not in plan and "Delete" not in plan
    page = client.get(ask_indicator)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Remove this indicator?" in html and "Listened to, in feedback" in html
    assert "Yes, remove it" in html and "No, keep it" in html
    assert f'href="{reverse("evaluation_plan", args=[pid])}#indicator-{indicator.pk}"' in html
    outcome_page = client.get(ask_outcome).content.decode()
    assert "Remove this outcome?" in outcome_page
    assert "with its 1 indicator;" in outcome_page
    # A removal sent without its "Yes" (or with anything else) is refused and changes nothing.
    for data in ({}, {"confirm": "no"}, {"confirm": ""}):
        for url in (ask_indicator, ask_outcome):
            refused = client.post(url, data)
            assert refused.status_code == 400, (url, data)
            assert "Nothing was removed" in refused.content.decode()
    assert Outcome.objects.count() == 1 and Indicator.objects.count() == 1
    # Facilitators see the plan but cannot reach the question, let alone answer it.
    for url in (ask_indicator, ask_outcome):
        assert as_user(facilitator).get(url).status_code == 404
        assert as_user(facilitator).post(url, {"confirm": "yes"}).status_code == 404
    assert Indicator.objects.count() == 1
    removed = client.post(ask_indicator, {"confirm": "yes"}, follow=True)
    assert "The indicator “Listened to, in feedback” was removed" in removed.content.decode()
    assert not Indicator.objects.exists() and Outcome.objects.count() == 1


def test_removing_an_outcome_takes_its_indicators(
    programme: Any, organiser: Any, indicator: Indicator
) -> None:
    as_user(organiser).post(
        reverse("outcome_remove", args=[programme.pk, indicator.outcome_id]), {"confirm": "yes"}
    )
    assert not Indicator.objects.exists()


def test_the_question_choices_are_the_programmes_rating_questions(
    programme: Any, organiser: Any, outcome: Outcome
) -> None:
    form = services.form_create(programme=programme, title="Our form")
    services.question_add(form=form, kind="rating", text="I feel more confident")
    services.question_add(form=form, kind="text", text="Anything else?", required=False)
    html = as_user(organiser).get(reverse("evaluation_plan", args=[programme.pk])).content.decode()
    assert "I feel more confident" in html and "I felt listened to" in html
    assert "Anything else?" not in html
