from django.db import migrations

from households import reference


def seed(apps, schema_editor):
    reference.seed_standards(apps.get_model)  # the periods are seeded with the deadlines app (0009)


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
