"""Emails reminding people due a wellbeing measure, at most once a week each."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import User
from participants.selectors import contactable_people
from workshops.evaluation.models import FollowUpReminder
from workshops.evaluation.selectors import follow_ups_due
from workshops.models import Programme

REMIND_AGAIN_AFTER = timedelta(days=7)


@dataclass
class Reminded:
    """What one press of "Email reminders" did."""

    sent: list[User]
    cannot_email: list[User]
    reminded_lately: list[User]


@transaction.atomic
def follow_up_remind(*, programme: Programme, site_url: str) -> Reminded:
    """Email everyone due or overdue a wellbeing measure who has an address and said yes to
    being contacted, at most once a week per timepoint; the rest are for the printed list."""
    allowed = contactable_people(programme=programme)
    since = timezone.now() - REMIND_AGAIN_AFTER
    result = Reminded(sent=[], cannot_email=[], reminded_lately=[])
    # One email per person, naming every timepoint they are due (baseline and follow-up can
    # both be overdue).
    due_for: dict[int, list[str]] = {}
    people: dict[int, User] = {}
    for due in follow_ups_due(programme=programme):
        if not due.is_due:
            continue
        lately = set(
            FollowUpReminder.objects.filter(
                programme=programme, timepoint=due.timepoint, sent_at__gte=since
            ).values_list("person_id", flat=True)
        )
        for person in due.waiting:
            people[person.pk] = person
            if not person.email or person.pk not in allowed:
                if person not in result.cannot_email:
                    result.cannot_email.append(person)
            elif person.pk in lately:
                if person not in result.reminded_lately:
                    result.reminded_lately.append(person)
            else:
                FollowUpReminder.objects.create(
                    programme=programme, person=person, timepoint=due.timepoint
                )
                due_for.setdefault(person.pk, []).append(due.label.lower())
    messages = [
        _reminder_email(programme, people[person_id], labels, site_url)
        for person_id, labels in due_for.items()
    ]
    result.sent += [people[person_id] for person_id in due_for]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages), robust=True)
    return result


def _reminder_email(
    programme: Programme, person: User, labels: list[str], site_url: str
) -> tuple[str, str, str, list[str]]:
    """(subject, text, from, to) of one person's reminder, naming each timepoint due."""
    return (
        _("%(programme)s: a few questions about how you are") % {"programme": programme.name},
        _reminder_text(programme, person, _(" and ").join(labels), site_url),
        settings.DEFAULT_FROM_EMAIL,
        [str(person.email)],
    )


def _reminder_text(programme: Programme, person: User, label: str, site_url: str) -> str:
    return _(
        "Hello %(name)s,\n\n"
        "It is time for the %(label)s wellbeing questions for %(programme)s. "
        "There are 7 or 14 short questions about how you have been feeling. "
        "They take about five minutes.\n\n"
        "You can answer them after signing in to Comhla: %(site_url)s\n"
        "Or ask a facilitator at the next session, and they will help.\n\n"
        "You said we could contact you about follow-up. If you would rather we did not, "
        'change your answer on the page "Saying yes or no, and what helps you".\n'
    ) % {
        "name": person.display_name,
        "label": label,
        "programme": programme.name,
        "site_url": site_url,
    }
