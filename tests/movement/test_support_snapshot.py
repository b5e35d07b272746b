"""The ledger's yearly snapshot (movement.snapshots), stored by the registry's aggregation run: equal to the live
support totals and to the live comparison of supported households for every unit on generated data; rerunnable
with identical rows; stale once support of its year (or of the year before) is recorded, and then refreshed by the
nightly task; the dashboard's comparison read from it."""

import random
from datetime import date

import pytest
from django.urls import reverse

from households import snapshots as registry_snapshots
from households import tasks as registry_tasks
from households.models import Household, PovertyStandard
from movement.models import Support, SupportKind, SupportYear, UnitSupport
from movement.selectors import ledger
from movement.services import ledger as ledger_services
from tests.households.test_snap_snapshots import generate
from units.models import Unit
from units.roles import Role

YEARS = (2024, 2025)


@pytest.fixture
def dataset(tree, reference_data, movement, make_user):
    """The registry's generated households (moving between villages, communes and districts) and support of 2024
    and 2025 from communes, districts, the Women's Union and the bank's branches, to households and communes."""
    data = generate(tree, PovertyStandard.objects.get(code="nd07-2021"), per_village=10)
    rng = random.Random(5)
    bank = tree.participant("NHCSXH Thái Bình")
    givers = [
        *data.communes,
        *data.districts,
        tree.participant("Hội LHPN tỉnh"),
        *Unit.objects.filter(path__startswith=bank.path),
    ]
    recorder = make_user(Role.ADMIN, tree.province)
    households = list(Household.objects.select_related("village"))
    rows = []
    for _ in range(400):
        household = rng.choice(households) if rng.random() < 0.8 else None
        commune_id = household.village.parent_id if household else rng.choice(data.communes).pk
        kind = rng.choice(SupportKind.values)
        values = [500_000, 2_000_000, 50_000_000, 1_234_567] + ([] if kind in ("cash", "loan") else [0])
        rows.append(
            Support(
                giver=rng.choice(givers),
                household=household,
                commune_id=commune_id,
                kind=kind,
                value=rng.choice(values),
                given_on=date(rng.choice((2023, *YEARS)), rng.randint(1, 12), rng.randint(1, 28)),
                recorded_by=recorder,
            )
        )
    Support.objects.bulk_create(rows)
    data.givers = givers
    data.all_units = list({unit.pk: unit for unit in [*data.units, *givers]}.values())
    return data


def live(data):
    """Every unit's totals of each year and comparison of each cohort, counted now."""
    assert not any(ledger.from_snapshot(year) for year in YEARS)
    return {
        unit.pk: (
            [ledger.live_support(unit, year) for year in YEARS],
            ledger.support_outcomes(unit, 2024),
            [
                (
                    ledger.measure_support_given(unit, y),
                    ledger.measure_support_received(unit, y),
                    ledger.measure_jobs_given(unit, y),
                )
                for y in YEARS
            ],
        )
        for unit in data.all_units
    }


def read(data):
    """The same, through the functions that read a current snapshot."""
    return {
        unit.pk: (
            [ledger.unit_support(unit, year) for year in YEARS],
            ledger.support_outcomes(unit, 2024),
            [
                (
                    ledger.measure_support_given(unit, y),
                    ledger.measure_support_received(unit, y),
                    ledger.measure_jobs_given(unit, y),
                )
                for y in YEARS
            ],
        )
        for unit in data.all_units
    }


def stored(year):
    return sorted(
        tuple(v for k, v in row.items() if k != "id") for row in UnitSupport.objects.filter(year=year).values()
    )


def test_the_snapshot_equals_the_live_support_for_every_unit(dataset):
    expected = live(dataset)
    province = dataset.province
    assert expected[province.pk][0][1].given_value > 0 and expected[province.pk][0][1].households_supported > 0
    assert any(g.households and g.supported for g in expected[province.pk][1].groups)
    assert any(g.escaped for g in expected[province.pk][1].groups)
    ledger_rows = list(Support.objects.select_related("giver", "commune"))
    for unit in dataset.all_units:  # the live totals against the ledger's rows, counted plainly in Python
        for n, year in enumerate(YEARS):
            rows = [r for r in ledger_rows if r.given_on.year == year]
            given = [r for r in rows if r.giver.path.startswith(unit.path)]
            received = [r for r in rows if r.commune.path.startswith(unit.path)]
            totals = expected[unit.pk][0][n]
            assert (totals.given_rows, totals.given_value) == (len(given), sum(r.value for r in given))
            assert (totals.received_rows, totals.received_value) == (len(received), sum(r.value for r in received))
            assert totals.households_supported == len({r.household_id for r in received if r.household_id})
    for year in YEARS:
        registry_snapshots.aggregate(year)  # the registry's run stores the ledger's snapshot too
        assert ledger.from_snapshot(year)
        assert UnitSupport.objects.filter(year=year).exists()
    assert read(dataset) == expected


def test_the_snapshot_is_read_not_recomputed(dataset, django_assert_num_queries):
    registry_snapshots.aggregate(2025)
    UnitSupport.objects.filter(year=2025, unit=dataset.province).update(given_value=7, outcomes=[1] * 12)
    with django_assert_num_queries(2):  # is the year current; the unit's row
        assert ledger.unit_support(dataset.province, 2025).given_value == 7
    assert all(g.households == 1 for g in ledger.support_outcomes(dataset.province, 2024).groups)


def test_a_rerun_stores_identical_rows(dataset):
    registry_snapshots.aggregate(2025)
    first = stored(2025)
    assert len(first) >= len(dataset.units)
    registry_snapshots.aggregate(2025)
    assert stored(2025) == first


def test_recorded_support_makes_its_year_and_the_next_stale_until_the_nightly_refresh(
    dataset, tree, make_user, time_machine
):
    time_machine.move_to("2026-01-15 10:00 +0700")
    for year in (2024, 2025):
        registry_snapshots.aggregate(year)
    commune = dataset.communes[0]
    officer = make_user(Role.COMMUNE_OFFICER, commune)
    code = Household.objects.filter(village__parent=commune).values_list("code", flat=True).first()
    before = ledger.unit_support(commune, 2024)
    ledger_services.record_support(
        user=officer,
        giver=commune,
        kind=SupportKind.CASH,
        value=3_000_000,
        given_on=date(2024, 12, 30),
        household_code=code,
    )
    assert set(SupportYear.objects.filter(stale=True).values_list("year", flat=True)) == {2024, 2025}
    assert not ledger.from_snapshot(2024) and not ledger.from_snapshot(2025)
    assert ledger.unit_support(commune, 2024).given_value == before.given_value + 3_000_000  # live meanwhile
    expected = live(dataset)

    assert registry_tasks.refresh_figures().keys() == {2024, 2025}
    assert ledger.from_snapshot(2024) and ledger.from_snapshot(2025)
    assert read(dataset) == expected


def test_the_dashboard_reads_the_comparison_from_the_snapshot(dataset, make_user, client):
    registry_snapshots.aggregate(2025)
    UnitSupport.objects.filter(year=2025, unit=dataset.province).update(outcomes=[3] * 12)
    client.force_login(make_user(Role.DOLISA_STAFF, dataset.province))
    page = client.get(reverse("movement:dashboard"), {"unit": dataset.province.pk, "year": 2025})
    assert page.status_code == 200
    assert all(g.households == 3 for g in page.context["support_outcomes"].groups)


def test_a_year_the_registry_stored_without_the_ledgers_snapshot_is_computed_by_the_nightly_refresh(
    dataset, time_machine
):
    time_machine.move_to("2026-01-15 10:00 +0700")  # out of the review season
    registry_snapshots.aggregate(2025)
    SupportYear.objects.filter(year=2025).delete()
    UnitSupport.objects.filter(year=2025).delete()
    assert not ledger.from_snapshot(2025)
    assert registry_tasks.refresh_figures().keys() == {2025}
    assert ledger.from_snapshot(2025) and UnitSupport.objects.filter(year=2025).exists()
    assert registry_tasks.refresh_figures() == {}
