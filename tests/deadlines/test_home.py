"""The home page lists every deadline the user owes, for the units where their roles let them act, with the due
day and the days left — the review period, reports, summaries and reopenings alike."""

from datetime import date

import time_machine
from django.urls import reverse
from django.utils import translation

from deadlines import selectors
from deadlines.models import Deadline, DeadlineKind, ReviewPeriod
from households import services as household_services
from units.choices import UnitKind
from units.roles import Action, Role

from .conftest import TITLE, morning


def owed(user, today):
    with translation.override("vi"):
        return [(item["label"], item["due_on"], item["days_left"]) for item in selectors.owed_by(user, today=today)]


def test_an_officer_owes_the_review_period_and_the_communes_report(tree, report, officer, make_user):
    Deadline.objects.create(
        kind=DeadlineKind.UNIT_REPORT,
        year=2025,
        title="Báo cáo của các sở, ban, ngành năm 2025",
        due_on=date(2025, 11, 20),
        unit_kinds=[UnitKind.DEPARTMENT],
    )
    summary = Deadline.objects.create(
        kind=DeadlineKind.PROVINCIAL_SUMMARY,
        year=2025,
        due_on=date(2025, 11, 25),
        action=Action.COMPILE,
    )
    dolisa_unit = tree.participant("Sở LĐ-TB&XH")
    summary.units.add(dolisa_unit)
    dolisa = make_user(Role.DOLISA_STAFF, dolisa_unit)

    today = date(2025, 11, 16)
    assert owed(officer, today) == [(TITLE, date(2025, 11, 20), 4), ("Kỳ rà soát 2025", date(2025, 12, 14), 28)]
    assert owed(dolisa, today) == [("Tổng hợp của tỉnh 2025", date(2025, 11, 25), 9)]


def test_the_page_shows_the_days_left(client, report, officer):
    client.force_login(officer)
    with time_machine.travel(morning(date(2025, 11, 20)), tick=False):
        html = client.get(reverse("reports:home")).content.decode()
    assert TITLE in html
    assert "hôm nay là hạn chót" in html
    assert "còn 24 ngày" in html  # the review period, to 14/12


def test_a_reopening_is_owed_by_its_commune_only(tree, officer, vu_hoi_officer, make_user, song_an):
    admin = make_user(Role.ADMIN, tree.province)
    household_services.reopen_period(
        user=admin,
        year=2025,
        commune=song_an,
        until=date(2026, 1, 31),
        reason="Bổ sung hồ sơ hộ bà Lê Thị Hằng",
        today=date(2026, 1, 5),
    )
    today = date(2026, 1, 10)
    assert owed(officer, today) == [("Kỳ rà soát 2025, mở lại cho Xã Song An", date(2026, 1, 31), 21)]
    assert owed(vu_hoi_officer, today) == []
    assert ReviewPeriod.objects.get(year=2025).closes_on < today
