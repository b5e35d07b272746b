"""Import jobs as users meet them: the pages, the lock on a commune, other units' jobs, the workbooks, cancel."""

import io
import os
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households.models import Household, Member
from imports import pipeline, services
from imports.importers import IMPORTERS
from imports.models import ImportJob, ImportTransition, JobState
from units.roles import Role

from .conftest import HEADER, family, member, problems, upload_file, workbook


def login(client, user):
    client.force_login(user)
    return client


# The one-import-per-unit lock -----------------------------------------------------------------------------


def test_a_second_import_into_the_same_commune_is_refused(start, district_officer, dolisa, song_an, vu_thu):
    first = start(district_officer, song_an, workbook(family()))
    assert first.state == JobState.VALIDATED  # waiting for confirmation: it still holds the commune
    for unit in (song_an, vu_thu, vu_thu.parent):  # the commune, its district, the province
        with pytest.raises(ValidationError) as caught:
            services.create_job(user=dolisa, kind="households", unit=unit, upload=upload_file(workbook(family())))
        assert caught.value.messages == [
            f"Đang có một lần nhập dữ liệu vào Xã Song An (số {first.pk}, do Phạm Thị Thu Hương tải lên: chờ xác nhận)."
            " Hãy chờ lần nhập đó xong hoặc huỷ nó, rồi tải lên lại."
        ]
    assert ImportJob.objects.count() == 1
    services.cancel_job(user=district_officer, job=first)
    assert start(dolisa, song_an, workbook(family())).state == JobState.VALIDATED


def test_the_lock_holds_another_commune_free_and_ends_with_the_job(start, confirm, district_officer, song_an, vu_hoi):
    first = start(district_officer, song_an, workbook(family()))
    rows = [member("VH-1", "Kiều Văn Lực", "Chủ hộ", "01/01/1960", "Nam", village="Thôn Đoài")]
    assert start(district_officer, vu_hoi, workbook(rows)).state == JobState.VALIDATED  # another commune: free
    confirm(first, district_officer)
    assert start(district_officer, song_an, workbook(family())).state == JobState.DONE  # done jobs do not lock


def test_the_database_refuses_two_active_jobs_on_one_unit(start, district_officer, song_an):
    first = start(district_officer, song_an, workbook(family()))
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(
            kind="households", unit=song_an, file=first.file.name, original_name="x.xlsx", requested_by=district_officer
        )


def test_an_invalid_job_does_not_lock(start, district_officer, song_an):
    bad = family()
    bad[0]["Thôn/Tổ dân phố"] = "Thôn 99"
    assert start(district_officer, song_an, workbook(bad)).state == JobState.INVALID
    assert start(district_officer, song_an, workbook(family())).state == JobState.VALIDATED


# Pages ----------------------------------------------------------------------------------------------------


def test_the_upload_page_uploads_and_shows_the_check(client, district_officer, song_an, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, district_officer)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200
    html = page.content.decode()
    for testid in ("import-form", "import-kind", "import-unit", "import-file", "import-submit", "template-download"):
        assert f'data-testid="{testid}"' in html
    assert "Xã Song An" in html and "Phường Lê Hồng Phong" not in html  # only units of the user's area

    response = client.post(
        reverse("imports:upload"),
        {"kind": "households", "unit": song_an.pk, "mode": "all_or_nothing", "file": upload_file(workbook(family()))},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    pipeline.validate(job.pk)  # the worker's part
    page = client.get(response.url).content.decode()
    assert 'data-testid="job-state"' in page and "Chờ xác nhận" in page
    assert 'data-testid="count-new">3<' in page
    assert 'data-testid="job-confirm"' in page

    client.post(reverse("imports:confirm", args=[job.pk]))
    pipeline.apply(job.pk)
    page = client.get(response.url).content.decode()
    assert "Hoàn thành" in page and "Đã nhập. Hộ: 1 mới" in page
    assert Household.objects.count() == 1


def test_a_refused_file_is_explained_on_the_form(client, district_officer, song_an, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, district_officer)
    response = client.post(
        reverse("imports:upload"),
        {"kind": "households", "unit": song_an.pk, "mode": "all_or_nothing", "file": upload_file(b"x", "a.xlsm")},
    )
    assert response.status_code == 200
    assert "Không nhận tệp Excel có macro (.xlsm)" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_commune_leaders_do_not_import_but_officers_do(client, make_user, song_an):
    login(client, make_user(Role.COMMUNE_OFFICER, song_an))
    assert client.get(reverse("imports:upload")).status_code == 200
    login(client, make_user(Role.COMMUNE_LEADER, song_an))
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:template"), {"kind": "households"}).status_code == 403
    assert client.get(reverse("imports:list")).status_code == 200


def test_another_units_job_does_not_exist(client, start, make_user, tree, district_officer, song_an):
    bad = family()
    bad[0]["Thôn/Tổ dân phố"] = "Thôn 99"
    job = start(district_officer, song_an, workbook(bad))
    outsider = make_user(Role.DISTRICT_OFFICER, tree.district("336"))
    login(client, outsider)
    for name in ("job", "status", "errors"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404, name
    for name in ("confirm", "cancel"):
        assert client.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404, name
    assert f"#{job.pk}" not in client.get(reverse("imports:list")).content.decode()
    job.refresh_from_db()
    assert job.state == JobState.INVALID


def test_the_status_of_a_job(client, start, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    login(client, district_officer)
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status["state"] == "validated" and status["label"] == "Chờ xác nhận" and not status["running"]
    assert (status["rows_done"], status["total"], status["percent"]) == (3, 3, 100)
    assert status["rows"] == "3/3 dòng"


def test_progress_shows_rows_rate_and_time_left(client, start, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        state=JobState.APPLYING, phase_total=100_000, rows_done=25_000, started_at=now - timedelta(seconds=5),
        progress_at=now,
    )  # fmt: skip
    login(client, district_officer)
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status["running"] and status["percent"] == 25
    assert status["rows"] == "25.000/100.000 dòng"
    assert status["rate"] == "5.000 dòng/giây"
    assert status["eta"] == "còn khoảng 15 giây"
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    for testid in ("job-progress", "job-progress-bar", "job-rows", "job-rate", "job-eta", "job-cancel"):
        assert f'data-testid="{testid}"' in page
    assert "js/jobs.js" in page


def test_the_problems_are_listed_and_paginated(client, start, district_officer, song_an):
    rows = [member(f"SA-{n:03d}", "Lê Văn Tám", "Chủ hộ", "01/01/1960", "Nam", village="Thôn 99") for n in range(60)]
    job = start(district_officer, song_an, workbook(rows))
    assert job.error_rows == 60
    login(client, district_officer)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert page.count('data-testid="row-error"') == 50 and 'data-testid="next-page"' in page
    second = client.get(reverse("imports:job", args=[job.pk]), {"page": 2, "show": "error"}).content.decode()
    assert second.count('data-testid="row-error"') == 10


# Workbooks ------------------------------------------------------------------------------------------------


def test_the_error_workbook_holds_the_rows_to_fix_and_uploads_again(client, start, confirm, district_officer, song_an):
    rows = family("SA-001") + family("SA-002")
    rows[3]["Thôn/Tổ dân phố"] = "Thôn 99"
    job = confirm(start(district_officer, song_an, workbook(rows)), district_officer, valid_only=True)
    assert list(Household.objects.values_list("code", flat=True)) == ["SA-001"]

    login(client, district_officer)
    response = client.get(reverse("imports:errors", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][-1] == "Lỗi" and table[0][:-1] == HEADER  # the header as read, plus Lỗi
    assert [row[0] for row in table[1:]] == ["SA-002", "SA-002", "SA-002"]
    assert table[1][-1] == (
        "Thôn/Tổ dân phố: Không tìm thấy thôn “Thôn 99” ở Xã Song An. Hãy sửa tên, hoặc nhập danh sách thôn "
        "của xã trước."
    )
    assert table[2][-1] == "Mã hộ: Không nhập: hộ SA-002 có lỗi ở dòng 5."
    assert table[1][6] == "05/09/1978", "dates come back as dd/mm/yyyy text, which the importer reads"

    sheet["C2"] = "Thôn 2"  # the officer corrects the village and uploads the same workbook
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    fixed = confirm(start(district_officer, song_an, buffer.getvalue()), district_officer)
    assert fixed.state == JobState.DONE, problems(fixed)
    assert Household.objects.get(code="SA-002").village.name == "Thôn 2"
    assert Member.objects.count() == 6


@pytest.mark.parametrize("kind", ["households", "villages"])  # reviews and users: test_reviews.py, test_users.py
def test_the_template_has_a_header_lists_and_instructions(client, district_officer, song_an, kind):
    login(client, district_officer)
    response = client.get(reverse("imports:template"), {"kind": kind, "unit": song_an.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Dữ liệu", "Danh mục", "Hướng dẫn"]
    data = book["Dữ liệu"]
    header = [cell.value for cell in data[1]]
    importer = IMPORTERS[kind]
    assert len(header) == len(importer.columns)
    assert data.freeze_panes == "A2" and data["A1"].font.bold
    lists = {cell.value: index for index, cell in enumerate(book["Danh mục"][1], start=1)}
    assert "Xã/Phường/Thị trấn" in lists
    formulas = [v.formula1 for v in data.data_validations.dataValidation]
    assert formulas and all(f.startswith("'Danh mục'!$") for f in formulas)
    guide = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Hướng dẫn điền" in guide and "nhập lại cùng một tệp" in guide
    if kind == "households":
        assert header[:3] == ["Mã hộ (*)", "Xã/Phường/Thị trấn", "Thôn/Tổ dân phố (*)"]
        column = next(i for i, c in enumerate(book["Danh mục"][1], start=1) if c.value == "Thôn/Tổ dân phố")
        values = next(book["Danh mục"].iter_cols(min_col=column, max_col=column, values_only=True))
        assert list(values[1:6]) == ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn Đông Hồ", "Thôn Nguyệt Lâm"]
        relations = next(i for i, c in enumerate(book["Danh mục"][1], start=1) if c.value == "Quan hệ với chủ hộ")
        assert book["Danh mục"].cell(row=2, column=relations).value == "Chủ hộ"
        assert "nhóm" in guide or "liền nhau" in guide


def test_a_blank_template_reads_back_as_an_empty_import(client, start, district_officer, song_an):
    login(client, district_officer)
    response = client.get(reverse("imports:template"), {"kind": "households", "unit": song_an.pk})
    job = start(district_officer, song_an, b"".join(response.streaming_content))
    assert job.state == JobState.INVALID and job.error == "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."


def test_another_units_template_does_not_exist(client, district_officer, le_hong_phong):
    login(client, district_officer)
    response = client.get(reverse("imports:template"), {"kind": "households", "unit": le_hong_phong.pk})
    assert response.status_code == 404


# Cancel ---------------------------------------------------------------------------------------------------


def test_a_waiting_job_is_cancelled_at_once(start, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    staged = job.staging
    assert services.cancel_job(user=district_officer, job=job) == JobState.CANCELLED
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and not job.staging
    from django.core.files.storage import default_storage

    assert not default_storage.exists(staged)
    assert ImportTransition.objects.filter(job=job, to_state=JobState.CANCELLED, by=district_officer).exists()
    with pytest.raises(ValidationError):
        services.confirm_job(user=district_officer, job=job)


def cancel_during(monkeypatch, job_id, user, after_updates):
    """Ask to cancel from the progress checkpoint number `after_updates`, as a user clicking Cancel would."""
    calls = {"n": 0}
    original = pipeline.Progress.update

    def update(self, rows_done, **kwargs):
        calls["n"] += 1
        if calls["n"] == after_updates:
            services.cancel_job(user=user, job=ImportJob.objects.get(pk=job_id))
        return original(self, rows_done, **kwargs)

    monkeypatch.setattr(pipeline.Progress, "update", update)


def test_cancel_while_checking_stops_and_keeps_nothing(
    start, monkeypatch, district_officer, song_an, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(IMPORTERS["households"], "block_rows", 2)
    rows = family("SA-001") + family("SA-002") + family("SA-003")
    rows[0]["Thôn/Tổ dân phố"] = "Thôn 99"  # an error the check would record
    job = services.create_job(
        user=district_officer, kind="households", unit=song_an, upload=upload_file(workbook(rows))
    )
    cancel_during(monkeypatch, job.pk, district_officer, after_updates=2)
    pipeline.validate(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not job.row_errors.exists() and not job.staging
    assert job.transitions.last().to_state == JobState.CANCELLED


def test_cancel_while_importing_rolls_everything_back(start, monkeypatch, district_officer, song_an):
    monkeypatch.setattr(IMPORTERS["households"], "block_rows", 2)
    job = start(district_officer, song_an, workbook(family("SA-001") + family("SA-002") + family("SA-003")))
    services.confirm_job(user=district_officer, job=job)
    cancel_during(monkeypatch, job.pk, district_officer, after_updates=2)
    pipeline.apply(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert not Household.objects.exists() and not Member.objects.exists()
    assert "cancelled while importing" in job.transitions.last().note


def test_a_job_whose_worker_died_can_be_abandoned(start, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    ImportJob.objects.filter(pk=job.pk).update(
        state=JobState.APPLYING, progress_at=timezone.now() - timedelta(hours=1), confirmed_at=timezone.now()
    )
    job.refresh_from_db()
    assert services.cancel_job(user=district_officer, job=job) == JobState.FAILED
    job.refresh_from_db()
    assert job.error == "Lần nhập đã ngừng báo tiến độ nên bị bỏ; chưa có gì được ghi."
    assert start(district_officer, song_an, workbook(family())).state == JobState.VALIDATED  # the lock is released


def test_a_second_delivery_of_a_task_does_nothing(start, confirm, district_officer, song_an):
    job = confirm(start(district_officer, song_an, workbook(family())), district_officer)
    assert pipeline.validate(job.pk) is False
    assert pipeline.apply(job.pk) is False
    assert Member.objects.count() == 3


def test_confirming_twice_is_refused(start, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    services.confirm_job(user=district_officer, job=job)
    with pytest.raises(ValidationError, match="không còn chờ xác nhận"):
        services.confirm_job(user=district_officer, job=job)


def test_clean_up_frees_communes_and_deletes_old_files(start, district_officer, song_an, make_user, tmp_path):
    from common.jobs import JobState as ExportState
    from imports.models import ExportJob, ImportJob, JobState

    job = start(district_officer, song_an, workbook(family()))
    assert job.state == JobState.VALIDATED and job.staging
    export = ExportJob.objects.create(
        kind="members",
        year=2025,
        requested_by=district_officer,
        state=ExportState.DONE,
        finished_at=timezone.now() - timedelta(days=8),
    )
    export.file.save("thanh-vien.xlsx", ContentFile(b"PK"), save=True)
    path = export.file.path

    assert services.clean_up_files(now=timezone.now()) == (1, 0, 0, 0)  # the import is recent: kept
    later = timezone.now() + timedelta(days=8)
    assert services.clean_up_files(now=later) == (0, 1, 1, 1)  # cancelled, its staging and its upload dropped
    job.refresh_from_db()
    assert (job.state, job.staging) == (JobState.CANCELLED, "")
    assert not ExportJob.objects.get().file and not os.path.exists(path)
    assert services.clean_up_files(now=later) == (0, 0, 0, 0)
    assert ImportJob.objects.filter(pk=job.pk).exists()  # the record stays
