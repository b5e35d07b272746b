"""Benchmarks on a province-sized registry: `make bench`, i.e. `python -m tests.benchmarks` with DATABASE_URL set.

The benchmark uses its own database (vnn_bench) on the server of DATABASE_URL: it creates it if missing,
migrates it, and runs `seed_demo --households 600000` (timed); a database already loaded with that many
households is reused. It then measures, on a warm database, the bare `SELECT count(*) FROM households_review`
(the baseline every other figure is divided by), the commune household list and the household page through
Django's test client (server time, no network), and the province movement table. Figures are printed and
written to docs/benchmarks.md. Nothing here is a test: no figure is ever asserted.

It then runs the import benchmark of issue #4 (tests/benchmarks/imports.py) in its own database,
vnn_bench_imports, and the served-site benchmark (tests/benchmarks/served.py: `make run`'s web server and the
demo's 3,000 households under 8 concurrent clients) in vnn_bench_served, the daily reminder job over every unit
and deadline (tests/benchmarks/reminders.py) in vnn_bench_reminders, and on the registry's database the snapshot
benchmark of issue #11 (tests/benchmarks/snapshots.py), the movement's dashboards (tests/benchmarks/dashboard.py,
read from the snapshots the part before stores), the statistic forms (tests/benchmarks/forms.py) and the yearly
summary (tests/benchmarks/summary.py); and the award decision PDF of issue #12 (tests/benchmarks/awards_decision.py)
in vnn_bench_award_decision and the award registry's search over 20,000 awards (tests/benchmarks/awards_registry.py)
in vnn_bench_award_registry.
`--only PART` runs one part.

Options: --only PART, --households N, --database NAME, --reseed (drop and load again), --runs N,
--import-rows N, --import-database NAME, --served-seconds S, --served-database NAME, --reminders-database NAME,
--awards-database NAME, --decision-database NAME, --no-write.
"""

import argparse
import json
import os
import statistics
import sys
import time

from . import awards_decision, awards_registry, dashboard, forms, imports, reminders, served, snapshots, summary
from .common import DOC, ROOT, database_name, ensure_database, fmt_seconds, machine, now, write_doc

TARGETS = {"seed": 600.0, "list": 0.150, "detail": 0.150, "movement": 2.0}
OFFICER = "bench.officer"


# The database ---------------------------------------------------------------------------------------------


def _note(value=None):
    """Read (or, with a value, write) the load's record kept as the database comment."""
    from django.db import connection

    with connection.cursor() as cursor:
        if value is not None:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [json.dumps(value)])
            return value
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        (text,) = cursor.fetchone()
    try:
        return json.loads(text or "{}")
    except ValueError:
        return {}


def load(households, *, url, name, reseed):
    """Migrate and seed the benchmark database; returns (seconds, reused, note)."""
    import django
    from django.core.management import call_command
    from django.db import connections

    from households.models import Household

    call_command("migrate", verbosity=0)
    present = Household.objects.count()
    if reseed or present not in (0, households):
        print(f"· {present:,} households present, {households:,} wanted: loading again", flush=True)
        connections.close_all()
        ensure_database(url, name, drop=True)
        call_command("migrate", verbosity=0)
        present = 0
    if present == households:
        note = _note()
        print(f"· reusing {present:,} households (seeded {note.get('seeded_at', '?')})", flush=True)
        return note.get("seed_seconds"), True, note
    print(f"· seeding {households:,} households (seed_demo)…", flush=True)
    started = time.perf_counter()
    call_command("seed_demo", households=households, stdout=_Quiet())
    seconds = time.perf_counter() - started
    note = {"households": households, "seed_seconds": round(seconds, 1), "seeded_at": now()}
    _note({**note, "django": django.__version__})
    return seconds, False, note


class _Quiet:
    def write(self, text):
        if text.startswith(("Households", "Villages", "  20", "  loaded")):
            print(f"  {text.strip()}", flush=True)

    def flush(self):
        pass

    def isatty(self):
        return False


# Measuring ---------------------------------------------------------------------------------------------------


def timed(func, *, runs, warmup):
    for _i in range(warmup):
        func()
    times = []
    for _i in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def count_baseline():
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM households_review")
            cursor.fetchone()

    return timed(run, runs=5, warmup=1)[0]


def bench_officer():
    """A commune officer of the commune whose household count is nearest 3,000; returns (user, commune, count)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from households.models import Household
    from units.models import Membership, Unit
    from units.roles import Role

    sizes = Household.objects.values("village__parent").annotate(n=Count("pk")).values_list("village__parent", "n")
    commune_id, count = min(sizes, key=lambda row: (abs(row[1] - 3000), row[0]))
    commune = Unit.objects.get(pk=commune_id)
    user, _created = get_user_model().objects.get_or_create(username=OFFICER, defaults={"first_name": "Benchmark"})
    Membership.objects.get_or_create(user=user, unit=commune, role=Role.COMMUNE_OFFICER)
    return user, commune, count


def list_filters(user, commune, year):
    """The village and class with the most 'nguyen van' matches in the commune, so the page is not empty."""
    from households import selectors
    from units.choices import UnitKind

    best = None
    for village in commune.children.filter(kind=UnitKind.VILLAGE).order_by("pk"):
        for klass in ("poor", "near_poor"):
            found = selectors.household_list(user, year=year, village=village, klass=klass, query="nguyen van").count()
            if best is None or found > best[0]:
                best = (found, village, klass)
    return best


def detail_household(commune):
    """A household of the commune with the most members and all five yearly reviews, poor in some year."""
    from django.db.models import Count, Exists, OuterRef

    from households.models import Household, Review

    poor = Review.objects.filter(household=OuterRef("pk"), recognised_class="poor")
    return (
        Household.objects.filter(village__parent=commune, archived_at__isnull=True)
        .annotate(members_n=Count("members", distinct=True), reviews_n=Count("reviews", distinct=True))
        .filter(reviews_n__gte=5)
        .filter(Exists(poor))
        .order_by("-members_n", "code")
        .first()
    )


def page(client, url, params, runs):
    """(median seconds, SQL queries of one request) of GETting a page; RuntimeError unless it answers 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response

    connection.queries_log.clear()  # a full log (9,000 entries, e.g. after migrate) would count nothing
    with CaptureQueriesContext(connection) as queries:
        get()
    count = len(queries)  # read now: every request empties the connection's query log
    median, _times = timed(get, runs=runs, warmup=3)
    return median, count


def movement(province, year):
    from households import figures

    return timed(lambda: figures.movement_table(province, year), runs=5, warmup=1)[0]


# Reporting ---------------------------------------------------------------------------------------------------


INTRO = """# Benchmarks

`make bench` (or, with PostgreSQL and Redis already running,
`DATABASE_URL=… python -m tests.benchmarks`) measures the registry at province scale and the import engine
(see "Imports" below) and the served demo site under concurrent clients (see "Served site" below;
`--only registry`, `--only imports` or `--only served` runs one part) and rewrites the table below, newest
run first. It never touches the `vnn` database: it creates its own database `vnn_bench` on the
same server, migrates it and runs `seed_demo --households 600000` (about 600,000 households, 1.9 million
members, 3 million reviews with their lock transitions); later runs reuse that load (`--reseed` loads again).

How each figure is taken:

- **seed**: wall time of `seed_demo --households 600000` on an empty, migrated database (unit tree, demo users,
  villages, then households, members, reviews 2021-2025 by COPY, then `VACUUM (ANALYZE)`). Target ≤ 10 min.
- **count(*) baseline**: `SELECT count(*) FROM households_review` (~3 million rows), median of 5. Every other
  figure is also given as a multiple of it, so that runs on different machines can be compared.
- **household list**: `households:list` for a commune officer of the commune whose household count is nearest
  3,000, with year = 2025, a class, a village and the accent-free search "nguyen van" (the page the officer
  uses most); server time through Django's test client (middleware, view, template; no network), median of
  ≥ 20 runs after 3 warm-up runs, and the number of SQL queries of one request. Target ≤ 150 ms.
  For information, the same page with the year only (3,000 households, 60 pages) and with the year and the
  search "nguyen van thang" only (no village, no class).
- **household page**: `households:detail` of the commune's largest household with five yearly reviews.
  Target ≤ 150 ms. The seed skips the history triggers, so the page's change history reads empty event tables:
  this figure is a lower bound once the registry has a history.
- **movement table**: `households.figures.movement_table(province, 2025)`, median of 5. Target ≤ 2 s.

The Machine column names the PostgreSQL measured: `make bench` starts the embedded 18.x unless `DATABASE_URL`
points elsewhere. Debian's PostgreSQL 15 service in its default configuration is about half as fast on the same
machine (its `count(*)` baseline takes twice as long, its seed 2.5 times), so compare runs through the
× count(*) column.

Benchmarks are not tests: nothing asserts on time. The machine may be shared with other work: the load average
at the start of the latest run is given above the table. The seed generates rows in a second process while
PostgreSQL loads them, so it needs both cores.

{context}

"""


def registry(options, url, *, when, where):
    """The registry figures in the database `options.database`; returns (rows of the results table, context)."""
    bench_url = ensure_database(url, options.database, drop=options.reseed)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")

    import django

    django.setup()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from units.choices import UnitKind
    from units.models import Unit

    load_average = os.getloadavg()
    seed_seconds, reused, note = load(options.households, url=url, name=options.database, reseed=options.reseed)
    baseline = count_baseline()
    figures = []  # (name, seconds or None, target or None, queries, remark)
    seed_name = "seed_demo --households " + f"{options.households:,}" + (" (earlier run)" if reused else "")
    figures.append((seed_name, seed_seconds, TARGETS["seed"], None, ""))
    figures.append(("SELECT count(*) FROM households_review", baseline, None, 1, ""))

    user, commune, size = bench_officer()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    year = 2025
    try:
        list_url = reverse("households:list")
    except NoReverseMatch:
        list_url = None
    if list_url:
        found, village, klass = list_filters(user, commune, year)
        params = {"year": year, "klass": klass, "village": village.pk, "q": "nguyen van"}
        try:
            seconds, queries = page(client, list_url, params, options.runs)
            remark = f"{commune.name}, {size:,} households; {village.name}, {klass}: {found} found"
            figures.append(("household list (all filters)", seconds, TARGETS["list"], queries, remark))
            seconds, queries = page(client, list_url, {"year": year}, options.runs)
            figures.append(("household list (year only, page 1)", seconds, TARGETS["list"], queries, ""))
            seconds, queries = page(client, list_url, {"year": year, "q": "nguyen van thang"}, options.runs)
            figures.append(("household list (name search only)", seconds, TARGETS["list"], queries, "nguyen van thang"))
        except RuntimeError as exc:
            figures.append(("household list", None, TARGETS["list"], None, str(exc)))
    else:
        figures.append(("household list", None, TARGETS["list"], None, "view not available"))
    household = detail_household(commune)
    try:
        detail_url = reverse("households:detail", args=[household.pk]) if household else None
    except NoReverseMatch:
        detail_url = None
    if detail_url:
        try:
            seconds, queries = page(client, detail_url, {}, options.runs)
            remark = f"{household.code}, {household.members_n} members, {household.reviews_n} reviews"
            figures.append(("household page", seconds, TARGETS["detail"], queries, remark))
        except RuntimeError as exc:
            figures.append(("household page", None, TARGETS["detail"], None, str(exc)))
    else:
        figures.append(("household page", None, TARGETS["detail"], None, "view not available"))
    province = Unit.objects.get(kind=UnitKind.PROVINCE)
    figures.append(("movement_table(province, 2025)", movement(province, year), TARGETS["movement"], None, ""))

    print(f"\nBenchmarks {when} on {where}; load average at start {load_average[0]:.2f}")
    print(f"{'figure':<44} {'measured':>10} {'target':>9} {'/target':>8} {'× count(*)':>11} {'queries':>8}")
    rows = []
    for name, seconds, target, queries, remark in figures:
        ratio = f"{seconds / target:.2f}" if seconds is not None and target else "—"
        times = f"{seconds / baseline:,.1f}" if seconds is not None else "—"
        print(
            f"{name:<44} {fmt_seconds(seconds):>10} {fmt_seconds(target):>9} {ratio:>8} {times:>11} "
            f"{queries if queries is not None else '—':>8}  {remark}"
        )
        label = f"{name}<br>{remark}" if remark else name
        rows.append(
            f"| {when} | {where} | {label} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} | {times} "
            f"| {queries if queries is not None else '—'} |"
        )
    context = (
        f"Registry: load average {load_average[0]:.2f} at its start; database {options.database} "
        f"with {note.get('households', options.households):,} households seeded {note.get('seeded_at', '?')}."
    )
    return rows, context


def earlier_runs(parts):
    """The paragraphs of docs/benchmarks.md on the latest run of each part not run now, as "Run before" ones."""
    if not DOC.exists():
        return ""
    kept, covered = [], set(parts)
    for paragraph in DOC.read_text(encoding="utf-8").split("\n\n"):
        if not paragraph.startswith(("Latest run: ", "Run before: ")):
            continue
        text = paragraph.split(": ", 1)[1]
        ran = set(text.split("(", 1)[1].split(")", 1)[0].split(", ")) if "(" in text else set()
        if ran and not ran & covered:
            kept.append(f"Run before: {text}")
            covered |= ran
    return "\n\n".join(kept)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        choices=(
            "registry",
            "imports",
            "served",
            "reminders",
            "snapshots",
            "dashboard",
            "forms",
            "summary",
            "awards",
        ),
        action="append",
        help="run this part only (may be repeated)",
    )
    parser.add_argument("--households", type=int, default=600_000)
    parser.add_argument("--database", default="vnn_bench")
    parser.add_argument("--reseed", action="store_true", help="drop the benchmark database and load it again")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (median)")
    parser.add_argument("--import-rows", type=int, default=imports.ROWS, help="member rows of the generated roster")
    parser.add_argument("--import-database", default=imports.DATABASE)
    parser.add_argument(
        "--default-rows", type=int, default=None, help="measure the default import on this many rows only"
    )
    parser.add_argument("--served-seconds", type=float, default=served.SECONDS, help="measured seconds a page")
    parser.add_argument("--served-database", default=served.DATABASE)
    parser.add_argument("--reminders-database", default=reminders.DATABASE)
    parser.add_argument("--awards-database", default=awards_registry.DATABASE)
    parser.add_argument("--decision-database", default=awards_decision.DATABASE)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    options = parser.parse_args(argv)
    parts = options.only or [
        "registry",
        "imports",
        "served",
        "reminders",
        "snapshots",
        "dashboard",
        "forms",
        "summary",
        "awards",
    ]

    url = os.environ.get("DATABASE_URL")
    if not url:
        print("Set DATABASE_URL (make bench does) to a PostgreSQL server to create the benchmark database on.")
        return 2
    databases = (
        options.database,
        options.import_database,
        options.served_database,
        options.reminders_database,
        options.awards_database,
        options.decision_database,
    )
    for name in databases:
        if database_name(url) == name:
            print(f"DATABASE_URL already names {name}; give the server's usual database instead.")
            return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "False"  # measure without DEBUG's query log
    sys.path.insert(0, str(ROOT))

    when, where = now(), machine(url)
    rows, contexts = [], []
    if "imports" in parts:  # in processes of its own, on its own database: before this one sets Django up
        table, context = imports.run(
            url,
            rows=options.import_rows,
            database=options.import_database,
            when=when,
            where=where,
            default_rows=options.default_rows,
        )
        rows += table
        contexts.append(context)
    if "served" in parts:  # gunicorn and the migrations in processes of their own, on its own database
        table, context = served.run(
            url, database=options.served_database, seconds=options.served_seconds, when=when, where=where
        )
        rows += table
        contexts.append(context)
    if "reminders" in parts:  # in a process of its own, on its own database
        table, context = reminders.run(url, database=options.reminders_database, when=when, where=where)
        rows += table
        contexts.append(context)
    if "awards" in parts:  # in a process of its own, on its own database
        table, context = awards_decision.run(url, database=options.decision_database, when=when, where=where)
        rows += table
        contexts.append(context)
        table, context = awards_registry.run(url, database=options.awards_database, when=when, where=where)
        rows += table
        contexts.append(context)
    if "registry" in parts:
        table, context = registry(options, url, when=when, where=where)
        rows = table + rows
        contexts.insert(0, context)
    if "snapshots" in parts:  # on the registry's database, after the registry's figures
        table, context = snapshots.run(options, url, when=when, where=where, load=load)
        rows += table
        contexts.append(context)
    if "dashboard" in parts:  # the registry's database and its measuring tools
        table, context = dashboard.run(
            options,
            url,
            when=when,
            where=where,
            load=load,
            baseline=count_baseline,
            page=page,
            commune_for=bench_officer,
        )
        rows += table
        contexts.append(context)
    if "forms" in parts:  # in the registry's database, after it
        table, context = forms.run(
            options, url, when=when, where=where, load=load, timed=timed, count_baseline=count_baseline
        )
        rows += table
        contexts.append(context)
    if "summary" in parts:  # in the registry's database, after it
        table, context = summary.run(options, url, when=when, where=where, load=load, count_baseline=count_baseline)
        rows += table
        contexts.append(context)
    if not options.no_write:
        latest = f"Latest run: {when} ({', '.join(parts)}). " + " ".join(contexts)
        if before := earlier_runs(parts):  # not every part: keep the word on the others' latest runs
            latest += "\n\n" + before
        write_doc(
            rows,
            intro=INTRO.format(
                context=imports.INTRO
                + served.INTRO
                + reminders.INTRO
                + awards_registry.INTRO
                + snapshots.INTRO
                + dashboard.INTRO
                + forms.INTRO
                + summary.INTRO
                + awards_decision.INTRO
                + latest.rstrip()
            ),
        )
        print(f"\nWritten to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
