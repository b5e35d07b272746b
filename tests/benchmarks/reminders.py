"""The reminder benchmark of issue #11: the daily reminder job over every unit and deadline of the province.

In its own database (`vnn_bench_reminders`, on the server of DATABASE_URL; no households: the job never reads
them), migrated and given the Thái Bình unit tree, the movement (`movement.seed`: its milestones are deadline
rows), responsible users for every unit (two per commune, one per district and provincial participant, two
DOLISA staff) and the year's deadlines: a unit report due 20/11/2025 for every unit kind of the movement's
participant groups (communes, districts, departments, organisations, enterprises, ...), the DOLISA summary due
25/11/2025 and the good-practice compilation due 30/11/2025. It then times, on 19/11/2025:

- **first run**: `deadlines.services.send_reminders` on a day when every unit report has its 1-day reminder due
  (and, the run being the first ever, the earlier offsets are recorded as skipped), the summary its 7-day
  reminder a day late and the compilation its 14-day one: every record, notification and queued mail written.
  Median of 3, the records, notifications and mails of a run removed before the next. Target ≤ 5 s.
- **rerun**: the same job again that day (everything recorded: nothing sent).
- **outbox**: `deadlines.services.send_outbox` sending the first run's queued mails through Django's in-memory
  mail backend (the database's share of delivery; an SMTP server adds its own time per message).

The measuring runs in a process of its own (its own Django settings and database). Run on its own:
`python -m tests.benchmarks --only reminders`.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from .common import ROOT, fmt_seconds, run_apart

DATABASE = "vnn_bench_reminders"
TARGET = 5.0
TODAY = date(2025, 11, 19)
RUNS = 3

INTRO = """## Reminders (issue #11)

`python -m tests.benchmarks --only reminders` times the daily reminder job (`deadlines.services.send_reminders`)
over every unit and deadline of the province, in its own database `vnn_bench_reminders` (the unit tree, the
movement with its milestones, responsible users for every unit, a unit report due 20/11/2025 for every unit kind
of the movement's participant groups, the DOLISA summary and the good-practice compilation; no households: the
job never reads them), on 19/11/2025:

- **first run**: every unit report's 1-day reminder due, the earlier offsets recorded as skipped, the summary's
  7-day reminder a day late, the compilation's 14-day one: each unit's records, one notification per person and
  its queued mail, one transaction per deadline. Median of 3 (a run's rows removed before the next).
  Target ≤ 5 s.
- **rerun**: the job again the same day: every reminder already recorded, nothing sent.
- **outbox**: `deadlines.services.send_outbox` sending the first run's mails through Django's in-memory backend
  (one transaction and row lock per message; an SMTP server adds its own time).

"""


def run(url, *, database=DATABASE, when, where):
    """Measure the reminder job; print the figures and return (rows of the results table, context line)."""
    result, load_average = run_apart(url, database, "tests.benchmarks.reminders", label="reminder")

    scale = (
        f"{result['units']} units owing {result['deadlines']} deadlines, {result['users']} users, "
        f"{result['notifications']} notifications and mails"
    )
    figures = [
        ("reminder job, first run of the day", result["first"], TARGET, result["first_queries"], scale),
        ("reminder job, rerun the same day", result["rerun"], None, result["rerun_queries"], "nothing to send"),
        ("outbox: send the run's mails", result["outbox"], None, None, f"{result['mails']} mails, in-memory backend"),
    ]
    print(f"\nReminders {when} on {where}")
    print(f"{'figure':<44} {'measured':>10} {'target':>9} {'/target':>8} {'queries':>8}")
    rows = []
    for name, seconds, target, queries, remark in figures:
        ratio = f"{seconds / target:.2f}" if target else "—"
        shown = queries if queries is not None else "—"
        print(f"{name:<44} {fmt_seconds(seconds):>10} {fmt_seconds(target):>9} {ratio:>8} {shown:>8}  {remark}")
        rows.append(
            f"| {when} | {where} | {name}<br>{remark} | {fmt_seconds(seconds)} | {fmt_seconds(target)} | {ratio} "
            f"| — | {shown} |"
        )
    runs = ", ".join(map(fmt_seconds, result["runs"]))
    context = f"Reminders: load average {load_average:.2f} at its start; database {database}; first runs {runs}."
    return rows, context


# The measuring process ---------------------------------------------------------------------------------------


def _prepare():
    """The unit tree, the movement, the year's deadlines and responsible users (idempotent)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from deadlines.models import Deadline, DeadlineKind
    from movement import seed
    from movement.models import ParticipantGroup
    from units.choices import UnitKind
    from units.models import Membership, Unit
    from units.roles import Action, Role
    from units.services import load_unit_tree

    call_command("migrate", verbosity=0)
    load_unit_tree()
    seed.load_movement(seed.read())
    kinds = sorted({kind for group in ParticipantGroup.objects.all() for kind in group.unit_kinds})
    dolisa = Unit.objects.get(short_name="Sở LĐ-TB&XH")
    for kind in kinds:
        Deadline.objects.get_or_create(
            kind=DeadlineKind.UNIT_REPORT,
            year=2025,
            title=f"Báo cáo kết quả Phong trào năm 2025 ({UnitKind(kind).label})",
            defaults={"due_on": date(2025, 11, 20), "action": Action.REPORT, "unit_kinds": [kind]},
        )
    for kind, due_on in (
        (DeadlineKind.PROVINCIAL_SUMMARY, date(2025, 11, 25)),
        (DeadlineKind.GOOD_PRACTICES, date(2025, 12, 3)),
    ):
        deadline, _created = Deadline.objects.get_or_create(
            kind=kind,
            year=2025,
            title=f"{DeadlineKind(kind).label} 2025 (benchmark)",
            defaults={"due_on": due_on, "action": Action.COMPILE},
        )
        deadline.units.set([dolisa])

    User = get_user_model()
    wanted = []  # (username, unit, role)
    roles = {UnitKind.COMMUNE: [Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER], UnitKind.DISTRICT: [Role.DISTRICT_OFFICER]}
    units = Unit.objects.active_on(date(2025, 11, 20)).filter(kind__in=[*kinds, UnitKind.DISTRICT]).order_by("pk")
    for unit in units:
        for n, role in enumerate(roles.get(unit.kind, [Role.UNIT_REPORTER])):
            wanted.append((f"bench.{unit.pk}.{n}", unit, role))
    wanted += [(f"bench.dolisa.{n}", dolisa, Role.DOLISA_STAFF) for n in range(2)]
    existing = set(User.objects.filter(username__startswith="bench.").values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=name, first_name="Cán bộ", last_name=unit.name, email=f"{name}@thaibinh.gov.vn")
        for name, unit, _role in wanted
        if name not in existing
    )
    ids = dict(User.objects.filter(username__startswith="bench.").values_list("username", "pk"))
    Membership.objects.bulk_create(
        [Membership(user_id=ids[name], unit=unit, role=role) for name, unit, role in wanted], ignore_conflicts=True
    )
    return len(ids)


def _reset():
    from deadlines.models import Notification, OutboxMessage, ReminderSent

    ReminderSent.objects.all().delete()
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()


def _measure():
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from deadlines import services
    from deadlines.models import Notification, OutboxMessage, ReminderSent

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = _prepare()
    reverse("reports:home")  # the URL configuration loads once per process: not the job's time
    times = []
    for _i in range(RUNS):
        _reset()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        started = time.perf_counter()
        reminded = services.send_reminders(today=TODAY)
        times.append(time.perf_counter() - started)
    counted = {
        "units": len(set(ReminderSent.objects.filter(state="sent").values_list("unit_id", flat=True))),
        "deadlines": len(set(ReminderSent.objects.values_list("deadline_id", flat=True))),
        "notifications": Notification.objects.count(),
        "mails": OutboxMessage.objects.count(),
    }
    _reset()
    with CaptureQueriesContext(connection) as queries:
        services.send_reminders(today=TODAY)
    first_queries = len(queries)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        again = services.send_reminders(today=TODAY)
    rerun = time.perf_counter() - started
    if again:
        raise RuntimeError(f"the rerun reminded {again} units")
    started = time.perf_counter()
    sent = services.send_outbox(limit=counted["mails"] + 1)
    outbox = time.perf_counter() - started
    if sent.get("sent") != counted["mails"]:
        raise RuntimeError(f"the outbox sent {sent}")
    return {
        **counted,
        "reminded": reminded,
        "users": users,
        "runs": times,
        "first": statistics.median(times),
        "first_queries": first_queries,
        "rerun": rerun,
        "rerun_queries": len(queries),
        "outbox": outbox,
    }


def child_main(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.reminders")
    parser.add_argument("--out", required=True)
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    Path(options.out).write_text(json.dumps(_measure()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
