"""Files as real users send them when something is off: a NUL byte deep in a CSV, invisible characters pasted into
cells, a header that names a column twice, a file over the size limit, a number another commune holds. Each gets a
clear Vietnamese message and nothing is half-saved; uploaded rosters do not outlive their import."""

import csv
import io
import os
from datetime import datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households.models import Household, Member
from households.services import create_household
from imports import pipeline, services
from imports.models import ImportJob, ImportMode, JobState
from units.models import Unit
from units.roles import Role

from . import roster
from .conftest import HEADER, family, member, problems, workbook

INVISIBLE = "Nội dung này có một ký tự ẩn hoặc ký tự điều khiển (U+{code:04X}) ở vị trí {position}. Hãy gõ lại nội " \
    "dung thay vì dán từ nơi khác."  # fmt: skip


def invisible(code, position):
    return INVISIBLE.format(code=code, position=position)


def csv_file(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        cells = [row.get(h) for h in header] if isinstance(row, dict) else list(row)
        writer.writerow(["" if c is None else c.strftime("%d/%m/%Y") if isinstance(c, datetime) else c for c in cells])
    return buffer.getvalue().encode("utf-8")


# 2. A NUL byte after the first 64 KB of a CSV ------------------------------------------------------------


def big_roster_with_a_nul(rows=1200):
    """A CSV of some 110 KB (Vũ Thư's Song An villages); one member's name, far past 64 KB, holds a NUL byte."""
    villages = [("Xã Song An", name) for name in ("Thôn 1", "Thôn 2", "Thôn 3", "Thôn Đông Hồ")]
    data = list(roster.roster_rows(villages, rows, prefix="SA"))
    late = len(data) - 40
    while data[late][6] != "Con":  # a child: its household's other rows come before it
        late += 1
    name = data[late][5]
    data[late][5] = name.replace(" ", " \x00", 1)
    content = csv_file(data, header=roster.HEADER)
    assert content.index(b"\x00") > 64 * 1024
    return content, data, late, name


def test_a_nul_byte_late_in_a_csv_is_an_error_on_its_row_only(start, confirm, district_officer, song_an):
    content, data, late, name = big_roster_with_a_nul()
    job = start(district_officer, song_an, content, name="danh-sach.csv")
    line = late + 2  # the header is line 1
    assert job.state == JobState.INVALID, job.error
    assert job.total_rows == len(data)
    assert (line, "Họ và tên", invisible(0, name.index(" ") + 2)) in problems(job)
    bad_household = data[late][1]
    assert {row for row, _column, _message in problems(job)} == {
        number + 2 for number, cells in enumerate(data) if cells[1] == bad_household
    }  # its household is left out whole; no other row has an error

    job = confirm(job, district_officer, valid_only=True)
    assert job.state == JobState.DONE, job.error
    codes = set(Household.objects.values_list("code", flat=True))
    assert codes == {cells[1] for cells in data} - {bad_household}  # rows before and after the NUL are imported
    assert Member.objects.count() == sum(1 for cells in data if cells[1] != bad_household)


def test_the_row_with_a_nul_byte_is_in_the_error_workbook(client, start, district_officer, song_an):
    content, _data, _late, name = big_roster_with_a_nul()
    job = start(district_officer, song_an, content, name="danh-sach.csv")
    client.force_login(district_officer)
    response = client.get(reverse("imports:errors", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    kept = name.replace(" ", " \ufffd", 1)  # PostgreSQL keeps no NUL: the row is kept with U+FFFD in its place
    assert kept in [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]


# 3. Invisible and control characters in cells ------------------------------------------------------------

UNSAFE = [
    ("\u202e", "right-to-left override"),
    ("\u200b", "zero-width space"),
    ("\u200d", "zero-width joiner"),
    ("\ufeff", "byte-order mark"),
    ("\u2066", "left-to-right isolate"),
    ("\u200f", "right-to-left mark"),
    ("\x1b", "escape"),
    ("\x85", "next line (C1)"),
    ("\x07", "bell"),
]


@pytest.mark.parametrize(("char", "_what"), UNSAFE)
def test_invisible_characters_in_a_name_or_a_code_are_row_errors(start, district_officer, song_an, char, _what):
    rows = family("SA-001") + family("SA-002")
    rows[1]["Họ và tên"] = f"Trần Văn{char} Đức Thịnh"
    rows[3]["Mã hộ"] = rows[4]["Mã hộ"] = rows[5]["Mã hộ"] = f"SA-0{char}02"
    job = start(district_officer, song_an, csv_file(rows), name="danh-sach.csv")
    assert job.state == JobState.INVALID
    found = problems(job)
    assert (3, "Họ và tên", invisible(ord(char), 9)) in found
    assert (5, "Mã hộ", invisible(ord(char), 5)) in found
    assert not Household.objects.exists()


def test_invisible_characters_in_an_xlsx_cell_are_row_errors(start, district_officer, song_an):
    rows = family("SA-001")
    rows[0]["Địa chỉ"] = "Số 5\u202e, ngõ 7"
    job = start(district_officer, song_an, workbook(rows))
    assert (2, "Địa chỉ", invisible(0x202E, 5)) in problems(job)


def test_a_file_name_with_a_right_to_left_override_is_refused(district_officer, song_an, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("danh-sach\u202exslx.exe", workbook(family()))
    with pytest.raises(Exception) as caught:
        services.create_job(user=district_officer, kind="households", unit=song_an, upload=upload)
    assert "Tên tệp có ký tự ẩn hoặc ký tự điều khiển" in " ".join(caught.value.messages)
    assert not ImportJob.objects.exists() and not os.listdir(tmp_path)


# 5. A header that names a column twice --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("HỌ VÀ TÊN", "“Họ và tên” (cột E), “HỌ VÀ TÊN” (cột J)"),  # the same name in capitals
        ("Ho va ten", "“Họ và tên” (cột E), “Ho va ten” (cột J)"),  # without accents
        ("Họ tên", "“Họ và tên” (cột E), “Họ tên” (cột J)"),  # an alias of the same column
    ],
)
@pytest.mark.parametrize("name", ["danh-sach.xlsx", "danh-sach.csv"])
def test_a_column_named_twice_refuses_the_file(start, district_officer, song_an, extra, named, name):
    header = [*HEADER[:9], extra]
    rows = [[row.get(h) for h in HEADER[:9]] + ["Người khác"] for row in family()]
    content = workbook(rows, header=header) if name.endswith("xlsx") else csv_file(rows, header=header)
    job = start(district_officer, song_an, content, name=name)
    assert job.state == JobState.INVALID
    assert job.error == (
        f"Dòng tiêu đề có một cột được ghi nhiều lần: {named}. Hãy giữ lại một cột rồi tải tệp lên lại."
    )
    assert not job.row_errors.exists() and not Member.objects.exists()


# 6. The upload limit, before the body is read -------------------------------------------------------------


class UnreadableBody:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body of a refused upload was read")

    readline = read


@pytest.fixture
def officer_client(client, district_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(district_officer)
    return client


def upload_form(unit, content, name="danh-sach.csv"):
    return {
        "kind": "households",
        "unit": unit.pk,
        "mode": ImportMode.ALL_OR_NOTHING,
        "file": SimpleUploadedFile(name, content),
    }


def test_an_upload_declaring_60_mb_is_refused_before_its_body_is_read(officer_client, song_an, tmp_path):
    response = officer_client.post(
        reverse("imports:upload"),
        upload_form(song_an, b"x"),
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Tệp quá lớn" in page
    assert "Tệp có dung lượng 60 MB, vượt giới hạn 50 MB." in page
    assert "Chưa có gì được lưu." in page
    assert not ImportJob.objects.exists() and not os.listdir(tmp_path)


def test_an_upload_whose_bytes_pass_the_limit_is_stopped_while_it_arrives(officer_client, song_an, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 8 * 1024  # the declared length (~20 KB) passes the first check; the bytes do not
    rows = [member(f"SA-{n:03d}", "Nguyễn Văn Ân", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 1") for n in range(400)]
    content = csv_file(rows)
    assert len(content) > 16 * 1024
    response = officer_client.post(reverse("imports:upload"), upload_form(song_an, content))
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()
    assert not ImportJob.objects.exists() and not os.listdir(tmp_path)


def test_an_upload_under_the_limit_goes_through(officer_client, song_an):
    response = officer_client.post(reverse("imports:upload"), upload_form(song_an, csv_file(family())))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()


# 7. Uploaded rosters are deleted once they are no longer needed -----------------------------------------


def stored(job):
    return bool(job.file) and default_storage.exists(job.file.name)


def test_the_roster_is_deleted_once_imported_and_the_page_says_so(client, start, confirm, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    name = job.file.name
    assert stored(job)  # kept while it waits for confirmation
    job = confirm(job, district_officer)
    assert job.state == JobState.DONE
    assert not job.file and job.file_deleted_at and not default_storage.exists(name)
    assert job.total_rows == 3 and job.new_rows == 3  # the record stays
    client.force_login(district_officer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp đã tải lên đã được xoá lúc" in page


def test_the_roster_is_deleted_when_the_job_is_cancelled(start, district_officer, song_an):
    job = start(district_officer, song_an, workbook(family()))
    name = job.file.name
    services.cancel_job(user=district_officer, job=job)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and not job.file and not default_storage.exists(name)


def test_the_roster_is_deleted_when_nothing_needs_importing(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(family())), district_officer)
    again = start(district_officer, song_an, workbook(family()))
    assert again.state == JobState.DONE and not again.file and again.file_deleted_at


def test_a_failed_or_refused_roster_is_deleted_after_some_days(start, district_officer, song_an, monkeypatch):
    rows = family()
    rows[1]["Ngày sinh"] = "31/02/1975"
    invalid = start(district_officer, song_an, workbook(rows))
    assert invalid.state == JobState.INVALID and stored(invalid)  # kept: only its valid rows may still be imported
    failed = start(district_officer, song_an, workbook(family("SA-002")))
    services.confirm_job(user=district_officer, job=failed)
    monkeypatch.setattr(pipeline, "_apply", lambda *args: 1 / 0)
    pipeline.apply(failed.pk)
    failed.refresh_from_db()
    assert failed.state == JobState.FAILED and stored(failed)  # kept a few days, to look into the failure
    assert services.clean_up_files(now=timezone.now())[3] == 0
    assert services.clean_up_files(now=timezone.now() + timedelta(days=8))[3] == 2
    failed.refresh_from_db()
    invalid.refresh_from_db()
    assert not failed.file and failed.file_deleted_at and failed.error  # the record stays
    assert not invalid.file and invalid.file_deleted_at and invalid.row_errors.exists()


# 8. Numbers held by a household the importer may not see ------------------------------------------------


@pytest.fixture
def ward_household(make_user, tree, le_hong_phong):
    """A household of Phường Lê Hồng Phong (Thành phố Thái Bình: outside Vũ Thư) holding CCCD 034085000777."""
    officer = make_user(Role.COMMUNE_OFFICER, le_hong_phong)
    return create_household(
        user=officer,
        village=Unit.objects.get(parent=le_hong_phong, name="Tổ dân phố 1"),
        code="12433-00001",
        head={"full_name": "Đỗ Văn Em", "birth_date": datetime(1970, 1, 1).date(), "sex": "M", "cccd": "034085000777"},
    )


def test_a_cccd_held_outside_the_area_is_refused_without_saying_where(start, district_officer, song_an, ward_household):
    rows = [member("SA-001", "Lê Văn Phúc", "Chủ hộ", "01/01/1970", "Nam", "034085000777", village="Thôn 1")]
    job = start(district_officer, song_an, workbook(rows))
    message = (
        "Không thể dùng số CCCD 034085000777. Nếu số này đúng, hãy đề nghị huyện hoặc Sở LĐ-TB&XH kiểm tra sổ theo dõi."
    )
    assert problems(job) == [(2, "Số CCCD", message)]
    assert "12433-00001" not in message and "Lê Hồng Phong" not in message


def test_a_code_held_in_the_area_but_outside_the_import_names_the_place(
    start, confirm, district_officer, song_an, vu_hoi
):
    confirm(start(district_officer, song_an, workbook(family("SA-001"))), district_officer)
    rows = [member("SA-001", "Lê Văn Phúc", "Chủ hộ", "01/01/1970", "Nam", village="Thôn Đoài")]
    job = start(district_officer, vu_hoi, workbook(rows))
    assert problems(job) == [(2, "Mã hộ", "Mã hộ SA-001 đã được dùng cho một hộ ở Thôn 1, Xã Song An.")]
