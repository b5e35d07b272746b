"""The award registry benchmark of issue #12: searching 20,000 awards (target ≤ 100 ms server time).

In its own database (`vnn_bench_award_registry`, on the server of DATABASE_URL; no households: the registry never reads
them), migrated and given the Thái Bình unit tree and the movement, 40 decisions of the Chairman with 500 awards
each are written in bulk (20,000 awards over every commune: individuals with names drawn from the common Vietnamese
surnames, middle and given names, a third of them with a citizen ID; families; collectives). It then times, through
Django's test client (server time, no network) as DOLISA staff (the whole province), the registry page
(/awards/registry/, first page of 50 with the count) for a common surname ("nguyen"), an accentless full name
("nguyen van an"), a citizen ID and a district filter, and the same searches through the selector alone (count and
first page). Median of `RUNS` after a warm-up, with the page's query count.

The measuring runs in a process of its own (its own Django settings and database). Run on its own:
`python -m tests.benchmarks --only awards`.
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from .common import ROOT, fmt_seconds, run_apart

DATABASE = "vnn_bench_award_registry"
TARGET = 0.100
AWARDS = 20_000
PER_DECISION = 500
RUNS = 20
DOLISA = "bench.awards.dolisa"

INTRO = """## Award registry (issue #12)

`python -m tests.benchmarks --only awards` times the award registry's search over 20,000 awards, in its own
database `vnn_bench_award_registry` (the unit tree, the movement, 40 decisions of 500 awards each over every commune:
individuals named from the common Vietnamese surnames, a third with a citizen ID, families and collectives), as
DOLISA staff (the whole province): the registry page (first page of 50 and its count, through Django's test client,
server time) and the selector alone, for a common surname ("nguyen"), an accentless full name ("nguyen van an"), a
citizen ID and a district filter. Median of 20 after a warm-up. Target ≤ 100 ms.

"""

SURNAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 10),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Ngô", 2),
    ("Dương", 2),
    ("Phan", 2),
    ("Đinh", 2),
    ("Lương", 1),
    ("Tạ", 1),
]
MIDDLE_MEN = ["Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Văn", "Văn"]
MIDDLE_WOMEN = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Thị"]
GIVEN_MEN = ["An", "Ân", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Nam", "Phúc", "Quân", "Thắng", "Tuấn", "Vinh"]
GIVEN_WOMEN = ["Anh", "Hoa", "Hương", "Lan", "Mai", "Nga", "Oanh", "Thảo", "Trang", "Yến", "Hằng", "Liên", "Mận"]


def run(url, *, database=DATABASE, when, where):
    """Measure the registry search; print the figures and return (rows of the results table, context line)."""
    result, load_average = run_apart(
        url, database, "tests.benchmarks.awards_registry", label="award registry", ALLOWED_HOSTS="testserver"
    )

    load = f"loaded in {result['load']}" if result["load"] else "loaded by an earlier run"
    print(f"\nAward registry {when} on {where}; load average at start {load_average:.2f}")
    print(f"{result['awards']:,} awards ({load})")
    print(f"{'figure':<58} {'measured':>10} {'CPU':>9} {'target':>9} {'/target':>8} {'queries':>8}  found")
    rows = []
    for figure in result["figures"]:
        name, seconds, queries, found = figure["name"], figure["seconds"], figure["queries"], figure["found"]
        target = TARGET if figure["page"] else None
        ratio = f"{seconds / target:.2f}" if target else "—"
        shown = queries if queries is not None else "—"
        cpu = fmt_seconds(figure["cpu"])
        print(
            f"{name:<58} {fmt_seconds(seconds):>10} {cpu:>9} {fmt_seconds(target):>9} {ratio:>8} {shown:>8}  {found:,}"
        )
        label = f"{name}<br>{found:,} found of {result['awards']:,}, CPU {cpu}"
        rows.append(
            f"| {when} | {where} | {label} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} | — | {shown} |"
        )
    context = (
        f"Award registry: load average {load_average:.2f} at its start; database {database} with "
        f"{result['awards']:,} awards."
    )
    return rows, context


# The measuring process ---------------------------------------------------------------------------------------


def _name(rng, men):
    surname = rng.choices([s for s, _w in SURNAMES], weights=[w for _s, w in SURNAMES])[0]
    if men:
        return f"{surname} {rng.choice(MIDDLE_MEN)} {rng.choice(GIVEN_MEN)}"
    return f"{surname} {rng.choice(MIDDLE_WOMEN)} {rng.choice(GIVEN_WOMEN)}"


def _load():
    """The tree, the movement, the catalogue and 20,000 awards (kept when already there); returns (count, seconds,
    a citizen ID present)."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from awards.models import (
        Award,
        AwardMethod,
        AwardType,
        Decision,
        NomineeKind,
        Occasion,
        OccasionKind,
        Proposal,
        ProposalStage,
    )
    from awards.rules import bonus
    from movement import seed
    from units.choices import UnitKind
    from units.models import Membership, Unit
    from units.roles import Role
    from units.services import load_unit_tree

    call_command("migrate", verbosity=0)
    load_unit_tree()
    movement = seed.load_movement(seed.read()).movement
    User = get_user_model()
    dolisa_unit = Unit.objects.get(short_name="Sở LĐ-TB&XH")
    user, _created = User.objects.get_or_create(username=DOLISA, defaults={"first_name": "Cán bộ", "last_name": "Sở"})
    Membership.objects.get_or_create(user=user, unit=dolisa_unit, role=Role.DOLISA_STAFF)
    started, loaded = time.perf_counter(), False
    if Award.objects.count() != AWARDS:
        loaded = True
        with transaction.atomic():
            Award.objects.all().delete()
            Decision.objects.all().delete()
            Proposal.objects.all().delete()
            Occasion.objects.filter(movement=movement, code__startswith="bench-").delete()
            province = Unit.objects.get(kind=UnitKind.PROVINCE)
            types = {
                kind: AwardType.objects.get_or_create(
                    code=f"bench-bang-khen-{kind}",
                    defaults={"name": f"Bằng khen của Chủ tịch UBND tỉnh ({label})", "nominee_kind": kind},
                )[0]
                for kind, label in NomineeKind.choices
            }
            occasions = [
                (Occasion.objects.create(movement=movement, code=f"bench-{code}", name=name, kind=kind, year=year), m)
                for code, name, kind, year, m in [
                    ("so-ket-2023", "Sơ kết 2021-2023", OccasionKind.MIDTERM, 2023, AwardMethod.THEMATIC),
                    ("nam-2024", "Năm 2024", OccasionKind.YEARLY, 2024, AwardMethod.REGULAR),
                    ("tong-ket-2025", "Tổng kết 2021-2025", OccasionKind.FINAL, 2025, AwardMethod.THEMATIC),
                    ("dot-xuat-2025", "Đột xuất 2025", OccasionKind.AD_HOC, 2025, AwardMethod.AD_HOC),
                ]
            ]
            communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("path"))
            districts = {u.pk: u for u in Unit.objects.filter(kind=UnitKind.DISTRICT)}
            rng = random.Random(12)
            multiples = {"individual": Decimal("1.5"), "collective": Decimal("3"), "family": Decimal("2.25")}
            awards = []
            for number in range(1, AWARDS // PER_DECISION + 1):
                occasion, method = occasions[number % len(occasions)]
                signed_on = date(occasion.year, 3, 1) + timedelta(days=number * 7)
                common = {"occasion": occasion, "issuer": province, "number": number, "year": signed_on.year}
                proposal = Proposal.objects.create(
                    stage=ProposalStage.BOARD, issued_on=signed_on, created_by=user, **common
                )
                decision = Decision.objects.create(
                    proposal=proposal,
                    signed_on=signed_on,
                    signer="Nguyễn Khắc Thận",
                    signer_title="Chủ tịch",
                    created_by=user,
                    **common,
                )
                for _n in range(PER_DECISION):
                    unit = rng.choice(communes)
                    draw = rng.random()
                    kind = "collective" if draw < 0.1 else "family" if draw < 0.25 else "individual"
                    men = rng.random() < 0.5
                    person = _name(rng, men)
                    name = {"collective": unit.name, "family": f"Hộ {'ông' if men else 'bà'} {person}"}.get(
                        kind, person
                    )
                    birth_year = rng.randint(1950, 2000) if kind == "individual" else None
                    cccd = (
                        f"034{rng.randint(0, 1)}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"
                        if birth_year and rng.random() < 0.33
                        else ""
                    )
                    awards.append(
                        Award(
                            decision=decision,
                            award_type=types[kind],
                            kind=kind,
                            method=method,
                            occasion=occasion,
                            year=occasion.year,
                            name=name,
                            birth_year=birth_year,
                            sex=("M" if men else "F") if kind == "individual" else "",
                            cccd=cccd,
                            unit=unit,
                            district=districts.get(unit.parent_id),
                            multiple=multiples[kind],
                            base_salary=2_340_000,
                            bonus=bonus(multiples[kind], 2_340_000),
                        )
                    )
            Award.objects.bulk_create(awards, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # every table: the units and decisions the search joins too
    seconds = time.perf_counter() - started if loaded else None
    cccd = Award.objects.exclude(cccd="").order_by("pk").values_list("cccd", flat=True).first()
    return Award.objects.count(), seconds, cccd


def _timed(func, runs=RUNS, warmup=2):
    """(median wall seconds, median CPU seconds of this process): on a shared machine the wall time also counts
    the time other processes hold the cores; PostgreSQL's share is in the wall time only."""
    for _i in range(warmup):
        func()
    times, cpu = [], []
    for _i in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), statistics.median(cpu)


def _measure():
    from django.contrib.auth import get_user_model
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from awards.registry import selectors
    from awards.registry.views import PAGE_SIZE
    from units.models import Unit

    count, load_seconds, cccd = _load()
    user = get_user_model().objects.get(username=DOLISA)
    district = Unit.objects.get(kind="district", code="344")
    searches = [
        ("common surname", {"q": "nguyen"}, {"query": "nguyen"}),
        ("accentless full name", {"q": "nguyen van an"}, {"query": "nguyen van an"}),
        ("citizen ID", {"q": cccd}, {"query": cccd}),
        (f"district filter ({district.name})", {"unit": district.pk}, {"unit": district}),
        ("name and district", {"q": "tran thi", "unit": district.pk}, {"query": "tran thi", "unit": district}),
    ]
    client = Client(raise_request_exception=True)
    client.force_login(user)
    url = reverse("awards:registry")
    figures = []
    for label, params, filters in searches:

        def page(params=params):
            response = client.get(url, params)
            if response.status_code != 200:
                raise RuntimeError(f"{url} {params} answered {response.status_code}")
            return response

        seconds, cpu = _timed(page)
        with CaptureQueriesContext(connection) as queries:
            page()
        found = selectors.registry(user, **filters).count()
        figures.append(
            {
                "name": f"registry page: {label}",
                "seconds": seconds,
                "cpu": cpu,
                "queries": len(queries),
                "found": found,
                "page": True,
            }
        )

        def selector(filters=filters):
            shown = Paginator(selectors.registry(user, **filters), PAGE_SIZE).get_page(1)
            return shown.paginator.count, list(shown.object_list)

        seconds, cpu = _timed(selector)
        with CaptureQueriesContext(connection) as queries:
            selector()
        figures.append(
            {
                "name": f"selector (count + page 1): {label}",
                "seconds": seconds,
                "cpu": cpu,
                "queries": len(queries),
                "found": found,
                "page": False,
            }
        )
    return {"awards": count, "load": fmt_seconds(load_seconds) if load_seconds else None, "figures": figures}


def child_main(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.awards_registry")
    parser.add_argument("--out", required=True)
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    Path(options.out).write_text(json.dumps(_measure()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
