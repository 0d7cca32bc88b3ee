from django.db import migrations


class Migration(migrations.Migration):
    """"You said, we did" actions are action points: `Action` is what someone may do."""

    dependencies = [
        ("boards", "0001_initial"),
        ("evaluation", "0006_follow_up_reminder"),
    ]

    operations = [migrations.RenameModel(old_name="Action", new_name="ActionPoint")]
