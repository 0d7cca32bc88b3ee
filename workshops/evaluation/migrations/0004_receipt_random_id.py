"""Receipts get a random id: a sequential one followed the order people answered in."""

import uuid
from typing import Any

from django.db import migrations, models


def give_random_ids(apps: Any, schema_editor: Any) -> None:
    receipt = apps.get_model("evaluation", "ResponseReceipt")
    for row in receipt.objects.all():
        receipt.objects.filter(pk=row.pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_form_builder")]

    operations = [
        migrations.AddField(
            model_name="responsereceipt",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_random_ids, migrations.RunPython.noop),
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
