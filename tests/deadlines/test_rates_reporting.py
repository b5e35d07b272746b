"""Reporting rates (deadlines.rates and its pages): expected, submitted, on time, late and missing by level and by
child unit, counted in SQL against the units in force on the due day, and who may see them."""

import io
import random
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from deadlines import rates, rules
from deadlines import services as deadline_services
from deadlines.models import Deadline, DeadlineKind, Fulfilment, ReviewPeriod
from units.choices import UnitKind
from units.models import Unit
from units.roles import Role

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DUE_2023 = date(2023, 11, 20)


def vn(year, month, day, hour=9, minute=0, second=0):
    return datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM)


def unit_report(year, due_on, kinds=(UnitKind.DISTRICT, UnitKind.COMMUNE), within=None):
    return Deadline.objects.create(
        kind=DeadlineKind.UNIT_REPORT,
        year=year,
        title=f"Báo cáo kết quả thực hiện Phong trào thi đua năm {year}",
        due_on=due_on,
        unit_kinds=list(kinds),
        within=within,
    )


@pytest.fixture
def report(tree):
    return unit_report(2023, DUE_2023, within=tree.province)


@pytest.fixture
def delivered(tree, report):
    """Xã Song An delivers at 23:59:59 of the due day (on time), Xã Vũ Hội a second later (late), Huyện Vũ Thư on
    10/11."""
    song_an, vu_hoi, vu_thu = tree.commune("13249"), tree.commune("13255"), tree.district("344")
    deadline_services.deliver(deadline=report, unit=song_an, at=vn(2023, 11, 20, 23, 59, 59))
    deadline_services.deliver(deadline=report, unit=vu_hoi, at=vn(2023, 11, 21, 0, 0, 0))
    deadline_services.deliver(deadline=report, unit=vu_thu, at=vn(2023, 11, 10))
    return song_an, vu_hoi, vu_thu


def _in_force(day, kind, under=None):
    units = Unit.objects.active_on(day).filter(kind=kind)
    return (units.filter(path__startswith=under.path) if under else units).count()


def test_the_due_day_ends_at_midnight_vietnam_time(tree, report, delivered):
    result = rates.rates(report, tree.province)
    levels = {level.key: counts for level, counts in result.levels}
    assert list(levels) == ["districts", "communes"]
    communes = levels["communes"]
    assert communes.expected == _in_force(DUE_2023, UnitKind.COMMUNE) > 200
    assert (communes.submitted, communes.on_time, communes.late, communes.missing) == (2, 1, 1, communes.expected - 2)
    assert (levels["districts"].expected, levels["districts"].on_time) == (8, 1)
    total = result.total
    assert total.expected == communes.expected + 8
    assert total.rate == round(100 * 3 / total.expected, 1)
    assert total.on_time_rate == round(100 * 2 / total.expected, 1)
    assert total.late_rate == round(100 / total.expected, 1)

    vu_thu = tree.district("344")
    by_child = {child.unit: child.counts for child in result.children}
    assert {unit.kind for unit in by_child} == {UnitKind.DISTRICT} and len(by_child) == 8
    assert all(child.drills for child in result.children)
    assert by_child[vu_thu].expected == _in_force(DUE_2023, UnitKind.COMMUNE, vu_thu) + 1
    assert (by_child[vu_thu].on_time, by_child[vu_thu].late) == (2, 1)
    assert sum(c.expected for c in by_child.values()) == total.expected

    inside = rates.rates(report, vu_thu)
    assert inside.children[0].unit is None and inside.children[0].counts.on_time == 1  # the district itself
    states = {child.unit.code: (child.counts.on_time, child.counts.late) for child in inside.children[1:]}
    assert states.pop("13249") == (1, 0) and states.pop("13255") == (0, 1)
    assert set(states.values()) == {(0, 0)}
    assert not any(child.drills for child in inside.children)


def test_sql_counts_agree_with_the_rule_on_generated_deliveries(tree, report):
    """Random deliveries around the due day's end for every commune of a district: the SQL counts equal those the
    pure rule gives delivery by delivery."""
    district = tree.district("343")
    chance = random.Random(20231120)
    edge = vn(2023, 11, 21, 0, 0, 0)
    communes = list(Unit.objects.active_on(DUE_2023).filter(kind=UnitKind.COMMUNE, path__startswith=district.path))
    for commune in communes:
        if chance.random() < 0.8:
            at = edge + timedelta(seconds=chance.choice([-86400 * 3, -1, 0, 1, 3600, 86400 * 2]))
            deadline_services.deliver(deadline=report, unit=commune, at=at)
    deliveries = list(Fulfilment.objects.filter(deadline=report).select_related("deadline"))
    on_time = sum(rules.on_time(f.at, DUE_2023) for f in deliveries)
    assert 0 < on_time < len(deliveries)
    counts = dict(rates.rates(report, district).levels)[rates.LEVEL_BY_KEY["communes"]]
    assert (counts.expected, counts.on_time, counts.late) == (len(communes), on_time, len(deliveries) - on_time)
    assert counts.missing == len(communes) - len(deliveries)


def test_a_merged_commune_is_not_expected_and_its_successor_is(tree):
    """Xã Quỳnh Bảo and Xã Quỳnh Xá ended on 30/11/2024, merged into Xã Trang Bảo Xá: a report due 20/11/2024
    expects them, one due 20/12/2024 expects only the successor, and even a delivery the ended commune made before
    it ended leaves the rate at most 100 %."""
    quynh_bao, quynh_xa, successor = tree.commune("12556"), tree.commune("12568"), tree.commune("12577")
    assert quynh_bao.successor == successor and quynh_bao.valid_to == date(2024, 11, 30)
    before = unit_report(2024, date(2024, 11, 20), kinds=[UnitKind.COMMUNE], within=tree.province)
    after = Deadline.objects.create(
        kind=DeadlineKind.GOOD_PRACTICES,
        year=2024,
        title="Tổng hợp mô hình, cách làm hay năm 2024",
        due_on=date(2024, 12, 20),
        unit_kinds=[UnitKind.COMMUNE],
        within=tree.province,
    )
    ended = Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to=date(2024, 11, 30)).count()
    assert ended > 2
    expected_before = rates.rates(before, tree.province).total.expected
    expected_after = rates.rates(after, tree.province).total.expected
    assert expected_before == _in_force(date(2024, 11, 20), UnitKind.COMMUNE)
    assert expected_after == _in_force(date(2024, 12, 20), UnitKind.COMMUNE) == expected_before - ended
    assert {quynh_bao.pk, quynh_xa.pk} <= {u.pk for u in rates.missing_units(before, tree.province)}
    missing_after = {u.pk for u in rates.missing_units(after, tree.province)}
    assert successor.pk in missing_after and quynh_bao.pk not in missing_after

    # Every commune that ever existed delivers, the ended ones before they ended: 100 % exactly, never more.
    for deadline in (before, after):
        Fulfilment.objects.bulk_create(
            Fulfilment(deadline=deadline, unit=commune, at=vn(2024, 11, 15))
            for commune in Unit.objects.filter(kind=UnitKind.COMMUNE)
        )
    for deadline, expected in ((before, expected_before), (after, expected_after)):
        result = rates.rates(deadline, tree.province)
        assert (result.total.expected, result.total.submitted, result.total.rate) == (expected, expected, 100.0)
        assert all(child.counts.rate <= 100 for child in result.children)
        assert not rates.missing_units(deadline, tree.province).exists()
    district = Unit.objects.get(pk=successor.parent_id)
    assert rates.rates(after, district).total.rate == 100.0


def test_a_deadline_nobody_owes_has_no_rate(tree):
    deadline = Deadline.objects.create(kind=DeadlineKind.OTHER, due_on=DUE_2023, unit_kinds=[UnitKind.VILLAGE])
    result = rates.rates(deadline, tree.district("344"))
    assert result.levels == [] and result.children == []
    assert (result.total.expected, result.total.rate) == (0, None)


def test_dolisa_reads_the_list_the_deadline_and_the_missing_units(
    client, tree, report, delivered, make_user, django_assert_max_num_queries
):
    unit_report(2023, date(2023, 11, 25), kinds=[UnitKind.DISTRICT], within=tree.province)
    client.force_login(make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")))
    # One grouped query a deadline of the year (a year has a handful), none per unit.
    with django_assert_max_num_queries(11):
        html = client.get(reverse("rates:list"), {"year": 2023}).content.decode()
    assert "Tỷ lệ báo cáo — Tỉnh Thái Bình" in html
    assert html.count('data-testid="rates-deadline"') == 2
    total = _in_force(DUE_2023, UnitKind.COMMUNE) + 8
    row = re.search(rf'data-deadline="{report.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-field="expected">(\d+)<', row).group(1) == str(total)
    assert re.search(r'data-field="rate">([\d,]+)<', row).group(1) == f"{100 * 3 / total:.1f}".replace(".", ",")

    url = reverse("rates:detail", args=[report.pk])
    with django_assert_max_num_queries(9):
        html = client.get(url).content.decode()
    assert 'id="rates-chart-data"' in html and 'data-testid="chart-rates"' in html
    vu_thu = tree.district("344")
    assert f'href="?unit={vu_thu.pk}" data-testid="child-link">Huyện Vũ Thư</a>' in html
    with django_assert_max_num_queries(9):
        html = client.get(url, {"unit": vu_thu.pk}).content.decode()
    assert "Xã Song An" in html and 'data-testid="rates-up"' in html

    missing = reverse("rates:missing", args=[report.pk])
    with django_assert_max_num_queries(6):
        html = client.get(missing, {"unit": vu_thu.pk, "level": "communes"}).content.decode()
    names = re.findall(r'data-testid="missing-unit" data-unit="\d+"><td>([^<]+)</td>', html)
    assert len(names) == _in_force(DUE_2023, UnitKind.COMMUNE, vu_thu) - 2
    assert "Xã Song An" not in names and "Xã Vũ Hội" not in names and "Huyện Vũ Thư" not in names
    assert client.get(missing, {"level": "làng"}).status_code == 404


def test_the_table_exports_to_excel(client, tree, report, delivered, make_user):
    client.force_login(make_user(Role.EMULATION_BOARD, tree.participant("Sở LĐ-TB&XH")))
    response = client.get(reverse("rates:detail", args=[report.pk]), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Tỷ lệ báo cáo — Báo cáo kết quả thực hiện Phong trào thi đua năm 2023"
    communes = next(row for row in rows if row[0] == "Số xã")
    expected = _in_force(DUE_2023, UnitKind.COMMUNE)
    assert communes[1:] == [expected, 2, round(200 / expected, 1), 1, round(100 / expected, 1), 1, expected - 2]
    vu_thu = next(row for row in rows if row[0] == "Huyện Vũ Thư")
    assert vu_thu[1:3] == [_in_force(DUE_2023, UnitKind.COMMUNE, tree.district("344")) + 1, 3]


def test_who_may_see_the_rates(client, tree, report, make_user):
    province, vu_thu, other = tree.province, tree.district("344"), tree.district("343")
    dolisa = tree.participant("Sở LĐ-TB&XH")
    review = ReviewPeriod.objects.get(year=2023)  # seeded with the reference data
    cases = [
        (make_user(Role.DOLISA_STAFF, dolisa), {province: 200, vu_thu: 200}),
        (make_user(Role.EMULATION_BOARD, dolisa), {province: 200, vu_thu: 200}),
        (make_user(Role.DISTRICT_OFFICER, vu_thu), {vu_thu: 200, province: 404, other: 404}),
        (make_user(Role.COMMUNE_OFFICER, tree.commune("13249")), {province: 404, vu_thu: 404}),
        (make_user(Role.UNIT_REPORTER, tree.participant("NHCSXH Thái Bình")), {province: 404, vu_thu: 404}),
        (make_user(Role.ADMIN, dolisa), {province: 404}),
    ]
    pages = [
        reverse("rates:list"),
        reverse("rates:detail", args=[report.pk]),
        reverse("rates:missing", args=[report.pk]),
    ]
    for user, expected in cases:
        client.force_login(user)
        for unit, code in expected.items():
            for url in pages:
                assert client.get(url, {"unit": unit.pk}).status_code == code, (user, unit, url)
    client.force_login(cases[0][0])
    assert client.get(reverse("rates:detail", args=[review.pk])).status_code == 404
    assert client.get(reverse("rates:list"), {"year": 1999}).status_code == 404
    assert client.get(reverse("rates:list"), {"unit": "٣"}).status_code == 404
    assert 'data-testid="nav-rates"' in client.get(reverse("rates:list")).content.decode()

    client.force_login(cases[2][0])
    html = client.get(reverse("rates:list")).content.decode()
    assert "Tỷ lệ báo cáo — Huyện Vũ Thư" in html and 'data-testid="nav-rates"' in html
    client.force_login(cases[3][0])
    assert client.get(reverse("rates:list")).status_code == 404
    assert 'data-testid="nav-rates"' not in client.get(reverse("reports:home")).content.decode()
