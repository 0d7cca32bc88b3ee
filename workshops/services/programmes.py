"""Every write to programmes themselves."""

from datetime import date

from django.db import transaction

from participants.models import Membership, Role, User
from workshops.models import Programme


@transaction.atomic
def programme_create(
    *, name: str, site: str, focus: str, starts_on: date, ends_on: date, created_by: User
) -> Programme:
    """Create a programme; its creator becomes its first organiser."""
    programme = Programme(name=name, site=site, focus=focus, starts_on=starts_on, ends_on=ends_on)
    programme.full_clean()
    programme.save()
    Membership.objects.create(
        user=created_by, programme=programme, role=Role.ORGANISER, added_by=created_by
    )
    return programme
