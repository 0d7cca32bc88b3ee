import logging
from typing import Any

from django.core.management.base import BaseCommand

from workshops.management.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo programmes (Keeping it Personal, two sites) once; keep a session live."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's payment history is recorded as security events like any other; printing
        # each one buried the sign-ins `make run` shows next.
        security = logging.getLogger("comhla.security")
        level = security.level
        security.setLevel(logging.WARNING)
        try:
            programmes = load_demo()
        finally:
            security.setLevel(level)
        if options["verbosity"] >= 1:
            for programme in programmes:
                self.stdout.write(f"Demo ready: {programme.name}")
