"""The ledger's figures: totals by giver, commune, kind and year; the criteria's measures; and the comparison of
supported and unsupported households, checked against a plain count on generated data."""

import random
from datetime import date

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from households import figures
from households.models import PovertyStandard, Review
from movement.models import Support, SupportKind
from movement.selectors import ledger as selectors
from movement.services import ledger as services
from tests.movement.ledger import Ledger, household, village
from units.roles import Role


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2025-06-30 10:00 +0700", tick=False):
        yield


@pytest.fixture
def ledger(movement, tree, make_user):
    return Ledger(tree, make_user)


def give(ledger, user, giver, code, kind, value, day, **extra):
    return services.record_support(
        user=user, giver=giver, kind=kind, value=value, given_on=day, household_code=code, **extra
    )


def test_totals_by_giver_commune_kind_and_year(ledger, tree, make_user):
    give(ledger, ledger.banker, ledger.bank, "13249-00017", SupportKind.LOAN, 50_000_000, date(2024, 3, 1))
    give(ledger, ledger.banker, ledger.bank, "13249-00018", SupportKind.LOAN, 30_000_000, date(2025, 3, 1))
    give(ledger, ledger.banker, ledger.bank, "13255-00001", SupportKind.LOAN, 20_000_000, date(2025, 4, 1))
    give(ledger, ledger.women_reporter, ledger.women, "13249-00017", SupportKind.JOB, 0, date(2025, 1, 5))
    give(
        ledger,
        ledger.women_reporter,
        ledger.women,
        "",
        SupportKind.HOUSING,
        80_000_000,
        date(2025, 2, 5),
        commune=ledger.vu_hoi,
    )
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"))

    by_giver = {t["label"]: (t["rows"], t["households"], t["value"]) for t in selectors.support_totals(dolisa)}
    assert by_giver == {
        ledger.bank.name: (3, 3, 100_000_000),
        ledger.women.name: (2, 1, 80_000_000),
    }
    by_commune = {t["label"]: t["value"] for t in selectors.support_totals(dolisa, by="commune")}
    assert by_commune == {ledger.song_an.name: 80_000_000, ledger.vu_hoi.name: 100_000_000}
    with translation.override("vi"):
        by_kind = {t["label"]: t["rows"] for t in selectors.support_totals(dolisa, by="kind")}
    assert by_kind == {"Vay vốn ưu đãi": 3, "Việc làm": 1, "Xây mới hoặc sửa chữa nhà ở": 1}
    by_year = {t["label"]: t["value"] for t in selectors.support_totals(dolisa, by="year")}
    assert by_year == {2024: 50_000_000, 2025: 130_000_000}
    in_2025 = selectors.Filters(year=2025, kind=SupportKind.LOAN)
    assert [(t["rows"], t["value"]) for t in selectors.support_totals(dolisa, in_2025)] == [(2, 50_000_000)]
    # The commune officer's totals are those of its own households only.
    mine = selectors.support_totals(ledger.officer, by="commune")
    assert [(t["label"], t["value"]) for t in mine] == [(ledger.song_an.name, 80_000_000)]

    assert selectors.measure_support_given(ledger.bank, 2025) == 50_000_000
    assert selectors.measure_support_given(ledger.bank, 2024) == 50_000_000
    assert selectors.measure_support_received(ledger.vu_hoi, 2025) == 100_000_000
    assert selectors.measure_support_received(tree.district("344"), 2025) == 130_000_000
    assert selectors.measure_support_received(ledger.bank, 2025) == 0
    assert selectors.measure_jobs_given(ledger.women, 2025) == 1
    assert selectors.measure_jobs_given(ledger.bank, 2025) == 0


def test_the_totals_export_has_a_title_block(client, ledger):
    from io import BytesIO

    from openpyxl import load_workbook

    give(ledger, ledger.banker, ledger.bank, "13249-00017", SupportKind.LOAN, 50_000_000, date(2025, 3, 1))
    client.force_login(ledger.banker)
    response = client.get("/movement/support/export/?year=2025", HTTP_ACCEPT_LANGUAGE="vi")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["Hỗ trợ hộ nghèo"]
    assert ["Năm: 2025"] in cells
    assert [ledger.bank.name, 1, 1, 50_000_000] in cells
    response = client.get("/movement/support/export/?sheet=rows", HTTP_ACCEPT_LANGUAGE="vi")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[3] == "13249-00017"]
    assert len(rows) == 1 and rows[0][4] == "Nguyễn Thị Hồng Nhung" and rows[0][8] == 50_000_000


CLASSES = ("poor", "near_poor", "average", "none")


def test_support_outcomes_on_generated_data(ledger, tree, make_user, django_assert_max_num_queries):
    """60 households of three communes (one outside the district) with random classes in 2024 and 2025 (or no
    2025 result), a random half supported in 2024 (some twice, some only in 2023 or 2025): the SQL comparison
    equals a plain count."""
    rng = random.Random(119)
    standard = PovertyStandard.objects.get(code="nd07-2021")
    ward = tree.commune("12433")  # Thành phố Thái Bình: outside the district compared below
    ward_officer = make_user(Role.COMMUNE_OFFICER, ward)
    places = [
        (ledger.dong_ho, ledger.officer),
        (ledger.vu_hoi_village, ledger.other_officer),
        (village(ward, "Tổ dân phố 9"), ward_officer),
    ]
    expected = {}
    for n in range(60):
        where, officer = places[n % 3]
        code = f"{where.parent.code}-{n + 100:05d}"
        h = household(officer, where, code)
        first = rng.choice(CLASSES)
        second = rng.choice((*CLASSES, "", None))
        common = {"standard": standard, "is_urban": False, "income": 1_000_000, "member_count": 3}
        Review.objects.create(household=h, year=2024, computed_class=first, recognised_class=first, **common)
        if second is not None:
            Review.objects.create(
                household=h, year=2025, computed_class=second or "poor", recognised_class=second, **common
            )
        supported = rng.random() < 0.5
        if supported:
            for _ in range(rng.choice((1, 2))):
                give(
                    ledger,
                    ledger.banker,
                    ledger.bank,
                    code,
                    SupportKind.CASH,
                    2_000_000,
                    date(2024, rng.randint(1, 12), 10),
                )
        elif rng.random() < 0.3:
            give(
                ledger,
                ledger.banker,
                ledger.bank,
                code,
                SupportKind.CASH,
                2_000_000,
                date(rng.choice((2023, 2025)), 5, 5),
            )
        if first in ("poor", "near_poor") and where.parent != ward:
            better = {"poor": ("near_poor", "average", "none"), "near_poor": ("average", "none")}[first]
            outcome = "no_result" if not second else "escaped" if second in better else "still"
            counts = expected.setdefault(
                (first, supported), {"households": 0, "escaped": 0, "still": 0, "no_result": 0}
            )
            counts["households"] += 1
            counts[outcome] += 1
    district = tree.district("344")
    with django_assert_max_num_queries(2):  # is the next year served by its snapshot; the comparison
        outcomes = selectors.support_outcomes(district, 2024)
    got = {
        (g.cohort, g.supported): {
            "households": g.households,
            "escaped": g.escaped,
            "still": g.still,
            "no_result": g.no_result,
        }
        for g in outcomes.groups
    }
    empty = {"households": 0, "escaped": 0, "still": 0, "no_result": 0}
    assert got == {key: expected.get(key, empty) for key in got}
    assert len(got) == 4 and sum(c["households"] for c in expected.values()) > 10
    # The cohorts are the year's recognised poor and near-poor households, as the registry's figures count them.
    counts = figures.class_counts(district, 2024)
    assert sum(g.households for g in outcomes.groups if g.cohort == "poor") == counts.poor.households
    assert sum(g.households for g in outcomes.groups if g.cohort == "near_poor") == counts.near_poor.households
    assert Support.objects.exists()
    # The commune's comparison is the district's restricted to it.
    song_an = selectors.support_outcomes(ledger.song_an, 2024)
    assert sum(g.households for g in song_an.groups) < sum(g.households for g in outcomes.groups)

    with translation.override("vi"):
        html = render_to_string("movement/dashboard/_support_outcomes.html", {"support_outcomes": outcomes})
    assert "So sánh, không phải quan hệ nhân quả" in html
    assert html.count('data-testid="outcome-row"') == 4
    group = outcomes.groups[0]
    if group.households:
        assert f"({group.escaped_share}%)" in html.replace(",", ".")
