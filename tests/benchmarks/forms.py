"""Statistic forms at province scale (`--only forms`), in the registry's benchmark database (vnn_bench, loaded by
the registry part's `load` if needed): one form PDF for the province with its districts as rows (target ≤ 1.5 s),
and the movement form with all communes as rows (its figures, its Excel file and its PDF, which the product
renders in the worker), each also as a multiple of the bare `count(*)` of the reviews in the same run."""

import os
import time
from statistics import median

TARGET_PROVINCE_PDF = 1.5
YEAR = 2025

INTRO = """
**Statistic forms** (`--only forms`, tests/benchmarks/forms.py, in the registry's database): the server time of
`reports.services.render_form` (figures, template, WeasyPrint) for one form of the province with its districts as
rows (target ≤ 1.5 s; every form is given), and for the movement form with all communes as rows: the figures alone
(`movement_table(province, 2025, below=2)`), the Excel file (`reports.exports.form_xlsx`) and the PDF (rendered by
the worker in the product). Median of 5 after a warm-up (3 for the PDF of all communes). On a shared machine the
wall time also counts the time other processes take the cores, so every figure gives the process's own CPU time
beside it (PostgreSQL's share of the figures runs in another process and is not in it): almost all of a PDF's time is
WeasyPrint's work on the tables' cells (about 1.5 to 2 ms of CPU a cell), not fonts, stylesheets or queries.
"""


def _timed_with_cpu(timed, func, *, runs, warmup):
    """(median wall seconds, median process CPU seconds) of `func` through the run's `timed`."""
    cpu = []

    def measured():
        started = time.process_time()
        func()
        cpu.append(time.process_time() - started)

    seconds = timed(measured, runs=runs, warmup=warmup)[0]
    return seconds, median(cpu[warmup:])


def run(options, url, *, when, where, load, timed, count_baseline):
    """Returns (rows of the results table, context)."""
    from .common import ensure_database, fmt_seconds

    os.environ["DATABASE_URL"] = ensure_database(url, options.database)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    import django

    django.setup()
    from documents.services import render_now
    from households import figures
    from reports import exports, services, statistics
    from reports.documents import form_day, form_kind
    from units.choices import UnitKind
    from units.models import Unit
    from units.selectors import named_as_of

    load_average = os.getloadavg()
    _seconds, _reused, note = load(options.households, url=url, name=options.database, reseed=options.reseed)
    baseline = count_baseline()
    province = named_as_of(Unit.objects.filter(kind=UnitKind.PROVINCE), form_day(YEAR)).get()
    measured = []  # (name, seconds, target, remark)
    for code in statistics.SPECS:
        pages = []

        def province_pdf(code=code, pages=pages):
            pages[:] = [services.render_form(code=code, unit=province, year=YEAR)[1]]

        seconds, cpu = _timed_with_cpu(timed, province_pdf, runs=5, warmup=1)
        name = f"form PDF {code} (province, districts as rows)"
        measured.append((name, seconds, TARGET_PROVINCE_PDF, f"{pages[0]} p., CPU {fmt_seconds(cpu)}"))
    seconds, cpu = _timed_with_cpu(timed, lambda: figures.movement_table(province, YEAR, below=2), runs=5, warmup=1)
    measured.append(
        ("movement_table(province, 2025, below=2)", seconds, None, f"all communes as rows, CPU {fmt_seconds(cpu)}")
    )

    def communes_xlsx():
        response = exports.form_xlsx(statistics.build("movement", province, YEAR, all_communes=True), all_communes=True)
        b"".join(response.streaming_content)

    seconds, cpu = _timed_with_cpu(timed, communes_xlsx, runs=5, warmup=1)
    measured.append(("form Excel movement (all communes as rows)", seconds, None, f"CPU {fmt_seconds(cpu)}"))
    pages = []

    def communes_pdf():
        pages[:] = [render_now(kind=form_kind("movement", all_communes=True), unit=province, day=form_day(YEAR))[1]]

    seconds, cpu = _timed_with_cpu(timed, communes_pdf, runs=3, warmup=1)
    remark = f"{pages[0]} p., in the worker, CPU {fmt_seconds(cpu)}"
    measured.append(("form PDF movement (all communes as rows)", seconds, None, remark))

    print(f"\nStatistic forms {when} on {where}; load average at start {load_average[0]:.2f}")
    print(f"{'figure':<52} {'measured':>10} {'target':>9} {'× count(*)':>11}")
    rows = [
        f"| {when} | {where} | SELECT count(*) FROM households_review (forms run) | {fmt_seconds(baseline)} "
        "| — | — | 1.0 | 1 |"
    ]
    print(f"{'SELECT count(*) FROM households_review':<52} {fmt_seconds(baseline):>10}")
    for name, seconds, target, remark in measured:
        ratio = f"{seconds / target:.2f}" if target else "—"
        times = f"{seconds / baseline:,.1f}"
        print(f"{name:<52} {fmt_seconds(seconds):>10} {fmt_seconds(target):>9} {times:>11}  {remark}")
        label = f"{name}<br>{remark}" if remark else name
        rows.append(
            f"| {when} | {where} | {label} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} | {times} | — |"
        )
    context = (
        f"Statistic forms: load average {load_average[0]:.2f} at their start; database {options.database} with "
        f"{note.get('households', options.households):,} households."
    )
    return rows, context
