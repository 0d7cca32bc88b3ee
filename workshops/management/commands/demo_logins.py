from typing import Any

from django.core.management.base import BaseCommand

from workshops.demo import DEMO_PASSWORD, STAFF
from workshops.models import Session


class Command(BaseCommand):
    help = "Print the demo sign-ins and the live session's join code."

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout.write
        out("")
        out("Comhla is starting on http://127.0.0.1:8000")
        out("")
        out(f"Staff sign in at http://127.0.0.1:8000/accounts/login/ (password: {DEMO_PASSWORD})")
        for email, name, role in STAFF:
            out(f"  {role.label:<14} {name:<16} {email}")
        for session in Session.objects.filter(status=Session.Status.LIVE).select_related(
            "programme"
        ):
            out("")
            out(f"Live now: {session.programme.name}, session {session.number}")
            out(
                f"  Join at http://127.0.0.1:8000/join/ with the code {session.formatted_join_code}"
            )
            out("  (no password: pick a name such as Jean Robertson, or add your own)")
        out("")
