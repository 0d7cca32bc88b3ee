"""Someone only invited is not in the programme yet: its evaluation neither lists them (by their
own account's name, which is theirs, not the programme's) nor lets them answer, help or own."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from participants.models import Role
from tests.evaluation.test_actions import idea
from tests.factories import FormFactory, MembershipFactory, QuestionFactory, UserFactory
from workshops.evaluation import selectors, services
from workshops.evaluation.models import ActionPoint, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee(programme: Any) -> Any:
    user = UserFactory(display_name="Private Account Name")
    MembershipFactory(
        user=user, programme=programme, role=Role.CARER, invited=True, invited_name="Typed"
    )
    return user


def test_the_people_who_may_have_helped_are_members_not_invitations(
    programme: Any, person: Any, invitee: Any
) -> None:
    form = FormFactory(programme=programme)
    names = [m.user.display_name for m in selectors.others_in_programme(form=form, user=person)]
    assert "Private Account Name" not in names


def test_an_action_point_cannot_be_given_to_an_invitation(
    live_session: Any, person: Any, invitee: Any
) -> None:
    programme = live_session.programme
    assert invitee.pk not in [m.user_id for m in selectors.members_of(programme=programme)]
    uids = [str(idea(live_session, person, "A quiet room").uid)]
    with pytest.raises(ValidationError) as refused:
        services.action_point_create(
            programme=programme, title="Ring the GP", card_uids=uids, owner_id=invitee.pk
        )
    assert "owner" in refused.value.message_dict
    assert not ActionPoint.objects.exists()
    services.action_point_create(
        programme=programme, title="Ring the GP", card_uids=uids, owner_id=person.pk
    )
    assert ActionPoint.objects.count() == 1


def test_an_invitation_neither_answers_nor_is_named_as_helping(
    programme: Any, person: Any, invitee: Any
) -> None:
    form = FormFactory(programme=programme)
    question = QuestionFactory(form=form)
    answers = {question.field_name: "4"}
    with pytest.raises(ValidationError):
        services.response_submit(form=form, person=invitee, answers=answers)
    with pytest.raises(ValidationError):
        services.response_submit(form=form, person=person, answers=answers, supported_by=invitee)
    assert not Response.objects.exists()
    services.response_submit(form=form, person=person, answers=answers)  # a member can
    assert Response.objects.count() == 1
