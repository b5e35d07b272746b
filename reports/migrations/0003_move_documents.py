"""The generated documents now belong to the documents app (its 0001 took over the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="GeneratedDocument")],
            database_operations=[],
        ),
    ]
