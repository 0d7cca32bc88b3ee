from typing import Any

from django.core.management.base import BaseCommand

from participants.personal_data import people_past_retention, person_erase


class Command(BaseCommand):
    help = "Anonymise people whose programmes all ended longer ago than their retention setting."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count who would go.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        people = people_past_retention()
        if dry_run:
            self.stdout.write(f"{len(people)} people are past their programmes' retention")
            return
        for person in people:
            person_erase(user=person, by=None)
        self.stdout.write(f"Anonymised {len(people)} people past their programmes' retention")
