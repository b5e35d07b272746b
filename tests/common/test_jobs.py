"""The job base: a task reports progress (writing only those columns), finishes, fails or stops on a cancel; one
status view answers for every job, within the job's own scope."""

import pytest
from django.urls import reverse

from common import jobs
from common.jobs import JobState
from imports.models import ExportJob
from units.roles import Role


@pytest.fixture
def officer(tree, make_user):
    return make_user(Role.COMMUNE_OFFICER, tree.commune("13249"), last_name="Nguyễn Thị Hồng", first_name="Nhung")


@pytest.fixture
def export(officer):
    return ExportJob.objects.create(kind="members", year=2025, params={"year": "2025"}, requested_by=officer)


def test_report_writes_only_progress_and_its_message(export):
    job = ExportJob.claim(export.pk)
    ExportJob.objects.filter(pk=export.pk).update(total=5000)  # written meanwhile by someone else
    job.report(42.7, "Đang ghi dòng 2.100")
    export.refresh_from_db()
    assert (export.state, export.progress, export.progress_message, export.total) == (
        JobState.RUNNING,
        42,
        "Đang ghi dòng 2.100",
        5000,
    )
    job.report(250)
    export.refresh_from_db()
    assert export.progress == 100


def test_a_second_claim_of_the_same_job_gets_nothing(export):
    assert ExportJob.claim(export.pk) is not None
    assert ExportJob.claim(export.pk) is None


def test_a_queued_job_is_cancelled_at_once(export):
    assert export.request_cancel() == JobState.CANCELLED
    assert ExportJob.claim(export.pk) is None
    export.refresh_from_db()
    assert export.state == JobState.CANCELLED and export.finished_at


def test_a_running_job_stops_at_its_next_report(export):
    job = ExportJob.claim(export.pk)
    assert export.request_cancel() == JobState.RUNNING
    with pytest.raises(jobs.Cancelled):
        job.report(50, "Nửa chặng")
    export.refresh_from_db()
    assert export.state == JobState.CANCELLED and export.cancel_requested


def test_run_finishes_with_the_result_once(export, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def work(job):
        job.report(50)
        return {"name": "thanh-vien-xã-song-an.xlsx", "content": b"PK", "rows_done": 7, "total": 7}

    assert jobs.run(ExportJob, export.pk, work) is True
    assert jobs.run(ExportJob, export.pk, work) is False
    export.refresh_from_db()
    assert (export.state, export.progress, export.rows_done, export.finished_at is not None) == ("done", 100, 7, True)
    assert export.file.read() == b"PK"


def test_run_records_a_failure_with_the_message_for_the_requester(export):
    def work(job):
        raise RuntimeError("disk full")

    assert jobs.run(ExportJob, export.pk, work, failure="Không ghi được tệp.") is True
    export.refresh_from_db()
    assert (export.state, export.error) == (JobState.FAILED, "Không ghi được tệp.")
    assert export.status()["failed"] and export.status()["message"] == "Không ghi được tệp."


def test_the_status_view_answers_only_within_the_jobs_scope(client, export, officer, make_user, tree):
    client.force_login(officer)
    status = client.get(reverse("imports:export_status", args=[export.pk])).json()
    assert {key: status[key] for key in ("state", "progress", "message", "result_url", "done", "failed")} == {
        "state": "queued",
        "progress": 0,
        "message": "",
        "result_url": "",
        "done": False,
        "failed": False,
    }
    colleague = make_user(Role.COMMUNE_OFFICER, tree.commune("13249"))
    client.force_login(colleague)
    assert client.get(reverse("imports:export_status", args=[export.pk])).status_code == 404
