"""Retention: who has been kept longer than their programmes' retention setting allows
(`manage.py apply_retention` erases them)."""

from datetime import date

from django.utils import timezone

from participants.models import User
from workshops.models import Programme


def people_past_retention(*, today: date | None = None) -> list[User]:
    """People whose every programme ended longer ago than its retention setting."""

    today = today or timezone.localdate()
    current: set[int] = set()
    expired: set[int] = set()
    for programme in Programme.objects.prefetch_related("memberships"):
        months = programme.retention_months
        year, month = divmod(programme.ends_on.month - 1 + months, 12)
        keep_until = programme.ends_on.replace(
            year=programme.ends_on.year + year, month=month + 1, day=min(programme.ends_on.day, 28)
        )
        target = expired if keep_until < today else current
        target.update(m.user_id for m in programme.memberships.all())
    return list(User.objects.filter(pk__in=expired - current, is_active=True, is_superuser=False))
