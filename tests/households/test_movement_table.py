"""figures.movement_table (SQL) against the balance identity, its own sub-totals and the pure rules.movement."""

import io
import random
import re
from collections import defaultdict
from datetime import date, datetime
from html import unescape
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from households import figures, rules, selectors
from households.models import ArchiveReason, Household, Member, PovertyClass, PovertyStandard, Review, ReviewState
from units.choices import UnitKind
from units.roles import Role

from .conftest import make_village

P, N, A, X = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE
TABLES = {"poor": P, "near": N}
MEASURES = ("households", "persons")
COLUMNS = range(1, 10)
DECREASES = {2, 3, 4}

# Two districts, two communes each; 13153 (Xã Vũ Thắng) was merged away on 01/12/2024, so in 2025 it is no
# longer in force but its villages still hold reviews: its row must still appear and add up.
LAYOUT = {"344": ["13249", "13255"], "343": ["13153", "13159"]}
YEARS = range(2021, 2026)


def empty():
    return {t: {m: dict.fromkeys(COLUMNS, 0) for m in MEASURES} for t in TABLES}


def add(into, values):
    for t in TABLES:
        for m in MEASURES:
            for c in COLUMNS:
                into[t][m][c] += values[t][m][c]


def balance(values, table, measure):
    v = values[table][measure]
    return v[1] - v[2] - v[3] - v[4] + v[5] + v[6] + v[7] + v[8]


# The data set ----------------------------------------------------------------------------------------------


class Dataset:
    def __init__(self, tree):
        self.province = tree.province
        self.districts = []
        self.communes = []
        self.villages = []
        self.history = {}  # household id -> {year: (recognised class or None, member_count)}
        self.place = {}  # household id -> (district id, commune id, village id)


def _income_for(rng, cls):
    return {
        P: rng.randint(0, 1_500_000),
        N: rng.randint(0, 1_500_000),
        A: rng.randint(1_500_001, 2_250_000),
        X: rng.randint(2_250_001, 9_000_000),
    }[cls]


def _deprived_for(rng, cls):
    count = rng.randint(3, 6) if cls == P else rng.randint(0, 2)
    return sorted(rng.sample(range(1, 13), count))


def generate(tree, standard, seed=7, per_village=25):
    rng = random.Random(seed)
    data = Dataset(tree)
    households, plans = [], []
    code = 0
    for district_code, commune_codes in LAYOUT.items():
        district = tree.district(district_code)
        data.districts.append(district)
        for commune_code in commune_codes:
            commune = tree.commune(commune_code)
            data.communes.append(commune)
            for name in ("Thôn Đông", "Thôn Đoài", "Thôn Trung"):
                village = make_village(commune, name)
                data.villages.append(village)
                for _ in range(per_village):
                    code += 1
                    first = rng.choice([2021] * 6 + [2022, 2023, 2024, 2025])
                    last = 2025
                    archived = None
                    if first < 2025 and rng.random() < 0.12:  # moved away: no review after `last`
                        last = rng.randint(first, 2024)
                        archived = date(last + 1, 3, 1)
                    households.append(
                        Household(
                            province=data.province,
                            village=village,
                            code=f"TB-{code:04d}",
                            archived_at=archived,
                            archive_reason=ArchiveReason.MOVED_AWAY if archived else "",
                        )
                    )
                    plans.append((district.pk, commune.pk, village.pk, first, last))
    Household.objects.bulk_create(households)

    weights = [(P, 30), (N, 30), (A, 25), (X, 15)]
    population = [cls for cls, w in weights for _ in range(w)]
    members, reviews = [], []
    for household, (district_id, commune_id, village_id, first, last) in zip(households, plans, strict=True):
        data.place[household.pk] = (district_id, commune_id, village_id)
        size = rng.randint(1, 7)
        members.append(
            Member(household=household, full_name="Chủ hộ", birth_date=date(1960, 1, 1), sex="M", relation="head")
        )
        members += [
            Member(
                household=household, full_name=f"Thành viên {i}", birth_date=date(1990, 1, 1), sex="F", relation="child"
            )
            for i in range(size - 1)
        ]
        history = data.history[household.pk] = {}
        cls = rng.choice(population)
        for year in range(first, last + 1):
            if rng.random() < 0.5:
                cls = rng.choice(population)
            if rng.random() < 0.08:
                continue  # no review that year
            count = max(1, size + rng.choice([-1, 0, 0, 0, 0, 1]))
            roll = rng.random()
            if roll < 0.07:  # still being entered: no recognised class, so absent from the tables
                state, recognised = rng.choice([ReviewState.DRAFT, ReviewState.SUBMITTED]), ""
            elif roll < 0.15:  # recognised, then locked at the close of the period
                state, recognised = ReviewState.LOCKED, cls
            else:
                state, recognised = ReviewState.RECOGNISED, cls
            income, deprived = _income_for(rng, cls), _deprived_for(rng, cls)
            computed = rules.classify(income=income, is_urban=False, deprivations=len(deprived), standard=standard)
            assert computed == cls
            reviews.append(
                Review(
                    household=household,
                    village=household.village,
                    year=year,
                    standard=standard,
                    is_urban=False,
                    income=income,
                    deprived=deprived,
                    member_count=count,
                    computed_class=computed,
                    recognised_class=recognised,
                    state=state,
                )
            )
            history[year] = (recognised or None, count)
    Member.objects.bulk_create(members)
    Review.objects.bulk_create(reviews)
    return data


@pytest.fixture
def dataset(tree, reference_data):
    return generate(tree, PovertyStandard.objects.get(code="nd07-2021"))


# The same tables, from the pure rule ------------------------------------------------------------------------


def household_values(history, year):
    """One household's contribution to both tables, by rules.movement (persons: same convention as the SQL:
    leavers count last year's members, joiners this year's, and a household that stays on a list counts its
    shrinking as an other decrease (col 4) and its growth as an other increase (col 8))."""
    values = empty()
    previous, p_n = history.get(year - 1, (None, 0))
    current, c_n = history.get(year, (None, 0))
    earlier = {cls for y, (cls, _n) in history.items() if y < year - 1}
    move = rules.movement(
        previous=previous, current=current, was_poor_before=P in earlier, was_near_poor_before=N in earlier
    )
    for table, cls in TABLES.items():
        v = values[table]
        if previous == cls:
            v["households"][1] += 1
            v["persons"][1] += p_n
        if current == cls:
            v["households"][9] += 1
            v["persons"][9] += c_n
        column = move.poor if cls == P else move.near_poor
        if column is not None:
            v["households"][column.value] += 1
            v["persons"][column.value] += p_n if column.value in DECREASES else c_n
        elif previous == cls == current:
            v["persons"][4] += max(p_n - c_n, 0)
            v["persons"][8] += max(c_n - p_n, 0)
    return values


def expected_table(data, unit, year):
    """{row unit id: values} and the total, for the households under `unit`."""
    level = {UnitKind.PROVINCE: 0, UnitKind.DISTRICT: 1, UnitKind.COMMUNE: 2}[unit.kind]
    rows, total = defaultdict(empty), empty()
    for pk, place in data.place.items():
        if level and place[level - 1] != unit.pk:
            continue
        values = household_values(data.history[pk], year)
        add(rows[place[level]], values)
        add(total, values)
    return rows, total


def all_units(data):
    return [data.province, *data.districts, *data.communes]


# The tests --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025])
def test_column_9_balances_on_every_row(dataset, year):
    checked = 0
    for unit in all_units(dataset):
        rows, total = figures.movement_table(unit, year)
        for row in [*rows, total]:
            for table in TABLES:
                for measure in MEASURES:
                    assert row.get(table, measure, 9) == balance(row.values, table, measure), (
                        unit.name,
                        row.unit,
                        table,
                        measure,
                    )
                    checked += 1
    assert checked > 0


@pytest.mark.parametrize("year", [2024, 2025])
def test_totals_are_the_sums_of_their_rows(dataset, year):
    province_rows, province_total = figures.movement_table(dataset.province, year)
    summed = empty()
    for row in province_rows:
        add(summed, row.values)
    assert summed == province_total.values

    by_district = {row.unit.pk: row.values for row in province_rows}
    for district in dataset.districts:
        rows, total = figures.movement_table(district, year)
        summed = empty()
        for row in rows:
            add(summed, row.values)
        assert summed == total.values, district.name
        assert total.values == by_district[district.pk], district.name

    for commune in dataset.communes:
        rows, total = figures.movement_table(commune, year)
        assert {row.unit.kind for row in rows} == {UnitKind.VILLAGE}
        summed = empty()
        for row in rows:
            add(summed, row.values)
        assert summed == total.values, commune.name
        for row in rows:  # a village's own table is its row in the commune's
            village_rows, village_total = figures.movement_table(row.unit, year)
            assert [r.unit for r in village_rows] == [row.unit]
            assert village_total.values == village_rows[0].values == row.values


@pytest.mark.parametrize("year", [2024, 2025])
def test_sql_agrees_with_the_pure_rule(dataset, year):
    for unit in all_units(dataset):
        rows, total = figures.movement_table(unit, year)
        expected_rows, expected_total = expected_table(dataset, unit, year)
        assert total.values == expected_total, unit.name
        got = {row.unit.pk: row.values for row in rows}
        assert set(expected_rows) <= set(got), f"rows missing under {unit.name}"
        for pk, values in got.items():
            assert values == expected_rows.get(pk, empty()), (unit.name, pk)


def test_data_set_exercises_every_column(dataset):
    """The random data must reach every column of both tables, or the comparisons above prove little."""
    seen = empty()
    for year in (2024, 2025):
        add(seen, figures.movement_table(dataset.province, year)[1].values)
    for table in TABLES:
        for column in COLUMNS:
            assert seen[table]["households"][column] > 0, (table, column)


def test_merged_commune_still_has_its_row_in_2025(dataset):
    district = next(d for d in dataset.districts if d.code == "343")
    merged = next(c for c in dataset.communes if c.code == "13153")
    assert merged.valid_to is not None and merged.valid_to < date(2025, 12, 31)
    rows, _total = figures.movement_table(district, 2025)
    assert merged.pk in {row.unit.pk for row in rows}


# A small case by hand ---------------------------------------------------------------------------------------


def _reviewed(standard, village, code, years, *, archived=None):
    """A household with recognised reviews: years = {year: (class, members)} ; class "" = not recognised yet."""
    household = Household.objects.create(
        province=village.parent.parent.parent,
        village=village,
        code=code,
        archived_at=archived,
        archive_reason=ArchiveReason.MOVED_AWAY if archived else "",
    )
    Member.objects.create(
        household=household, full_name="Chủ hộ", birth_date=date(1970, 1, 1), sex="M", relation="head"
    )
    for year, (cls, count) in years.items():
        Review.objects.create(
            household=household,
            year=year,
            standard=standard,
            is_urban=False,
            income=1_000_000,
            member_count=count,
            computed_class=cls or P,
            recognised_class=cls,
            state=ReviewState.RECOGNISED if cls else ReviewState.DRAFT,
        )
    return household


def test_hand_made_commune(tree, standard):
    song_an = tree.commune("13249")
    village = make_village(song_an, "Thôn Đông")
    other = make_village(tree.commune("13255"), "Thôn Bắc")
    households = {
        "H01": {2023: (P, 4), 2024: (P, 4), 2025: (P, 3)},  # stays poor, one person fewer
        "H02": {2024: (P, 3), 2025: (N, 3)},  # poor -> near-poor
        "H03": {2024: (P, 5), 2025: (A, 5)},  # escaped
        "H04": {2024: (P, 2)},  # moved away
        "H05": {2024: (N, 4), 2025: (P, 4)},  # near-poor -> poor
        "H06": {2023: (P, 3), 2024: (A, 3), 2025: (P, 3)},  # tái nghèo
        "H07": {2023: (A, 6), 2024: (A, 6), 2025: (P, 6)},  # newly poor
        "H08": {2025: (P, 2)},  # new household
        "H09": {2024: (N, 3), 2025: (N, 4)},  # stays near-poor, one person more
        "H10": {2023: (N, 2), 2024: (X, 2), 2025: (N, 2)},  # tái cận nghèo
        "H11": {2024: ("", 1), 2025: (P, 1)},  # 2024 never recognised: counts as absent last year
        "H12": {2022: (P, 2), 2023: (A, 2), 2024: (A, 2), 2025: (P, 2)},  # poor three years ago: tái nghèo
    }
    for code, years in households.items():
        _reviewed(standard, village, code, years, archived=date(2025, 3, 1) if code == "H04" else None)
    _reviewed(standard, other, "X01", {2024: (P, 9), 2025: (P, 9)})  # another commune: not counted here

    rows, total = figures.movement_table(song_an, 2025)
    assert [row.unit for row in rows] == [village]
    assert rows[0].values == total.values

    poor, near = total.values["poor"], total.values["near"]
    assert poor["households"] == {1: 4, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 1, 8: 2, 9: 7}
    assert poor["persons"] == {1: 14, 2: 3, 3: 5, 4: 3, 5: 4, 6: 5, 7: 6, 8: 3, 9: 21}
    assert near["households"] == {1: 2, 2: 1, 3: 0, 4: 0, 5: 1, 6: 1, 7: 0, 8: 0, 9: 3}
    assert near["persons"] == {1: 7, 2: 4, 3: 0, 4: 0, 5: 3, 6: 2, 7: 0, 8: 1, 9: 9}

    # The province counts the other commune's household as well, in its district's row.
    province_rows, province_total = figures.movement_table(tree.province, 2025)
    assert province_total.values["poor"]["households"][1] == 5
    assert province_total.values["poor"]["persons"][9] == 30
    vu_thu = next(row for row in province_rows if row.unit.code == "344")
    assert vu_thu.values == province_total.values
    assert all(row.values == empty() for row in province_rows if row.unit.code != "344")


def test_an_unfinished_year_says_how_many_households_still_wait_for_a_result(tree, standard, make_user, client):
    song_an = tree.commune("13249")
    east, west = make_village(song_an, "Thôn Đông"), make_village(song_an, "Thôn Tây")
    draft = _reviewed(standard, east, "P01", {2024: (P, 4), 2025: ("", 4)})  # 2025 review still a draft
    _reviewed(standard, east, "P02", {2024: (N, 3)})  # 2025 review not started, still lives here
    _reviewed(standard, west, "P03", {2024: (P, 2)}, archived=date(2025, 5, 1))  # moved away: a real decrease
    _reviewed(standard, west, "P04", {2024: (P, 1), 2025: (P, 1)})  # done

    rows, total = figures.movement_table(song_an, 2025)
    assert (total.pending, [row.pending for row in rows]) == (2, [2, 0])
    assert total.values["poor"]["households"][4] == 2 and total.values["near"]["households"][4] == 1

    client.force_login(make_user(Role.COMMUNE_OFFICER, song_an))
    html = client.get(reverse("households:movement"), {"year": 2025}).content.decode()
    assert "2 hộ thuộc danh sách đầu năm 2025 chưa có kết quả công nhận năm 2025" in html
    export = client.get(reverse("households:movement"), {"year": 2025, "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert "chưa có kết quả công nhận" in list(book.active.iter_rows(values_only=True))[-1][0]

    Review.objects.filter(household=draft).update(recognised_class=P, state=ReviewState.RECOGNISED)
    assert figures.movement_table(song_an, 2025)[1].pending == 1
    assert figures.movement_table(song_an, 2024)[1].pending == 0
    html = client.get(reverse("households:movement"), {"year": 2024}).content.decode()
    assert 'data-testid="movement-pending"' not in html


@pytest.mark.parametrize("kind", [UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE])
def test_movement_table_does_not_depend_on_the_query_plan(tree, standard, kind):
    song_an = tree.commune("13249")
    village = make_village(song_an, "Thôn Đông")
    _reviewed(standard, village, "H01", {2024: (P, 3), 2025: (N, 3)})
    unit = {UnitKind.PROVINCE: tree.province, UnitKind.DISTRICT: song_an.parent, UnitKind.COMMUNE: song_an}[kind]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")  # a plan PostgreSQL picks by itself on large tables
    _rows, total = figures.movement_table(unit, 2025)
    assert total.values["poor"]["households"][2] == 1


# Each figure opens the households behind it ----------------------------------------------------------------


@pytest.fixture
def dolisa(make_user, tree):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), last_name="Vũ Đức", first_name="Hạnh")


@pytest.mark.parametrize("year", [2024, 2025])
def test_every_household_figure_counts_the_households_its_list_shows(dataset, dolisa, year):
    checked = 0
    for unit in all_units(dataset):
        rows, total = figures.movement_table(unit, year)
        for row in [total, *rows]:
            area = row.unit or unit
            if row.unit and not any(row.values[t]["households"][c] for t in TABLES for c in COLUMNS):
                continue
            for table in TABLES:
                for column in COLUMNS:
                    listed = selectors.household_filter(
                        dolisa,
                        year=year,
                        include_archived=True,
                        movement=figures.MovementCell(area, table, column),
                    )
                    assert listed.count() == row.get(table, "households", column), (area.name, table, column)
                    checked += 1
    assert checked > 100


def _total_links(html, table):
    """(href, figure) of the household figures in the total row of one table of the movement page."""
    row = re.search(rf'data-testid="movement-{table}-total-households">(.*?)</tr>', html, re.S).group(1)
    return [
        (unescape(href), int(figure.replace(".", "")))
        for href, figure in re.findall(r'<a href="([^"]+)" data-testid="movement-link-[^"]+">([\d.]+)</a>', row)
    ]


def test_a_figure_of_the_page_opens_a_list_of_as_many_households(client, dataset, dolisa):
    client.force_login(dolisa)
    district = dataset.districts[0]
    html = client.get(reverse("households:movement"), {"unit": district.pk, "year": 2025}).content.decode()
    links = _total_links(html, "poor") + _total_links(html, "near")
    assert len(links) >= 15
    for href, figure in links:
        page = client.get(href).content.decode()
        count = re.search(r'data-testid="result-count">([\d.]+) hộ', page).group(1)
        assert int(count.replace(".", "")) == figure, href
        assert 'data-testid="movement-filter"' in page


@pytest.fixture
def in_october_2025():
    with time_machine.travel(datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        yield


def test_the_page_opens_on_the_latest_finished_year(client, dataset, dolisa, in_october_2025):
    client.force_login(dolisa)
    html = client.get(reverse("households:movement")).content.decode()
    assert "Diễn biến hộ nghèo, hộ cận nghèo năm 2024 — Tỉnh Thái Bình" in html
    assert 'data-testid="movement-unfinished"' not in html
    assert '<option value="2025">2025 (chưa hoàn thành)</option>' in html
    html = client.get(reverse("households:movement"), {"year": 2025}).content.decode()
    assert 'data-testid="movement-unfinished"' in html


def test_the_table_names_its_columns_puts_the_total_first_and_leads_back_up(client, dataset, dolisa, make_user):
    commune = dataset.communes[0]
    client.force_login(dolisa)
    html = client.get(reverse("households:movement"), {"unit": commune.pk, "year": 2025}).content.decode()
    for label in ("1. Hộ nghèo đầu kỳ", "6. Tái nghèo", "7. Hộ nghèo phát sinh mới", "9. Hộ cận nghèo cuối kỳ"):
        assert label in html
    assert "6. Tái cận nghèo" in html and "Tỷ lệ hộ nghèo (%)" in html
    poor = html.split('data-testid="movement-poor"')[1]
    assert poor.index('data-testid="movement-poor-total-households"') < poor.index("Thôn Đông")
    crumbs = re.search(r'data-testid="movement-breadcrumb">(.*?)</ol>', html, re.S).group(1)
    assert "Tỉnh Thái Bình" in crumbs and commune.parent.name in crumbs
    assert f"?unit={commune.parent.pk}&amp;year=2025" in crumbs

    client.force_login(make_user(Role.COMMUNE_OFFICER, commune))
    html = client.get(reverse("households:movement"), {"year": 2025}).content.decode()
    assert 'data-testid="movement-breadcrumb"' not in html  # nothing above the commune is theirs to open


def test_the_poverty_rate_counts_the_households_of_the_area_at_the_end_of_the_year(tree, standard, client, dolisa):
    song_an = tree.commune("13249")
    village = make_village(song_an, "Thôn Đông Hải")
    _reviewed(standard, village, "R01", {2024: (P, 3), 2025: (P, 3)})
    _reviewed(standard, village, "R02", {2024: (N, 3), 2025: (P, 2)})
    _reviewed(standard, village, "R03", {2025: (N, 4)})
    _reviewed(standard, village, "R04", {2025: (X, 4)})
    _reviewed(standard, village, "R05", {2024: (P, 1)}, archived=date(2025, 3, 1))  # not in the area any more
    _reviewed(standard, village, "R06", {2024: (A, 5)}, archived=date(2026, 2, 1))  # still there on 31/12/2025
    rows, total = figures.movement_table(song_an, 2025)
    assert total.households == rows[0].households == 5
    assert total.rates == {"poor": 40.0, "near": 20.0}
    client.force_login(dolisa)
    html = client.get(reverse("households:movement"), {"unit": song_an.pk, "year": 2025}).content.decode()
    assert re.search(r'data-testid="movement-poor-total-households">.*?40,00</td>', html, re.S)
    assert "chưa bị lưu trữ vào ngày 31 tháng 12" in html  # the footnote says what the rate is


def test_the_movement_export_is_a_report(tree, standard, client, dolisa):
    song_an = tree.commune("13249")
    _reviewed(standard, make_village(song_an, "Thôn Đông Hải"), "R01", {2024: (P, 3), 2025: (N, 3)})
    client.force_login(dolisa)
    response = client.get(reverse("households:movement"), {"unit": song_an.pk, "year": 2025, "format": "xlsx"})
    assert unquote(response["Content-Disposition"]).endswith('filename="dien-bien-ho-ngheo-2025-xa-song-an.xlsx"')
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "Diễn biến hộ nghèo, hộ cận nghèo năm 2025"
    assert (rows[1][0], rows[2][0]) == ("Đơn vị: Xã Song An", "Năm: 2025")
    assert rows[4][:4] == ("Đơn vị", "Bảng", "Đơn vị tính", "1. Đầu kỳ") and rows[4][11] == "9. Cuối kỳ"
    assert rows[5][:5] == ("Tổng cộng", "Hộ nghèo", "hộ", 1, 1)
    assert rows[5][-1] == 0.0 and rows[7][-1] == 100.0  # the rates: no poor, one near-poor household of one
