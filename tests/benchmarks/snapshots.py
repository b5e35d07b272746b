"""The snapshot benchmark of issue #11: aggregating one year's figures into the snapshot tables
(`households.snapshots.aggregate`) and reading the province's movement table from the snapshot, on the registry
database of the registry benchmark (`vnn_bench`, seeded with `--households`), as multiples of the bare
`SELECT count(*) FROM households_review` of the same run.

Run on its own: `python -m tests.benchmarks --only snapshots` (see __main__.py).
"""

import os
import statistics
import time

from .common import ensure_database, fmt_seconds

YEAR = 2025
TARGETS = {"aggregate": 60.0, "read": 0.300}

INTRO = """## Snapshots (issue #11)

`python -m tests.benchmarks --only snapshots` works on the registry benchmark's database (`vnn_bench`, loaded as
above) and measures, as multiples of the `count(*)` baseline taken in the same run:

- **aggregate one year**: `households.snapshots.aggregate(2025)`, every unit's figures of the year computed
  set-wise and the year's snapshot rows replaced in one transaction; median of 3 runs (the runs' rows are
  compared: a rerun gives identical rows). Target ≤ 60 s at 600,000 households.
- **movement table, live**: `households.figures.movement_table(province, 2025)` with the snapshot marked stale
  (what a closed year costs without a snapshot), median of 5.
- **movement table from the snapshot**: the same call with the snapshot current (the 2025 period closed), median
  of 20; and the five calls 2021-2025 a dashboard makes, each year aggregated first. Target ≤ 300 ms a call.

"""


def _timed(func, *, runs, warmup=1):
    for _i in range(warmup):
        func()
    times = []
    for _i in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _rows(year):
    from households.models import UnitCause, UnitDeprivation, UnitFigures

    return [
        sorted(tuple(v for k, v in row.items() if k != "id") for row in model.objects.filter(year=year).values())
        for model in (UnitFigures, UnitDeprivation, UnitCause)
    ]


def run(options, url, *, when, where, load):
    """Returns (rows of the results table, context)."""
    os.environ["DATABASE_URL"] = ensure_database(url, options.database, drop=options.reseed)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")

    import django

    django.setup()
    from django.db import connection

    from households import figures, services, snapshots
    from households.models import FiguresYear
    from units.choices import UnitKind
    from units.models import Unit

    load_average = os.getloadavg()
    _seconds, _reused, note = load(options.households, url=url, name=options.database, reseed=options.reseed)
    for year in range(2021, YEAR + 1):
        services.ensure_period(year)  # closed long before today: read from the snapshot once there is one

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM households_review")
            cursor.fetchone()

    baseline = _timed(count, runs=5)
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    measured = [("SELECT count(*) FROM households_review", baseline, None, "")]

    FiguresYear.objects.filter(year=YEAR).update(stale=True)
    live = _timed(lambda: figures.movement_table(province, YEAR), runs=5)
    live_table = figures.movement_table(province, YEAR)

    results, times = [], []
    for _i in range(3):
        started = time.perf_counter()
        snapshot = snapshots.aggregate(YEAR)
        times.append(time.perf_counter() - started)
        results.append((snapshot, _rows(YEAR)))  # read after the clock stops
    identical = all(rows == results[0][1] for _snapshot, rows in results)
    aggregated = results[-1][0]
    remark = f"{aggregated.units:,} units; reruns {'identical' if identical else 'DIFFER'}"
    measured.append((f"aggregate({YEAR})", statistics.median(times), TARGETS["aggregate"], remark))
    measured.append((f"movement_table(province, {YEAR}), live", live, None, "snapshot stale"))

    if not figures._from_snapshot(YEAR):
        raise RuntimeError(f"the snapshot of {YEAR} is not read: has its review period closed?")
    read = _timed(lambda: figures.movement_table(province, YEAR), runs=20, warmup=3)
    same = "equal to the live table" if figures.movement_table(province, YEAR) == live_table else "DIFFERS FROM LIVE"
    measured.append((f"movement_table(province, {YEAR}), snapshot", read, TARGETS["read"], same))

    years = range(2021, YEAR + 1)
    for year in years:
        if year != YEAR:
            snapshots.aggregate(year)
    dashboard = _timed(lambda: [figures.movement_table(province, year) for year in years], runs=10, warmup=2)
    measured.append(("movement_table(province, 2021…2025), snapshot", dashboard, None, "five calls"))

    print(f"\nSnapshots {when} on {where}; load average at start {load_average[0]:.2f}")
    print(f"{'figure':<50} {'measured':>10} {'target':>9} {'× count(*)':>11}")
    rows = []
    for name, seconds, target, remark in measured:
        ratio = f"{seconds / target:.2f}" if target else "—"
        times_count = f"{seconds / baseline:,.1f}"
        print(f"{name:<50} {fmt_seconds(seconds):>10} {fmt_seconds(target):>9} {times_count:>11}  {remark}")
        label = f"{name}<br>{remark}" if remark else name
        rows.append(
            f"| {when} | {where} | {label} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} "
            f"| {times_count} | — |"
        )
    context = (
        f"Snapshots: load average {load_average[0]:.2f} at its start; database {options.database} with "
        f"{note.get('households', options.households):,} households."
    )
    return rows, context
