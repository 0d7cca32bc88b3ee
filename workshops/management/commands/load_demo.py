from typing import Any

from django.core.management.base import BaseCommand

from workshops.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo programmes (Keeping it Personal) once; keep one session live."

    def handle(self, *args: Any, **options: Any) -> None:
        programme = load_demo()
        self.stdout.write(f"Demo ready: {programme.name}")
