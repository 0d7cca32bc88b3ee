# The UI calls a named set of ideas a "group": the model and its fields now say so too.
# Renames only (no data changes): the table, the two foreign-key columns, the related names,
# and the vote check constraint that names the field.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0002_card_before_session"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="vote",
            name="vote_on_card_or_group",
        ),
        migrations.RenameModel(
            old_name="Cluster",
            new_name="Group",
        ),
        migrations.RenameField(
            model_name="card",
            old_name="cluster",
            new_name="group",
        ),
        migrations.RenameField(
            model_name="vote",
            old_name="cluster",
            new_name="group",
        ),
        migrations.AlterField(
            model_name="group",
            name="board",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="groups",
                to="boards.board",
            ),
        ),
        migrations.AlterField(
            model_name="group",
            name="column",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="groups",
                to="boards.column",
            ),
        ),
        migrations.AddConstraint(
            model_name="vote",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("card__isnull", False), ("group__isnull", True)),
                    models.Q(("card__isnull", True), ("group__isnull", False)),
                    _connector="OR",
                ),
                name="vote_on_card_or_group",
            ),
        ),
    ]
