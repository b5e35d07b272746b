"""A real Celery worker on Redis checks and imports a roster; the job page polls its progress."""

import time

from django.urls import reverse

from households.models import Household, Member, MemberEvent
from imports import services
from imports.models import ImportJob, JobState

from .conftest import family, member, upload_file, workbook


def wait_for(job, states, seconds=60):
    for _ in range(seconds * 10):
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.state}: {job.error}")


def test_the_worker_checks_then_imports_after_confirmation(
    celery_worker, song_an, district_officer, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    rows = [
        *family("SA-001"),
        *family("SA-002", "Thôn Đông Hồ"),
        member("SA-003", "Quách Thị Thuỳ Dương", "Chủ hộ", "17/08/1991", "Nữ", 34191006789, village="thon nguyet lam"),
    ]
    job = services.create_job(
        user=district_officer, kind="households", unit=song_an, upload=upload_file(workbook(rows))
    )  # queued when the upload commits
    job = wait_for(job, {JobState.VALIDATED, JobState.INVALID, JobState.FAILED})
    assert job.state == JobState.VALIDATED, job.error
    assert (job.total_rows, job.new_rows, job.warning_rows, job.rows_done, job.phase_total) == (7, 7, 1, 7, 7)
    assert job.started_at <= job.progress_at
    assert not Household.objects.exists()

    client.force_login(district_officer)
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status["state"] in ("validated", "applying", "done")
    job = wait_for(job, {JobState.DONE, JobState.FAILED})
    assert job.state == JobState.DONE, job.error
    assert Household.objects.count() == 3 and Member.objects.count() == 7
    assert Member.objects.get(full_name="Quách Thị Thuỳ Dương").cccd == "034191006789"
    assert MemberEvent.objects.filter(pgh_label="insert").count() == 7
    assert [t.to_state for t in job.transitions.all()] == ["validating", "validated", "applying", "done"]
    assert not job.staging
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status == {**status, "state": "done", "running": False, "percent": 100}

    # The same file again: the worker finds nothing to change and says so; the commune is free at once.
    again = services.create_job(
        user=district_officer, kind="households", unit=song_an, upload=upload_file(workbook(rows))
    )
    again = wait_for(again, {JobState.DONE, JobState.VALIDATED, JobState.INVALID, JobState.FAILED})
    assert again.state == JobState.DONE and again.unchanged_rows == 7
    assert ImportJob.objects.filter(state__in=["validating", "validated", "applying"]).count() == 0
