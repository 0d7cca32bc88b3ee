"""Twenty organisers approve one payment line at the same moment: one transition, one record."""

from typing import Any

import pytest
from django.urls import reverse

from participants.models import Role
from participants.payments import services
from participants.payments.models import PaymentEvent, PaymentLine
from tests.concurrency import at_once, signed_in_clients
from tests.factories import MembershipFactory, StaffUserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]


def test_twenty_concurrent_approvals_of_one_line_make_one_transition(
    register: Any, rates: Any, facilitator: Any, person: Any, organiser: Any
) -> None:
    line = next(
        line
        for line in services.register_confirm(session=register, by=facilitator)
        if line.person_id == person.pk
    )
    organisers = [organiser]
    for _ in range(19):
        user = StaffUserFactory()
        MembershipFactory(user=user, programme=register.programme, role=Role.ORGANISER)
        organisers.append(user)
    url = reverse("payment_line", args=[register.programme_id, line.pk])

    responses = at_once(
        signed_in_clients(organisers),
        lambda i, c: c.post(url, {"action": "approve", "reason": "", "payment_reference": ""}),
    )

    codes = sorted(r.status_code for r in responses)
    assert codes.count(302) == 1, codes
    refused = [r for r in responses if r.status_code != 302]
    assert len(refused) == 19 and all(r.status_code == 400 for r in refused)
    for response in refused:
        html = response.content.decode()
        assert "This line is approved: it cannot be approved now" in html
    line.refresh_from_db()
    assert line.status == PaymentLine.Status.APPROVED
    assert PaymentEvent.objects.filter(line=line, action="approve").count() == 1
