"""What the import job's workflow offers a user on the job page: the page asks `JOBS.actions`, nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imports.models import ImportJob, JobState
from imports.workflow import JOBS
from units.roles import Role

S = JobState


@pytest.fixture
def job(district_officer, song_an):
    return ImportJob.objects.create(
        kind="households",
        unit=song_an,
        original_name="Danh sách hộ nghèo xã Song An năm 2025.xlsx",
        file_format="xlsx",
        requested_by=district_officer,
    )


def _as(job, state, **fields):
    ImportJob.objects.filter(pk=job.pk).update(state=state, **fields)
    return ImportJob.objects.select_related("unit").get(pk=job.pk)


@pytest.mark.parametrize(
    ("state", "fields", "expected"),
    [
        (S.UPLOADED, {}, {"cancel"}),
        (S.VALIDATED, {}, {"cancel"}),
        (S.VALIDATING, {}, {"request_cancel"}),
        (S.APPLYING, {}, {"request_cancel"}),
        (S.INVALID, {"staging": "imports/staging/1.jsonl"}, {"import_valid"}),
        (S.INVALID, {}, set()),
        (S.CANCEL_REQUESTED, {}, set()),
        (S.DONE, {}, set()),
        (S.CANCELLED, {}, set()),
        (S.FAILED, {}, set()),
    ],
)
def test_the_steps_offered_follow_the_state(district_officer, job, state, fields, expected):
    now = timezone.now()
    assert JOBS.actions(district_officer, _as(job, state, started_at=now, progress_at=now, **fields)) == expected


@pytest.mark.parametrize("state", [S.VALIDATING, S.APPLYING, S.CANCEL_REQUESTED])
def test_a_job_that_lost_its_worker_can_be_abandoned(district_officer, job, state):
    long_ago = timezone.now() - timedelta(hours=2)
    stale = _as(job, state, started_at=long_ago, progress_at=long_ago)
    assert "abandon" in JOBS.actions(district_officer, stale)


def test_nothing_is_offered_to_who_may_not_import_there(make_user, song_an, vu_hoi, job):
    leader = make_user(Role.COMMUNE_LEADER, song_an)
    other = make_user(Role.COMMUNE_OFFICER, vu_hoi)
    assert JOBS.actions(leader, job) == set()
    assert JOBS.actions(other, job) == set()
