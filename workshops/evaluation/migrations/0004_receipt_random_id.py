"""Receipts get a random id: a sequential one followed the order people answered in.

Anonymous responses already given keep only the day they were given, as new ones do.
"""

import uuid
from datetime import datetime, time
from typing import Any

from django.db import migrations, models
from django.utils import timezone


def give_random_ids(apps: Any, schema_editor: Any) -> None:
    receipt = apps.get_model("evaluation", "ResponseReceipt")
    for row in receipt.objects.all():
        receipt.objects.filter(pk=row.pk).update(uid=uuid.uuid4())


def keep_only_the_day(apps: Any, schema_editor: Any) -> None:
    response = apps.get_model("evaluation", "Response")
    for row in response.objects.filter(form__anonymous=True).only("pk", "submitted_at"):
        day = timezone.localdate(row.submitted_at)
        response.objects.filter(pk=row.pk).update(
            submitted_at=timezone.make_aware(datetime.combine(day, time.min))
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_form_builder")]

    operations = [
        migrations.AddField(
            model_name="responsereceipt",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_random_ids, migrations.RunPython.noop),
        migrations.RunPython(keep_only_the_day, migrations.RunPython.noop),
        migrations.RemoveField(model_name="responsereceipt", name="id"),
        migrations.RenameField(model_name="responsereceipt", old_name="uid", new_name="id"),
        migrations.AlterField(
            model_name="responsereceipt",
            name="id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
            ),
        ),
    ]
