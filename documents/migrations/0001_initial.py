"""The generated documents move from reports to documents: the table is renamed, its rows and files kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0002_initial"),
        ("units", "0003_historyevent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Document",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=30, verbose_name="document")),
                        ("as_of", models.DateField(verbose_name="as of")),
                        ("status", models.CharField(default="queued", max_length=10, verbose_name="status")),
                        ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="progress")),
                        ("pages", models.PositiveIntegerField(blank=True, null=True, verbose_name="pages")),
                        ("file", models.FileField(blank=True, upload_to="documents/%Y/%m/", verbose_name="file")),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="documents",
                                to="units.unit",
                                verbose_name="unit",
                            ),
                        ),
                    ],
                    options={"db_table": "reports_generateddocument"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="document", table=None),
        migrations.RenameField(model_name="document", old_name="status", new_name="state"),
    ]
