import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0008_povertycause_order_label"),
        ("units", "0003_historyevent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="review",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="review",
            name="update_update",
        ),
        migrations.AddField(
            model_name="review",
            name="village",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="village of the review",
            ),
        ),
        migrations.AddField(
            model_name="reviewevent",
            name="village",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="units.unit",
                verbose_name="village of the review",
            ),
        ),
        migrations.RunSQL(
            # Until now a review was counted where its household lives: place every review (and its history
            # rows) there, while the history triggers are off, so that no figure changes by the migration.
            """
            UPDATE households_review r SET village_id = h.village_id
            FROM households_household h WHERE h.id = r.household_id;
            UPDATE households_reviewevent e SET village_id = h.village_id
            FROM households_household h WHERE h.id = e.household_id;
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="review",
            name="village",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.unit",
                verbose_name="village of the review",
            ),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="village",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="units.unit",
                verbose_name="village of the review",
            ),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                fields=["year", "village"],
                include=("household", "recognised_class", "member_count"),
                name="review_year_village",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="review",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "households_reviewevent" ("class_override", "class_reason", "computed_class", "deprived", "ethnic_minority", "household_id", "id", "income", "is_urban", "member_count", "meritorious_service", "no_working_capacity", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recognised_class", "social_protection", "standard_id", "state", "updated_at", "updated_by_id", "version", "village_id", "year") VALUES (NEW."class_override", NEW."class_reason", NEW."computed_class", NEW."deprived", NEW."ethnic_minority", NEW."household_id", NEW."id", NEW."income", NEW."is_urban", NEW."member_count", NEW."meritorious_service", NEW."no_working_capacity", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recognised_class", NEW."social_protection", NEW."standard_id", NEW."state", NEW."updated_at", NEW."updated_by_id", NEW."version", NEW."village_id", NEW."year"); RETURN NULL;',
                    hash="ab9424bd0aba3d9bf8d1d3cd7531afb7108aeb1d",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_92335",
                    table="households_review",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="review",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "households_reviewevent" ("class_override", "class_reason", "computed_class", "deprived", "ethnic_minority", "household_id", "id", "income", "is_urban", "member_count", "meritorious_service", "no_working_capacity", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recognised_class", "social_protection", "standard_id", "state", "updated_at", "updated_by_id", "version", "village_id", "year") VALUES (NEW."class_override", NEW."class_reason", NEW."computed_class", NEW."deprived", NEW."ethnic_minority", NEW."household_id", NEW."id", NEW."income", NEW."is_urban", NEW."member_count", NEW."meritorious_service", NEW."no_working_capacity", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recognised_class", NEW."social_protection", NEW."standard_id", NEW."state", NEW."updated_at", NEW."updated_by_id", NEW."version", NEW."village_id", NEW."year"); RETURN NULL;',
                    hash="a9566d25c9809b1ec87d8be1f227d15d728ac5d4",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_52ee0",
                    table="households_review",
                    when="AFTER",
                ),
            ),
        ),
    ]
