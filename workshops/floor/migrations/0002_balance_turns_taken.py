"""Balance records say how many turns were taken; a session where nobody took the floor keeps
no index (it was kept as 100, "perfectly even", and flattered the report's average)."""

from typing import Any

from django.db import migrations, models


def count_turns(apps: Any, schema_editor: Any) -> None:
    """Each record kept so far: its turns from its own per-person figures; none, no index."""
    BalanceRecord = apps.get_model("floor", "BalanceRecord")
    for record in BalanceRecord.objects.all():
        people = record.figures.get("people") if isinstance(record.figures, dict) else None
        if not isinstance(people, list):
            continue  # the record does not say: left unknown
        turns = sum(int(p.get("turns", 0) or 0) for p in people if isinstance(p, dict))
        record.turns_taken = turns
        record.figures = {**record.figures, "turns_taken": turns}
        if turns == 0:
            record.balance_index = None
        record.save(update_fields=["turns_taken", "figures", "balance_index"])


class Migration(migrations.Migration):
    dependencies = [
        ("floor", "0001_floor"),
        ("workshops", "0004_agenda_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="balancerecord",
            name="turns_taken",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(count_turns, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="balancerecord",
            constraint=models.CheckConstraint(
                condition=~models.Q(turns_taken=0) | models.Q(balance_index__isnull=True),
                name="no_turns_no_balance_index",
            ),
        ),
    ]
