"""Members list the head first; recorded ethnicities that name one of the 54 groups take its official name."""

from django.db import migrations, models


def official_ethnicities(apps, schema_editor):
    from households.rules import ethnicity_name

    Member = apps.get_model("households", "Member")
    for recorded in Member.objects.order_by().values_list("ethnicity", flat=True).distinct():
        official = ethnicity_name(recorded)
        if official and official != recorded:  # values that match none of the groups are left as they are
            Member.objects.filter(ethnicity=recorded).update(ethnicity=official)


class Migration(migrations.Migration):
    dependencies = [("households", "0006_normalise_household_codes")]

    operations = [
        migrations.AlterModelOptions(
            name="member",
            options={
                "ordering": [
                    "household",
                    models.Case(models.When(relation="head", then=models.Value(0)), default=models.Value(1)),
                    "birth_date",
                ],
                "verbose_name": "member",
                "verbose_name_plural": "members",
            },
        ),
        migrations.RunPython(official_ethnicities, migrations.RunPython.noop),
    ]
