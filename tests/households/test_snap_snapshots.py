"""Yearly snapshots (households.snapshots): equal to the live figures for every unit, rerunnable, not read once
stale, read by one query; the Celery task on a real worker; the schedule and the on-demand button."""

import itertools
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from households import figures, rules, services, snapshots, tasks
from households.models import (
    ArchiveReason,
    FiguresYear,
    Household,
    Member,
    PovertyCause,
    PovertyClass,
    PovertyStandard,
    Review,
    ReviewState,
    UnitCause,
    UnitDeprivation,
    UnitFigures,
)
from units.models import Unit
from units.roles import Role

from .conftest import make_village

P, N, A, X = PovertyClass.POOR, PovertyClass.NEAR_POOR, PovertyClass.AVERAGE, PovertyClass.NONE
# Two districts, two communes each, three villages each; 13153 (Xã Vũ Thắng) was merged away on 01/12/2024, so in
# 2025 it is no longer in force but holds 2024 reviews: it keeps its row in its district's 2025 table.
LAYOUT = {"344": ["13249", "13255"], "343": ["13153", "13159"]}
YEARS = (2024, 2025)
GROUPS = ("no_working_capacity", "meritorious_service", "ethnic_minority", "social_protection")


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


class Data:
    def __init__(self):
        self.province = None
        self.districts, self.communes, self.villages = [], [], []
        self.moves = {"village": 0, "commune": 0, "district": 0}  # households moved between two reviews

    @property
    def units(self):
        return [self.province, *self.districts, *self.communes, *self.villages]


def generate(tree, standard, *, seed=11, per_village=18):
    """Households reviewed 2021-2025 that move between villages, communes and districts (each review made where
    the household lived that year), some archived, some with a review not recognised yet or none at all."""
    rng = random.Random(seed)
    data = Data()
    data.province = tree.province
    for district_code, commune_codes in LAYOUT.items():
        data.districts.append(tree.district(district_code))
        for commune_code in commune_codes:
            commune = tree.commune(commune_code)
            data.communes.append(commune)
            data.villages += [make_village(commune, name) for name in ("Thôn Đông", "Thôn Đoài", "Thôn Trung Hòa")]
    merged = tree.commune("13153")
    population = [cls for cls, weight in ((P, 30), (N, 30), (A, 25), (X, 15)) for _ in range(weight)]
    causes = list(PovertyCause.objects.values_list("pk", flat=True))
    households, plans = [], []
    for number in range(len(data.villages) * per_village):
        first = rng.choice([2021] * 6 + [2022, 2023, 2024, 2025])
        last, archived = 2025, None
        if first < 2025 and rng.random() < 0.12:
            last = rng.randint(first, 2024)
            archived = date(last + 1, 3, 1)
        places = {}
        village = data.villages[number % len(data.villages)]
        for year in range(first, last + 1):
            if year > first and rng.random() < 0.25:
                village = rng.choice(data.villages)
            if year == 2025 and village.parent_id == merged.pk:
                village = rng.choice([v for v in data.villages if v.parent_id != merged.pk])
            places[year] = village
        households.append(
            Household(
                province=data.province,
                village=village,
                code=f"TB-{number:04d}",
                archived_at=archived,
                archive_reason=ArchiveReason.MOVED_AWAY if archived else "",
            )
        )
        plans.append(places)
    Household.objects.bulk_create(households)

    members, reviews, reasons = [], [], []
    for household, places in zip(households, plans, strict=True):
        size = rng.randint(1, 7)
        members += [
            Member(
                household=household,
                full_name=f"Thành viên {i}",
                birth_date=date(1980, 1, 1),
                sex="F",
                relation="head" if i == 0 else "child",
            )
            for i in range(size)
        ]
        cls = rng.choice(population)
        for year, village in places.items():
            if rng.random() < 0.5:
                cls = rng.choice(population)
            if rng.random() < 0.07:
                continue  # no review that year
            roll = rng.random()
            if roll < 0.08:
                state, recognised = rng.choice([ReviewState.DRAFT, ReviewState.SUBMITTED]), ""
            elif roll < 0.2:
                state, recognised = ReviewState.LOCKED, cls
            else:
                state, recognised = ReviewState.RECOGNISED, cls
            income, deprived = _income_for(rng, cls), _deprived_for(rng, cls)
            computed = rules.classify(income=income, is_urban=False, deprivations=len(deprived), standard=standard)
            reviews.append(
                Review(
                    household=household,
                    village=village,
                    year=year,
                    standard=standard,
                    is_urban=False,
                    income=income,
                    deprived=deprived,
                    member_count=max(1, size + rng.choice([-1, 0, 0, 0, 1])),
                    computed_class=computed,
                    recognised_class=recognised,
                    state=state,
                    **{group: rng.random() < 0.3 for group in GROUPS},
                )
            )
            if cls == P:
                reasons.append((len(reviews) - 1, rng.sample(causes, rng.randint(1, 3))))
        years = sorted(places)
        for before, after in itertools.pairwise(years):
            a, b = places[before], places[after]
            if a.pk != b.pk:
                kind = "village" if a.parent_id == b.parent_id else "commune"
                if Unit.objects.get(pk=a.parent_id).parent_id != Unit.objects.get(pk=b.parent_id).parent_id:
                    kind = "district"
                data.moves[kind] += 1
    Member.objects.bulk_create(members)
    Review.objects.bulk_create(reviews)
    through = Review.causes.through
    through.objects.bulk_create(
        through(review_id=reviews[i].pk, povertycause_id=cause) for i, chosen in reasons for cause in chosen
    )
    for year in range(2021, 2026):
        services.ensure_period(year)  # every period of these years closed before today
    return data


@pytest.fixture
def data(tree, reference_data):
    return generate(tree, PovertyStandard.objects.get(code="nd07-2021"))


def everything(data, year):
    """Every figure of every unit for `year`, through the public functions."""
    return {
        unit.pk: (
            figures.movement_table(unit, year),
            figures.class_counts(unit, year),
            figures.group_counts(unit, year),
            figures.deprivation_counts(unit, year),
            figures.cause_counts(unit, year),
        )
        for unit in data.units
    }


def stored(year):
    """The snapshot's rows of `year`, without their ids, in a stable order."""
    tables = (UnitFigures, UnitDeprivation, UnitCause)
    return [
        sorted(tuple(v for k, v in row.items() if k != "id") for row in model.objects.filter(year=year).values())
        for model in tables
    ]


def test_the_data_exercises_every_case(data):
    assert all(data.moves[kind] >= 5 for kind in ("village", "commune", "district")), data.moves
    totals = [figures.movement_table(data.province, year)[1] for year in YEARS]
    assert all(total.pending > 0 for total in totals)
    for table in ("poor", "near"):
        for column in range(1, 10):
            assert sum(total.get(table, "households", column) for total in totals) > 0, (table, column)
    assert Household.objects.filter(archived_at__isnull=False).exists()


def test_the_snapshot_equals_the_live_figures_for_every_unit(data):
    live = {year: everything(data, year) for year in YEARS}
    assert not figures._from_snapshot(2025)
    for year in YEARS:
        snapshot = snapshots.aggregate(year)
        assert snapshot.units == len(data.units)
    for year in YEARS:
        assert figures._from_snapshot(year)
        read = everything(data, year)
        for unit in data.units:
            assert read[unit.pk] == live[year][unit.pk], (year, unit.kind, unit.name)


def test_a_rerun_gives_identical_rows(data):
    first = snapshots.aggregate(2025)
    rows = stored(2025)
    assert rows[0] and rows[1] and rows[2]
    second = snapshots.aggregate(2025)
    assert stored(2025) == rows
    assert second.computed_at > first.computed_at and second.seconds > 0 and not second.stale
    assert FiguresYear.objects.count() == 1


@pytest.fixture
def aggregated(data):
    for year in YEARS:
        snapshots.aggregate(year)
    return data


def test_a_snapshot_read_takes_one_query_per_table(aggregated, django_assert_num_queries):
    commune = aggregated.communes[0]
    village = aggregated.villages[0]
    for unit in (aggregated.province, aggregated.districts[0], commune, village):
        # One query says the year is closed and its snapshot current, one reads the rows and the total.
        with django_assert_num_queries(2):
            rows, total = figures.movement_table(unit, 2025)
        assert rows and total.households
    with django_assert_num_queries(2):
        figures.class_counts(commune, 2025)
    with django_assert_num_queries(2):
        figures.group_counts(commune, 2025)
    with django_assert_num_queries(2):
        figures.deprivation_counts(commune, 2025)
    with django_assert_num_queries(2):
        figures.cause_counts(commune, 2025)


def test_the_open_year_is_read_live_even_with_a_snapshot(aggregated):
    province = aggregated.province
    UnitFigures.objects.filter(year=2025, unit=province).update(households=999_999)
    assert figures.movement_table(province, 2025)[1].households == 999_999  # closed: the snapshot is read
    period = services.ensure_period(2025)
    period.due_on = date.today() + timedelta(days=3)  # the period still running
    period.save()
    assert figures.movement_table(province, 2025)[1].households != 999_999


def test_a_recognition_in_a_reopened_commune_makes_the_year_stale(aggregated, make_user, time_machine):
    today = date(2026, 2, 10)  # out of the review season: the nightly task computes only stale years
    time_machine.move_to(today)
    commune = aggregated.communes[0]
    review = (
        Review.objects.filter(
            year=2025, recognised_class="", village__parent=commune, household__village__parent=commune
        )
        .order_by("pk")
        .first()
    )
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED)
    province = aggregated.province
    UnitFigures.objects.filter(year=2025, unit=province).update(households=999_999)
    assert figures.movement_table(province, 2025)[1].households == 999_999

    admin = make_user(Role.ADMIN, province)
    services.reopen_period(user=admin, year=2025, commune=commune, until=today + timedelta(days=5), reason="Sót hộ")
    services.recognise_review(user=make_user(Role.COMMUNE_LEADER, commune), review=review, today=today)

    assert FiguresYear.objects.get(year=2025).stale and not FiguresYear.objects.get(year=2024).stale
    assert not figures._from_snapshot(2025) and figures._from_snapshot(2024)
    live_rows, live_total = figures.movement_table(province, 2025)
    assert live_total.households != 999_999
    live_counts = figures.class_counts(province, 2025)

    assert tasks.refresh_figures().keys() == {2025}
    assert figures._from_snapshot(2025)
    assert figures.movement_table(province, 2025) == (live_rows, live_total)
    assert figures.class_counts(province, 2025) == live_counts


def test_a_recognition_of_an_earlier_year_makes_later_years_stale(aggregated):
    review = Review.objects.filter(year=2024).order_by("pk").first()
    snapshots.mark_stale(reviews=[review.pk])
    assert set(FiguresYear.objects.filter(stale=True).values_list("year", flat=True)) == {2024, 2025}


def test_the_season_aggregates_the_current_review_year_nightly(data, time_machine):
    time_machine.move_to(date(2025, 10, 2))
    assert tasks.refresh_figures().keys() == {2025}
    time_machine.move_to(date(2025, 8, 2))
    assert tasks.refresh_figures() == {}


def test_the_schedule_is_declared_once(db):
    call_command("setup_periodic_tasks", stdout=None)
    call_command("setup_periodic_tasks", stdout=None)
    task = PeriodicTask.objects.get(task="households.tasks.refresh_figures")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("30", "1", "*")


def test_the_worker_aggregates_a_year(celery_worker, tree, reference_data, make_user):
    data = generate(tree, PovertyStandard.objects.get(code="nd07-2021"), per_village=4)
    live = everything(data, 2025)
    assert tasks.aggregate_figures.delay(2025).get(timeout=120) > 0
    rows = stored(2025)
    assert figures._from_snapshot(2025)
    assert everything(data, 2025) == live
    assert tasks.aggregate_figures.delay(2025).get(timeout=120) > 0
    assert stored(2025) == rows


# The movement page ------------------------------------------------------------------------------------------


def test_dolisa_has_the_figures_computed_from_the_movement_page(
    aggregated, make_user, client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.aggregate_figures, "delay", queued.append)
    dolisa = make_user(Role.DOLISA_STAFF, aggregated.province)
    client.force_login(dolisa)
    page = client.get(reverse("households:movement"), {"year": 2025}).content.decode()
    computed = FiguresYear.objects.get(year=2025).computed_at
    assert "movement-compute" in page
    assert f"{timezone.localtime(computed):%d/%m/%Y %H:%M}" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:figures_request"), {"year": 2025, "unit": aggregated.province.pk})
    assert response.status_code == 302 and "year=2025" in response["Location"]
    assert queued == [2025]

    response = client.post(reverse("households:figures_request"), {"year": 2031}, follow=True)
    assert "has not started" in response.content.decode() or "chưa bắt đầu" in response.content.decode()
    assert queued == [2025]


def test_a_commune_officer_cannot_have_the_figures_computed(aggregated, make_user, client):
    officer = make_user(Role.COMMUNE_OFFICER, aggregated.communes[0])
    client.force_login(officer)
    page = client.get(reverse("households:movement"), {"year": 2025}).content.decode()
    assert "movement-compute" not in page
    assert client.post(reverse("households:figures_request"), {"year": 2025}).status_code == 403
