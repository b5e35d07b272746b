"""Fixtures of the import tests: communes with villages, importers with scopes, workbooks built like office files."""

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports import pipeline, services
from imports.models import ImportMode
from tests.imports import roster
from units.choices import UnitCategory, UnitKind
from units.models import Unit
from units.roles import Role

HEADER = roster.HEADER[1:]  # the same columns as the generated rosters, without their "STT"

SONG_AN_VILLAGES = ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn Đông Hồ", "Thôn Nguyệt Lâm"]


def make_villages(commune, names, *, urban=False):
    category = UnitCategory.VILLAGE_URBAN if urban else UnitCategory.VILLAGE_RURAL
    return Unit.objects.bulk_create(
        Unit(kind=UnitKind.VILLAGE, category=category, name=n, parent=commune) for n in names
    )


@pytest.fixture
def song_an(tree):
    """Xã Song An (13249), Huyện Vũ Thư, with five villages."""
    commune = tree.commune("13249")
    make_villages(commune, SONG_AN_VILLAGES)
    return commune


@pytest.fixture
def vu_hoi(tree):
    """Xã Vũ Hội (13255), the same district, with two villages."""
    commune = tree.commune("13255")
    make_villages(commune, ["Thôn 1", "Thôn Đoài"])
    return commune


@pytest.fixture
def le_hong_phong(tree):
    """Phường Lê Hồng Phong (12433), Thành phố Thái Bình: another district."""
    ward = tree.commune("12433")
    make_villages(ward, ["Tổ dân phố 1", "Tổ dân phố 2"], urban=True)
    return ward


@pytest.fixture
def vu_thu(tree):
    return tree.district("344")


@pytest.fixture
def district_officer(make_user, vu_thu):
    return make_user(Role.DISTRICT_OFFICER, vu_thu, last_name="Phạm Thị", first_name="Thu Hương")


@pytest.fixture
def dolisa(make_user, tree):
    return make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), last_name="Vũ Đức", first_name="Hạnh")


def member(code, name, relation, born, sex, cccd=None, *, village=None, commune=None, address=None, **extra):
    """One roster row (dict keyed by HEADER names)."""
    row = {
        "Mã hộ": code,
        "Xã/Phường/Thị trấn": commune,
        "Thôn/Tổ dân phố": village,
        "Địa chỉ": address,
        "Họ và tên": name,
        "Quan hệ với chủ hộ": relation,
        "Ngày sinh": born,
        "Giới tính": sex,
        "Số CCCD": cccd,
    }
    row.update(extra)
    return row


def family(code="SA-001", village="Thôn 1", **extra):
    """A household of three with long Vietnamese names; SA-001's CCCDs end in 1234 and 4321, others differ."""
    shift = sum(map(ord, code)) - sum(map(ord, "SA-001"))
    head_cccd, spouse_cccd = f"034178{1234 + shift:06d}", f"034075{4321 + shift:06d}"
    return [
        member(
            code, "Nguyễn Thị Hồng Nhung", "Chủ hộ", datetime(1978, 9, 5), "Nữ", head_cccd, village=village, **extra
        ),
        member(code, "Trần Văn Đức Thịnh", "Chồng", "12/03/1975", "Nam", spouse_cccd),
        member(code, "Trần Nguyễn Bảo Ngọc", "Con", datetime(2012, 1, 30), "Nữ"),
    ]


def workbook(rows, *, header=HEADER, title_rows=(), merge=True, sheet="Dữ liệu", blank_after=()):
    """An .xlsx as offices make them: optional title rows (merged) above the header, then the rows."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for text in title_rows:
        ws.append([text])
        if merge:
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    if title_rows:
        ws.append([])
    ws.append(header)
    for index, row in enumerate(rows):
        ws.append([row.get(h) for h in header] if isinstance(row, dict) else list(row))
        if index in blank_after:
            ws.append([])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_file(content, name="danh-sach-ho.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def start(settings, tmp_path):
    """start(user, unit, content, ...) -> a job uploaded and checked (synchronously, as the worker would)."""
    settings.MEDIA_ROOT = tmp_path

    def run(user, unit, content, *, kind="households", name="danh-sach-ho.xlsx", mode=ImportMode.ALL_OR_NOTHING):
        job = services.create_job(user=user, kind=kind, unit=unit, upload=upload_file(content, name), mode=mode)
        pipeline.validate(job.pk)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def confirm():
    """confirm(job, user) -> the job confirmed and applied."""

    def run(job, user, *, valid_only=False):
        services.confirm_job(user=user, job=job, valid_only=valid_only)
        pipeline.apply(job.pk)
        job.refresh_from_db()
        return job

    return run


def problems(job, severity="error"):
    return [(p.row_number, p.column, p.message) for p in job.row_errors.filter(severity=severity)]
