from django.db import migrations


def seed(apps, schema_editor):
    from tuijin.spaces.defaults import seed_policies

    seed_policies(apps.get_model("spaces", "Policy"))


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
