"""Throughput of the households importer on a generated roster: validate and apply timed separately.

Run against a scratch database that has the unit tree and villages (never a real one: it writes households):

    DATABASE_URL=... python -m tests.imports.measure 100000 [district GSO code] [--keep]

Prints rows/s (wall and CPU) of a bare openpyxl read-only pass over the same file, of the check, of the import,
of a second check of the same file (every row unchanged), and the peak RSS of the process.
"""

import os
import resource
import sys
import tempfile
import time


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "false")  # as in production: DEBUG keeps every query's SQL in memory
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from openpyxl import load_workbook

    from imports import pipeline, services
    from imports.models import ImportJob, ImportMode
    from tests.imports.roster import write_roster
    from units.models import Unit
    from units.roles import Role
    from units.services import add_membership

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    district_code = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2].isdigit() else "344"
    keep = "--keep" in sys.argv
    district = Unit.objects.get(kind="district", code=district_code)
    villages = [
        (v.parent.name, v.name)
        for v in Unit.objects.filter(kind="village", parent__parent=district, parent__valid_to__isnull=True)
        .select_related("parent")
        .order_by("path")
    ]
    prefix = f"BM{int(time.time()) % 100000}"
    user, _created = get_user_model().objects.get_or_create(username="import-benchmark")
    if not user.memberships.filter(unit=district).exists():
        add_membership(user=user, unit=district, role=Role.DISTRICT_OFFICER)

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def timed(label, function, count):
        wall, cpu = time.perf_counter(), time.process_time()
        if os.environ.get("PROFILE") == label:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            result = profile.runcall(function)
            pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("LINES", "45"))
            )
        else:
            result = function()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{label:<28} {count:>8} rows {wall:7.1f} s wall {count / wall:8.0f} rows/s"
            f"   cpu {cpu:6.1f} s {count / cpu:8.0f} rows/s   peak RSS {peak_mb():6.0f} MB",
            flush=True,
        )
        return result, wall

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "roster.xlsx")
        started = time.perf_counter()
        write_roster(path, villages, rows, prefix=prefix)
        size = os.path.getsize(path)
        print(f"generated {rows} rows in {time.perf_counter() - started:.0f} s, {size / 1e6:.1f} MB", flush=True)

        def bare():
            workbook = load_workbook(path, read_only=True, data_only=True)
            count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
            workbook.close()
            return count

        _count, bare_wall = timed("bare openpyxl read-only", bare, rows)
        with open(path, "rb") as handle:
            content = handle.read()

        def upload():
            ImportJob.objects.filter(unit=district, state__in=["validated", "uploaded"]).update(state="cancelled")
            return services.create_job(
                user=user,
                kind="households",
                unit=district,
                upload=SimpleUploadedFile("roster.xlsx", content),
                mode=ImportMode.ALL_OR_NOTHING,
            )

        job = upload()
        _result, check_wall = timed("validate", lambda: pipeline.validate(job.pk), rows)
        job.refresh_from_db()
        print(
            f"  state={job.state} new={job.new_rows} errors={job.error_rows} warnings={job.warning_rows} {job.message}"
        )
        if job.state != "validated":
            for problem in job.row_errors.filter(severity="error")[:10]:
                print("  ", problem.row_number, problem.column, problem.message)
            return
        services.confirm_job(user=user, job=job)
        _result, apply_wall = timed("apply", lambda: pipeline.apply(job.pk), rows)
        job.refresh_from_db()
        print(f"  state={job.state} {job.summary} events={job.details.get('history_events')}")
        total = check_wall + apply_wall
        print(
            f"validate + apply: {total:.1f} s = {rows / total:.0f} rows/s; "
            f"{total / bare_wall:.2f} x the bare openpyxl pass ({rows / bare_wall:.0f} rows/s)"
        )

        again = upload()
        timed("validate again (unchanged)", lambda: pipeline.validate(again.pk), rows)
        again.refresh_from_db()
        print(f"  state={again.state} {again.summary}")

    if not keep:
        with connection.cursor() as cursor:
            households = "SELECT id FROM households_household WHERE code LIKE %s"
            cursor.execute(f"DELETE FROM households_member WHERE household_id IN ({households})", [prefix + "-%"])
            cursor.execute(f"DELETE FROM households_memberevent WHERE household_id IN ({households})", [prefix + "-%"])
            cursor.execute("DELETE FROM households_householdevent WHERE code LIKE %s", [prefix + "-%"])
            cursor.execute("DELETE FROM households_household WHERE code LIKE %s", [prefix + "-%"])


if __name__ == "__main__":
    main()
