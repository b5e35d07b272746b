"""The movement dashboards on generated data: every number of the page and of its Excel export is the registry's
movement table of the same unit and year; drill-down, scope (another unit: 404) and a pinned query count."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from households import figures, snapshots
from households.models import PovertyStandard
from movement import rules
from movement.models import Target
from tests.households.test_movement_table import generate
from units.roles import Role

URL = reverse("movement:dashboard")
YEARS = range(2021, 2026)


@pytest.fixture
def dataset(tree, reference_data):
    return generate(tree, PovertyStandard.objects.get(code="nd07-2021"))


@pytest.fixture
def dolisa(make_user, tree):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))


@pytest.fixture
def with_targets(movement, dataset):
    """Bands for the province, one district and two communes (the rest have none)."""
    Target.objects.filter(movement=movement, unit=dataset.province).update(yearly_min=3, yearly_max=6)
    Target.objects.create(movement=movement, unit=dataset.districts[0], yearly_min=2, yearly_max=4, final_reduction=9)
    Target.objects.create(movement=movement, unit=dataset.communes[0], yearly_min=0, yearly_max=2)
    Target.objects.create(movement=movement, unit=dataset.communes[1], yearly_min=50, yearly_max=60)
    return movement


def cells(html, testid):
    """{data-field: text} of the table row marked `testid`."""
    row = re.search(rf'data-testid="{testid}">(.*?)</tr>', html, re.S).group(1)
    found = re.findall(r'data-field="(\w+)"[^>]*>(.*?)</td>', row, re.S)
    return {field: re.sub(r"<[^>]+>", "", value).strip() for field, value in found}


def number(text):
    return int(text.replace(".", "").replace(",", "").replace("\xa0", ""))


def rate(text):
    return None if text == "—" else float(text.replace(",", "."))


def check_dashboard(client, unit, year, movement):
    answer = client.get(URL, {"unit": unit.pk, "year": year})
    assert answer.status_code == 200
    html = answer.content.decode()
    board = answer.context["board"]
    assert [y.year for y in board.years] == list(YEARS)
    target = Target.objects.filter(movement=movement, unit=unit).first()
    baseline = figures.movement_table(unit, movement.baseline_year)[1].get("poor", "households", 9)
    assert board.baseline == baseline
    final = (
        target.final_reduction
        if target and target.final_reduction is not None
        else rules.default_final_reduction(baseline, 1, 3)
    )
    assert board.final_reduction == final
    for y in board.years:
        rows, total = figures.movement_table(unit, y.year)
        poor, near = total.values["poor"]["households"], total.values["near"]["households"]
        expected = {
            "poor": poor[9],
            "near_poor": near[9],
            "poor_rate": total.rates["poor"],
            "near_poor_rate": total.rates["near"],
            "poor_start": poor[1],
            "reduction": poor[1] - poor[9],
            "newly_poor": poor[7],
            "re_poor": poor[6],
        }
        assert {key: getattr(y, key) for key in expected} == expected, (unit, y.year)
        shown = cells(html, f"year-{y.year}") | cells(html, f"moves-{y.year}")
        for key in ("poor", "near_poor", "poor_start", "reduction", "newly_poor", "re_poor"):
            assert number(shown[key]) == expected[key], (unit, y.year, key)
        assert rate(shown["poor_rate"]) == expected["poor_rate"]
        assert rate(shown["near_poor_rate"]) == expected["near_poor_rate"]
        assert y.final_line == max(baseline - final, 0)
        years_since = y.year - movement.baseline_year
        if target and target.yearly_min is not None:
            assert y.band_upper == max(baseline - years_since * target.yearly_min, 0)
            assert y.band_lower == max(baseline - years_since * target.yearly_max, 0)
        else:
            assert y.band_upper is None
        if y.year == year:
            assert [c.unit.pk for c in board.children] == [r.unit.pk for r in rows]
            for child, row in zip(board.children, rows, strict=True):
                start, end = row.get("poor", "households", 1), row.get("poor", "households", 9)
                assert (child.poor_start, child.poor_end, child.reduction) == (start, end, start - end)
                shown = cells(html, f"child-{child.unit.pk}")
                assert number(shown["poor_start"]) == start and number(shown["poor_end"]) == end
                assert number(shown["reduction"]) == start - end
                child_target = Target.objects.filter(movement=movement, unit=child.unit).first()
                band_min = child_target.yearly_min if child_target else None
                reduction = None if year == movement.baseline_year else start - end
                assert child.status == rules.status(reduction, band_min)
    return answer


def test_every_number_equals_the_movement_table(client, dolisa, dataset, with_targets):
    client.force_login(dolisa)
    statuses = set()
    for unit in [dataset.province, *dataset.districts, *dataset.communes]:
        answer = check_dashboard(client, unit, 2024, with_targets)
        statuses |= {child.status for child in answer.context["board"].children}
    assert {rules.ON_TRACK, rules.BEHIND, None} <= statuses, "the data reach every status"
    assert sum(y.newly_poor for y in answer.context["board"].years) > 0
    assert sum(y.re_poor for y in answer.context["board"].years) > 0


def test_the_baseline_year_has_no_status(client, dolisa, dataset, with_targets):
    client.force_login(dolisa)
    board = check_dashboard(client, dataset.province, 2021, with_targets).context["board"]
    assert {child.status for child in board.children} == {None}


def test_drill_down_and_breadcrumb(client, dolisa, dataset, movement):
    client.force_login(dolisa)
    html = client.get(URL).content.decode()  # the province by default
    district = dataset.districts[0]
    assert f'href="?unit={district.pk}&amp;year=' in html
    html = client.get(URL, {"unit": district.pk}).content.decode()
    commune = next(c for c in dataset.communes if c.parent_id == district.pk)
    assert f'data-testid="drill-{commune.pk}"' in html
    assert f'data-testid="crumb-{dataset.province.pk}"' in html
    html = client.get(URL, {"unit": commune.pk}).content.decode()
    assert f'data-testid="crumb-{district.pk}"' in html and f'data-testid="crumb-{dataset.province.pk}"' in html
    village = next(v for v in dataset.villages if v.parent_id == commune.pk)
    assert f'data-testid="child-{village.pk}"' in html and f'data-testid="drill-{village.pk}"' not in html
    assert client.get(URL, {"unit": village.pk}).status_code == 404, "no dashboard below the commune"


def test_scope(client, make_user, dataset, movement, tree):
    commune = dataset.communes[0]
    officer = make_user(Role.COMMUNE_OFFICER, commune)
    client.force_login(officer)
    assert client.get(URL).context["unit"] == commune
    assert client.get(URL, {"unit": commune.pk}).status_code == 200
    assert client.get(URL, {"unit": dataset.communes[2].pk}).status_code == 404
    assert client.get(URL, {"unit": dataset.province.pk}).status_code == 404
    assert client.get(URL, {"unit": commune.parent_id, "format": "xlsx"}).status_code == 404
    district_officer = make_user(Role.DISTRICT_OFFICER, dataset.districts[0])
    client.force_login(district_officer)
    assert client.get(URL, {"unit": dataset.districts[1].pk}).status_code == 404
    for role in (Role.EMULATION_BOARD, Role.ADMIN):
        client.force_login(make_user(role, tree.province))
        assert client.get(URL).context["unit"] == dataset.province
    client.force_login(make_user(Role.UNIT_REPORTER, tree.participant("NHCSXH Thái Bình")))
    assert client.get(URL).status_code == 404, "a bank sees no area's figures"
    assert client.get(URL, {"unit": dataset.province.pk}).status_code == 404


def test_excel_export_holds_the_same_numbers(client, dolisa, dataset, with_targets):
    client.force_login(dolisa)
    district = dataset.districts[0]
    answer = client.get(URL, {"unit": district.pk, "year": 2023, "format": "xlsx"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "Tổng quan phong trào" in rows[0][0] and district.name in rows[1][0] and "2023" in rows[2][0]
    by_year = {row[0]: row for row in rows if isinstance(row[0], int)}
    for year in YEARS:
        _rows, total = figures.movement_table(district, year)
        poor = total.values["poor"]["households"]
        assert by_year[year][1:9] == [
            poor[9],
            total.rates["poor"],
            total.values["near"]["households"][9],
            total.rates["near"],
            poor[1],
            poor[1] - poor[9],
            poor[7],
            poor[6],
        ]
    table_rows, _total = figures.movement_table(district, 2023)
    named = {row[0]: row for row in rows if isinstance(row[0], str)}
    for row in table_rows:
        start, end = row.get("poor", "households", 1), row.get("poor", "households", 9)
        assert named[row.unit.name][1:4] == [start, end, start - end]


def test_query_count_is_pinned(client, dolisa, dataset, movement, django_assert_max_num_queries):
    """One query to decide which years the snapshots serve (none here), then three per year's movement table (five
    years: the table, its households, the history context of the raw statements), one per year to know whether it
    has results, the completeness and the support comparison (whether a snapshot serves it, the comparison), the
    rest fixed: the count does not grow with the units or households under the unit."""
    client.force_login(dolisa)
    for unit in (dataset.province, dataset.districts[0], dataset.communes[0]):
        with django_assert_max_num_queries(38):
            assert client.get(URL, {"unit": unit.pk}).status_code == 200


def test_the_years_the_snapshots_serve_are_decided_once(client, dolisa, dataset, movement):
    """With every year aggregated, the page asks once which years the snapshots serve, not once a table."""
    for year in range(2021, 2026):
        snapshots.aggregate(year)
    assert figures.served_years() >= set(range(2021, 2026))
    client.force_login(dolisa)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"unit": dataset.communes[0].pk}).status_code == 200
    deciding = [q["sql"] for q in queries.captured_queries if '"households_figuresyear"' in q["sql"]]
    assert len(deciding) == 2, deciding  # the registry's years, and the support comparison's year


def test_phone_width_markup(client, dolisa, dataset, movement):
    """Tables scroll inside their own box and charts sit in a box that follows the column's width."""
    client.force_login(dolisa)
    html = client.get(URL).content.decode()
    assert html.count('class="chart-box"') == 2
    assert html.count("<table") >= 3
    assert html.count("<table") == html.count('class="table-responsive'), "every table scrolls in its own box"
    assert 'id="dashboard-chart-data" type="application/json"' in html
    assert "<script>" not in html, "no inline script (the CSP forbids it)"
