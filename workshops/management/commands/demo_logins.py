from typing import Any

from django.core.management.base import BaseCommand

from workshops.management.demo import DEMO_PASSWORD, STAFF, example_name
from workshops.models import Session

RULE = "─" * 72


class Command(BaseCommand):
    help = "Print the demo sign-ins and each live session's join code."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where Comhla is served")

    def handle(self, *args: Any, url: str = "http://127.0.0.1:8000", **options: Any) -> None:
        out = self.stdout.write
        out("")
        out(RULE)
        out(f"  Comhla: open {url} in a browser (Ctrl+C here stops it)")
        out("")
        out(f"  Staff sign in at {url}/accounts/login/")
        out(f"  with the password {DEMO_PASSWORD} and one of these emails:")
        for email, name, role in STAFF:
            out(f"    {role.label:<14} {name:<16} {email}")
        live = Session.objects.filter(status=Session.Status.LIVE).select_related("programme")
        for session in live.order_by("programme_id", "number"):
            out("")
            out(f"  Live now: {session.programme.name}, session {session.number}: {session.title}")
            out(f"    Join at {url}/join/ with the code {session.formatted_join_code}")
            name = example_name(session.programme.name)
            pick = f", or pick one such as {name}" if name else ""
            out(f"    No password: add your own name{pick}")
            out("    (a facilitator confirms a picked name that has answers or payments saved)")
        out(RULE)
        out("")
