"""The move of review periods and their reopenings from the registry's tables to the deadlines app (households
migration 0009): every period and reopening is copied, with its dates, commune, reason, author and time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deadlines.models import Reopening, ReviewPeriod
from units.roles import Role

BEFORE = [("households", "0008_povertycause_order_label")]
REOPENED_AT = datetime(2026, 1, 5, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_periods_and_reopenings_are_copied(tree, make_user):
    song_an = tree.commune("13249")
    admin = make_user(Role.ADMIN, tree.province, last_name="Vũ Thị", first_name="Thanh")
    old = migrate(BEFORE)
    OldPeriod = old.get_model("households", "ReviewPeriod")
    OldReopening = old.get_model("households", "PeriodReopening")
    assert set(OldPeriod.objects.values_list("year", flat=True)) == set(range(2021, 2027))
    OldPeriod.objects.filter(year=2024).update(opens_on=date(2024, 9, 15), closes_on=date(2024, 12, 20))
    OldPeriod.objects.create(year=2019, opens_on=date(2019, 9, 1), closes_on=date(2019, 12, 14))
    reopening = OldReopening.objects.create(
        period=OldPeriod.objects.get(year=2025),
        unit_id=song_an.pk,
        until=date(2026, 1, 31),
        reason="Bổ sung hồ sơ hộ ông Nguyễn Văn Ân (thôn Đồng Thanh) theo đề nghị của UBND xã",
        by_id=admin.pk,
    )
    OldReopening.objects.filter(pk=reopening.pk).update(at=REOPENED_AT)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    periods = {p.year: (p.opens_on, p.closes_on) for p in ReviewPeriod.objects.all()}
    assert set(periods) == {2019, *range(2021, 2027)}
    assert periods[2024] == (date(2024, 9, 15), date(2024, 12, 20))
    assert periods[2019] == (date(2019, 9, 1), date(2019, 12, 14))
    assert periods[2025] == (date(2025, 9, 1), date(2025, 12, 14))
    copied = Reopening.objects.get()
    assert copied.deadline == ReviewPeriod.objects.get(year=2025)
    assert (copied.unit, copied.until, copied.by, copied.at) == (song_an, date(2026, 1, 31), admin, REOPENED_AT)
    assert copied.reason.startswith("Bổ sung hồ sơ hộ ông Nguyễn Văn Ân")
    assert all(p.unit_kinds == ["commune"] and p.action == "edit_registry" for p in ReviewPeriod.objects.all())
