"""The movement's dashboards at province scale (`--only dashboard`): the province's dashboard and one commune's,
server time through Django's test client, each as a multiple of the bare count(*) of the same run, with the
query count of one request; and a check that the dashboard's numbers equal the live movement tables.

It uses the registry's benchmark database (`vnn_bench`, loaded by `seed_demo` as for `--only registry`) and the
movement of Plan 119 (loaded if missing). Targets: the province ≤ 300 ms, a commune ≤ 100 ms. Nothing is asserted.
"""

import os

from .common import ensure_database, fmt_seconds

TARGETS = {"province": 0.300, "commune": 0.100}
DOLISA = "bench.dolisa"
YEAR = 2025

INTRO = """## Movement dashboards

`python -m tests.benchmarks --only dashboard` measures `movement:dashboard` in the registry's database
(`vnn_bench`, the same load): the province's dashboard (year 2025) and that of the commune whose household count is
nearest 3,000, as a DOLISA user, through Django's test client (server time: middleware, view, template; no
network), median of the runs after 3 warm-up runs, with the SQL queries of one request and the figure as a
multiple of the bare `count(*)` of the same run. Each dashboard reads the movement table of every year of the
movement (2021-2025) for its unit (`households.figures.movement_table`), which for these closed years reads the
yearly snapshots (the run first aggregates the years that have none, untimed); the run also checks that every
yearly number and every row of the units' table equals the live movement tables, computed with the snapshots set
aside ("equal" in the remark). Targets: the province ≤ 300 ms, a commune ≤ 100 ms.

"""


def dolisa_user():
    from django.contrib.auth import get_user_model

    from units.models import Membership, Unit
    from units.roles import Role

    department = Unit.objects.get(short_name="Sở LĐ-TB&XH")
    user, _created = get_user_model().objects.get_or_create(username=DOLISA, defaults={"first_name": "Benchmark"})
    Membership.objects.get_or_create(user=user, unit=department, role=Role.DOLISA_STAFF)
    return user


def snapshots_ready(movement):
    """Store the snapshot of every closed year of the movement that has no current one (untimed)."""
    from households import figures, services, snapshots

    for year in movement.years:
        services.ensure_period(year)
        if not figures._from_snapshot(year):
            snapshots.aggregate(year)


def live_tables(unit, movement):
    """The live movement tables of `unit` for every year, the snapshots set aside while they are computed."""
    from households import figures
    from households.models import FiguresYear

    fresh = list(FiguresYear.objects.filter(stale=False).values_list("pk", flat=True))
    FiguresYear.objects.filter(pk__in=fresh).update(stale=True)
    try:
        return {year: figures.movement_table(unit, year) for year in movement.years}
    finally:
        FiguresYear.objects.filter(pk__in=fresh).update(stale=False)


def equal_to_movement_tables(unit, movement):
    """Whether the dashboard of `unit` for YEAR gives the live movement tables' numbers, year by year and row by
    row."""
    from django.utils import timezone

    from movement.selectors import dashboard as selectors

    years = selectors.dashboard_years(unit, movement, today=timezone.localdate())
    board = selectors.dashboard(unit, movement, year=YEAR, years=years)
    tables = live_tables(unit, movement)
    for y in board.years:
        rows, total = tables[y.year]
        poor = total.values["poor"]["households"]
        if (y.poor, y.near_poor, y.reduction, y.newly_poor, y.re_poor) != (
            poor[9],
            total.values["near"]["households"][9],
            poor[1] - poor[9],
            poor[7],
            poor[6],
        ) or (y.poor_rate, y.near_poor_rate) != (total.rates["poor"], total.rates["near"]):
            return False
        if y.year == YEAR:
            shown = [(c.unit.pk, c.poor_start, c.poor_end) for c in board.children]
            wanted = [(r.unit.pk, r.get("poor", "households", 1), r.get("poor", "households", 9)) for r in rows]
            if shown != wanted:
                return False
    return True


def run(options, url, *, when, where, load, baseline, page, commune_for):
    """Measure both dashboards; returns (rows of the results table, context line). `load`, `baseline`, `page` and
    `commune_for` are the registry benchmark's own (tests/benchmarks/__main__.py), so both parts measure alike."""
    bench_url = ensure_database(url, options.database, drop=options.reseed)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")

    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from movement import seed
    from units.choices import UnitKind
    from units.models import Unit

    load_average = os.getloadavg()
    _seconds, _reused, note = load(options.households, url=url, name=options.database, reseed=options.reseed)
    movement = seed.load_movement(seed.read()).movement
    snapshots_ready(movement)
    count = baseline()
    client = Client(raise_request_exception=False)
    client.force_login(dolisa_user())
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    _officer, commune, size = commune_for()
    url_path = reverse("movement:dashboard")
    figures = [("SELECT count(*) FROM households_review", count, None, 1, "")]
    for name, unit, target, remark in (
        ("dashboard, province", province, TARGETS["province"], f"{note.get('households', options.households):,} hh"),
        ("dashboard, commune", commune, TARGETS["commune"], f"{commune.name}, {size:,} households"),
    ):
        try:
            seconds, queries = page(client, url_path, {"unit": unit.pk, "year": YEAR}, options.runs)
        except RuntimeError as exc:
            figures.append((name, None, target, None, str(exc)))
            continue
        equal = "equal" if equal_to_movement_tables(unit, movement) else "NOT EQUAL to the movement tables"
        figures.append((name, seconds, target, queries, f"{remark}; {equal}"))

    print(f"\nDashboards {when} on {where}; load average at start {load_average[0]:.2f}")
    print(f"{'figure':<44} {'measured':>10} {'target':>9} {'/target':>8} {'× count(*)':>11} {'queries':>8}")
    rows = []
    for name, seconds, target, queries, remark in figures:
        ratio = f"{seconds / target:.2f}" if seconds is not None and target else "—"
        times = f"{seconds / count:,.1f}" if seconds is not None else "—"
        shown = queries if queries is not None else "—"
        measured, wanted = fmt_seconds(seconds), fmt_seconds(target)
        print(f"{name:<44} {measured:>10} {wanted:>9} {ratio:>8} {times:>11} {shown:>8}  {remark}")
        label = f"{name}<br>{remark}" if remark else name
        rows.append(
            f"| {when} | {where} | {label} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} | {times} "
            f"| {shown} |"
        )
    context = f"Dashboards: load average {load_average[0]:.2f} at its start; database {options.database}."
    return rows, context
