"""Household codes in their one written form (households.codes.normalise): upper case, no spaces, plain digits
and hyphens. Only codes that are not already in that form are read (a regular expression in SQL). A code whose
written form another household of the province already has, or would get, is left as it was: two households
are never merged by a migration."""

from collections import Counter

from django.db import migrations
from django.db.models import F

from households import codes

CLEAN = r"^[A-Z0-9./_-]+$"


def normalise_codes(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    candidates = list(Household.objects.exclude(code__regex=CLEAN).values_list("pk", "province_id", "code"))
    wanted = {}
    for pk, province, code in candidates:
        written = codes.normalise(code)
        if written and written != code:
            wanted[(pk, province)] = written
    claims = Counter((province, code) for (_pk, province), code in wanted.items())
    taken = set(Household.objects.filter(code__in=set(wanted.values())).values_list("province_id", "code"))
    changed = []
    for (pk, province), code in wanted.items():
        if claims[(province, code)] == 1 and (province, code) not in taken:
            changed.append(Household(pk=pk, code=code, version=F("version") + 1))
    Household.objects.bulk_update(changed, ["code", "version"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("households", "0005_version_and_code_prefix")]

    operations = [migrations.RunPython(normalise_codes, migrations.RunPython.noop)]
