"""The yearly summary at province scale (`--only summary`), in the registry's benchmark database (vnn_bench,
loaded by the registry part's `load` if needed): compiling the summary's tables and annexes
(`reports.summaries.services.compile_summary`: the unit reports, the registry per district and per commune, the
ledger, the good practices) and rendering its Decree 30 PDF by the worker's own code path
(`documents.services.render_stored` on a queued `Document`), each as a multiple of the bare `count(*)` of the reviews
in the same run; the target (≤ 15 s at 600,000 households) is for the two together."""

import os
import tempfile
import time
from datetime import datetime
from statistics import median
from zoneinfo import ZoneInfo

TARGET = 15.0
YEAR = 2025
# The summary is compiled on a day its deadline is open (20-25 November).
COMPILED_AT = datetime(YEAR, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
USERNAME = "bench.dolisa"

INTRO = """
**Yearly summary** (`--only summary`, tests/benchmarks/summary.py, in the registry's database): DOLISA's summary of
2025 for the province. **compile** is `reports.summaries.services.compile_summary` (every table and Excel annex
computed again and stored: reporting rates and the units' key figures from the unit reports, the movement per
district with the province's total and per commune for the annex, support by kind of giver and by giver, good
practices), median of 3 after a warm-up. **PDF** is the worker's code path, `documents.services.render_stored` on a
queued document of the summary (template, WeasyPrint, file stored), median of 3 after a warm-up: the PDF carries the
district-level tables and the province's total, the per-commune table goes to the Excel annex (WeasyPrint costs
about 1.6-2 ms of CPU a table cell). Target ≤ 15 s for the two together at 600,000 households.

"""


def _timed(func, *, runs, warmup=1):
    """(median wall seconds, median process CPU seconds)."""
    for _i in range(warmup):
        func()
    wall, cpu = [], []
    for _i in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return median(wall), median(cpu)


def _dolisa(movement):
    from django.contrib.auth import get_user_model

    from units.roles import Role
    from units.services import add_membership

    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        add_membership(user=user, unit=movement.lead_unit, role=Role.DOLISA_STAFF)
    return user


def run(options, url, *, when, where, load, count_baseline):
    """Returns (rows of the results table, context)."""
    from .common import ensure_database, fmt_seconds

    os.environ["DATABASE_URL"] = ensure_database(url, options.database)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    import django

    django.setup()
    from django.conf import settings

    from documents.models import Document
    from documents.services import render_stored
    from households.models import Household
    from movement import seed
    from reports.models import DocumentKind, Summary
    from reports.summaries import services

    load_average = os.getloadavg()
    _seconds, _reused, note = load(options.households, url=url, name=options.database, reseed=options.reseed)
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="vnn-bench-summary-")
    movement = seed.load_movement(seed.read()).movement
    user = _dolisa(movement)
    summary = Summary.objects.filter(movement=movement, year=YEAR).first() or services.open_summary(
        user=user, movement=movement, year=YEAR, now=COMPILED_AT
    )
    baseline = count_baseline()

    def compile_once():
        services.compile_summary(user=user, summary=summary, now=COMPILED_AT)

    compile_seconds, compile_cpu = _timed(compile_once, runs=3)
    pages = []

    def render_once():
        document = Document.objects.create(
            kind=DocumentKind.PROVINCIAL_SUMMARY,
            unit=summary.issuer,
            as_of=COMPILED_AT.date(),
            subject=summary.pk,
            requested_by=user,
        )
        if not render_stored(document_id=document.pk):
            raise RuntimeError("the document was not rendered")
        document.refresh_from_db()
        pages[:] = [document.pages]
        document.file.delete(save=False)
        document.delete()

    pdf_seconds, pdf_cpu = _timed(render_once, runs=3)
    summary.refresh_from_db()
    communes = len(summary.figures["annexes"]["communes"]["rows"])
    cells = sum(len(t["columns"]) * (len(t["rows"]) + 1 + bool(t["total"])) for t in summary.figures["tables"])
    households = Household.objects.count()
    measured = [
        (
            "summary: compile tables and annexes",
            compile_seconds,
            None,
            f"{communes} communes, CPU {fmt_seconds(compile_cpu)}",
        ),
        (
            "summary: PDF by the worker path (render_stored)",
            pdf_seconds,
            None,
            f"{pages[0]} p., {cells} cells, CPU {fmt_seconds(pdf_cpu)}",
        ),
        ("summary: compile + PDF", compile_seconds + pdf_seconds, TARGET, ""),
    ]
    print(f"\nYearly summary {when} on {where}; {households:,} households; load average at start {load_average[0]:.2f}")
    print(f"{'figure':<52} {'measured':>10} {'target':>9} {'× count(*)':>11}")
    print(f"{'SELECT count(*) FROM households_review':<52} {fmt_seconds(baseline):>10}")
    rows = []
    for name, seconds, target, remark in measured:
        ratio = f"{seconds / target:.2f}" if target else "—"
        times = f"{seconds / baseline:,.1f}"
        print(f"{name:<52} {fmt_seconds(seconds):>10} {fmt_seconds(target):>9} {times:>11}  {remark}")
        label = f"{name}<br>{remark}" if remark else name
        rows.append(
            f"| {when} | {where} | {label} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} | {times} | — |"
        )
    context = (
        f"Yearly summary: load average {load_average[0]:.2f} at its start; database {options.database} with "
        f"{note.get('households', households):,} households."
    )
    return rows, context
