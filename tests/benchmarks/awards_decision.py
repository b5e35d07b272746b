"""The decision benchmark of issue #12 (`--only awards`): a decision with 500 awardees, its PDF rendered by the
worker's path (`documents.services.render_stored`: context, template, WeasyPrint, the stored file). Target ≤ 10 s.

In its own database (`vnn_bench_award_decision`, on the server of DATABASE_URL; no households: a decision never
reads the registry), migrated and given the Thái Bình unit tree, Plan 119's movement and the awards catalogue, then 500
nominees of the final review spread over the communes (50 collectives, 400 individuals with long Vietnamese names
and positions, 50 families), found eligible, proposed by the Board and decided through the services (the time of
`record_decision` for the 500 is given too). The measuring runs in a process of its own; a run starts by removing
the previous run's nominees, proposal and decision. Run on its own: `python -m tests.benchmarks --only awards`.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, fmt_seconds, run_apart

DATABASE = "vnn_bench_award_decision"
TARGET = 10.0
AWARDEES = 500
RUNS = 3

INTRO = """## Award decision (issue #12)

`python -m tests.benchmarks --only awards` renders, in its own database `vnn_bench_award_decision` (the unit tree,
Plan 119's movement, the awards catalogue), the Chairman's decision awarding 500 nominees of the final review
(50 collectives, 400 individuals, 50 families, made eligible, proposed and decided through the services) as the
worker does (`documents.services.render_stored`: its context, the Decree 30 template with the annex of awardees
and bonus amounts, WeasyPrint, the stored file). Median of 3 after a warm-up; the process's CPU time beside it.
Target ≤ 10 s. For information, `record_decision` for the 500 (the award registry rows in one insert).

"""

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Thị Hồng", "Văn", "Đức", "Thị Thanh", "Minh", "Quang", "Thị Ngọc", "Hữu", "Xuân", "Thị Phương"]
GIVEN = ["Nhung", "Thưởng", "Hùng", "Lan", "Dũng", "Thảo", "Đức", "Hạnh", "Tuấn", "Hương", "Quỳnh", "Khánh"]
POSITIONS = [
    "Chủ tịch Hội Liên hiệp Phụ nữ xã",
    "Trưởng thôn",
    "Công chức Văn hóa - Xã hội",
    "Bí thư Chi đoàn thôn",
    "Chủ tịch Hội Nông dân xã",
]


def run(url, *, database=DATABASE, when, where):
    """Measure the decision PDF; print the figures and return (rows of the results table, context line)."""
    result, load_average = run_apart(url, database, "tests.benchmarks.awards_decision", label="decision")

    remark = (
        f"{result['awardees']} awardees, {result['pages']} pages, {result['kib']} KiB, CPU {fmt_seconds(result['cpu'])}"
    )
    figures = [
        ("decision PDF, 500 awardees (render_stored)", result["pdf"], TARGET, remark),
        ("record_decision, 500 nominees", result["record"], None, f"{result['queries']} queries"),
    ]
    print(f"\nAward decision {when} on {where}; load average at start {load_average:.2f}")
    print(f"{'figure':<48} {'measured':>10} {'target':>9} {'/target':>8}")
    rows = []
    for name, seconds, target, note in figures:
        ratio = f"{seconds / target:.2f}" if target else "—"
        print(f"{name:<48} {fmt_seconds(seconds):>10} {fmt_seconds(target):>9} {ratio:>8}  {note}")
        rows.append(
            f"| {when} | {where} | {name}<br>{note} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} "
            "| — | — |"
        )
    runs = ", ".join(map(fmt_seconds, result["runs"]))
    context = f"Award decision: load average {load_average:.2f} at its start; database {database}; PDF runs {runs}."
    return rows, context


# The measuring process ---------------------------------------------------------------------------------------


def _reset():
    from awards.models import Award, Decision, Nomination, Nominee, NomineeTransition, Proposal
    from documents.models import Document

    Document.objects.filter(kind__startswith="award_").delete()
    Award.objects.all().delete()
    Decision.objects.all().delete()
    Proposal.objects.all().delete()
    NomineeTransition.objects.all().delete()
    Nominee.objects.all().delete()
    Nomination.objects.all().delete()


def _prepare():
    """The tree, the movement, the catalogue, a Board user and 500 eligible nominees of the final review."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from awards.catalogue import seed as catalogue
    from awards.models import (
        AwardType,
        Nomination,
        NominationState,
        Nominee,
        NomineeKind,
        NomineeState,
        NomineeTransition,
        Occasion,
    )
    from movement import seed
    from units.choices import UnitKind
    from units.models import Membership, Unit
    from units.roles import Role
    from units.services import load_unit_tree

    call_command("migrate", verbosity=0)
    load_unit_tree()
    seed.load_movement(seed.read())
    catalogue.load_awards(catalogue.read())
    _reset()
    user, _created = get_user_model().objects.get_or_create(username="bench.tdkt", defaults={"first_name": "Ban"})
    Membership.objects.get_or_create(user=user, unit=Unit.objects.get(short_name="Ban TĐKT"), role=Role.EMULATION_BOARD)
    occasion = Occasion.objects.get(code="tong-ket-2025")
    types = {t.nominee_kind: t for t in AwardType.objects.filter(level="provincial")}
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("path"))
    nominations = Nomination.objects.bulk_create(
        Nomination(occasion=occasion, unit=c, state=NominationState.SUBMITTED, created_by=user) for c in communes
    )
    nominees = []
    for i in range(AWARDEES):
        nomination = nominations[i % len(nominations)]
        kind = (
            NomineeKind.COLLECTIVE if i < 50 else NomineeKind.FAMILY if i >= AWARDEES - 50 else NomineeKind.INDIVIDUAL
        )
        name = f"{FAMILY[i % 12]} {MIDDLE[(i // 12) % 10]} {GIVEN[(i // 120 + i) % 12]}"
        nominees.append(
            Nominee(
                nomination=nomination,
                kind=kind,
                award_type=types[kind],
                state=NomineeState.ELIGIBLE,
                unit=nomination.unit if kind == NomineeKind.COLLECTIVE else None,
                full_name="" if kind == NomineeKind.COLLECTIVE else name,
                birth_year=1960 + i % 40 if kind == NomineeKind.INDIVIDUAL else None,
                position=POSITIONS[i % len(POSITIONS)] if kind == NomineeKind.INDIVIDUAL else "",
                achievements="Có thành tích xuất sắc trong Phong trào thi đua.",
                created_by=user,
            )
        )
    nominees = Nominee.objects.bulk_create(nominees)
    NomineeTransition.objects.bulk_create(
        NomineeTransition(nominee=n, from_state=NomineeState.SELECTED, to_state=NomineeState.ELIGIBLE, by=user)
        for n in nominees
    )
    return user, occasion, [n.pk for n in nominees]


def _measure():
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from awards.decisions import services
    from awards.documents import DECISION
    from documents.models import Document
    from documents.services import render_stored

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-awards-")
    user, occasion, ids = _prepare()
    proposal = services.propose_to_chairman(user=user, occasion=occasion, nominee_ids=ids)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        decision = services.record_decision(
            user=user,
            proposal=proposal,
            signed_on=timezone.localdate(),
            signer="Nguyễn Khắc Thận",
            signer_title="Chủ tịch",
        )
    record = time.perf_counter() - started
    times, cpu, pages, size = [], [], 0, 0
    for i in range(RUNS + 1):
        document = Document.objects.create(
            kind=DECISION,
            unit=decision.issuer,
            as_of=decision.signed_on,
            number=decision.number,
            subject=decision.pk,
            requested_by=user,
        )
        started, started_cpu = time.perf_counter(), time.process_time()
        render_stored(document_id=document.pk)
        if i:  # the first is the warm-up
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        document.refresh_from_db()
        if document.state != "done":
            raise RuntimeError(f"the decision PDF was not rendered: {document.state} {document.error}")
        pages, size = document.pages, document.file.size
    return {
        "awardees": decision.awards.count(),
        "record": record,
        "queries": len(queries),
        "runs": times,
        "pdf": statistics.median(times),
        "cpu": statistics.median(cpu),
        "pages": pages,
        "kib": size // 1024,
    }


def child_main(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.awards_decision")
    parser.add_argument("--out", required=True)
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    Path(options.out).write_text(json.dumps(_measure()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
