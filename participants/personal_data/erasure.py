"""Erasure: a person's name and contact details go; their contributions stay, anonymised; what
the law needs (payment records) stays. `HOLDINGS` says what happens to each field."""

from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from participants import security
from participants.models import Membership, SecurityEvent, User, new_signin_secret
from participants.personal_data.classification import rows_of
from participants.personal_data.holdings import HOLDINGS


def _delete_signed_in_sessions(user: User) -> None:
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@transaction.atomic
def person_erase(*, user: User, by: User | None) -> User:
    """Erase a person: name and contact details go; their contributions stay, anonymised;
    what the law needs (payment lines) stays."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    for label, holding in HOLDINGS.items():
        if holding.rows == "delete" and holding.people:
            rows_of(label=label, user=user).delete()
    _delete_signed_in_sessions(user)
    Membership.objects.filter(user=user).update(invited_name="", organisation="")
    old_name = user.display_name
    anonymised = _("Former participant %(number)s") % {"number": user.pk}
    user.display_name = anonymised
    user.email = None
    user.pronouns = ""
    user.large_text = user.read_aloud = user.needs_supporter = False
    user.needs_bsl = user.needs_hearing_loop = user.needs_transport = False
    user.dietary_needs = user.other_needs = ""
    user.access_needs_updated_at = None
    user.signin_secret = new_signin_secret()
    user.last_login = None
    user.set_unusable_password()
    user.is_active = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    SecurityEvent.objects.filter(actor=user).update(address=None)
    # The admin history names what was changed by its str(): the person, or their membership.
    about = models.Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    about |= models.Q(
        content_type=ContentType.objects.get_for_model(Membership),
        object_id__in=[str(pk) for pk in user.memberships.values_list("pk", flat=True)],
    )
    if old_name:
        LogEntry.objects.filter(about).update(
            object_repr=Replace(F("object_repr"), Value(old_name), Value(anonymised))
        )
    security.record(
        kind=SecurityEvent.Kind.ERASURE, actor=by, target=f"user:{user.pk}", outcome="erased"
    )
    return user
