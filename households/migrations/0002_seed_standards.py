from django.db import migrations

from households import reference


def seed(apps, schema_editor):
    reference.seed(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
