from django.db import migrations


class Migration(migrations.Migration):
    """"You said, we did" actions are action points: `Action` is what someone may do."""

    dependencies = [
        ("boards", "0001_initial"),
        ("evaluation", "0007_outcome_title_longer"),
    ]

    operations = [migrations.RenameModel(old_name="Action", new_name="ActionPoint")]
