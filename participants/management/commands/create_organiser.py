"""Make the first organiser of a fresh install (sign-up is closed: staff come by invitation)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from participants.models import User


class Command(BaseCommand):
    help = "Create a staff account that can set up programmes and invite everyone else."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError("Someone already has that email address")
        User.objects.create_user(email=email, display_name=options["name"].strip())
        self.stdout.write(
            f"Created {email}. They sign in with an emailed code (Sign in → "
            "'Send me a sign-in code'), then set up a programme."
        )
