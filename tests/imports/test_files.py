"""Files as they arrive: refused at upload when they are not plain .xlsx/.csv, refused at the check when their
content cannot be an import (empty, no header, a missing column). Either way nothing reaches the registry."""

import io
import re
import unicodedata
import zipfile
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households.models import Household, Member
from imports import services
from imports.models import ImportJob, JobState
from units.roles import Role

from .conftest import HEADER, family, member, problems, upload_file, workbook


def refused(user, unit, content, name):
    with pytest.raises(ValidationError) as caught:
        services.create_job(user=user, kind="households", unit=unit, upload=upload_file(content, name))
    assert not ImportJob.objects.exists()
    return " ".join(caught.value.messages)


def with_zip_member(content, name, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, data)
    return buffer.getvalue()


def with_cached_values(content, values):
    """Give formula cells the cached values Excel would have saved (openpyxl saves formulas without them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                for ref, value in values.items():
                    kind = ' t="str"' if isinstance(value, str) else ""
                    xml = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v ?/>',
                        rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>',
                        xml,
                    )
                data = xml.encode()
            target.writestr(item, data)
    return buffer.getvalue()


@pytest.fixture
def user(district_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return district_officer


# Refused at upload ----------------------------------------------------------------------------------------


def test_a_macro_enabled_name_is_refused(user, song_an):
    assert ".xlsm" in refused(user, song_an, workbook(family()), "danh-sach.xlsm")


def test_an_xlsx_carrying_a_vba_project_is_refused(user, song_an):
    content = with_zip_member(workbook(family()), "xl/vbaProject.bin", b"\x00" * 64)
    assert "macro" in refused(user, song_an, content, "danh-sach.xlsx").lower()


def test_an_encrypted_or_old_format_file_is_refused(user, song_an):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x3e\x00\x03\x00\xfe\xff" * 300
    message = refused(user, song_an, ole2, "danh-sach.xlsx")
    assert "password" in message.lower() or "mật khẩu" in message.lower()
    assert refused(user, song_an, ole2, "danh-sach.xls")


def test_a_truncated_workbook_is_refused_as_damaged(user, song_an):
    content = workbook(family())
    message = refused(user, song_an, content[: len(content) // 2], "danh-sach.xlsx")
    assert "damaged" in message or "hỏng" in message


def test_a_zip_that_is_not_a_workbook_is_refused(user, song_an):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refused(user, song_an, buffer.getvalue(), "danh-sach.xlsx")


@pytest.mark.parametrize("name", ["danh-sach.pdf", "danh-sach.ods", "danh-sach", "danh-sach.txt"])
def test_other_file_types_are_refused(user, song_an, name):
    assert ".xlsx" in refused(user, song_an, b"%PDF-1.4 whatever", name)


def test_an_xlsx_that_is_plain_text_is_refused(user, song_an):
    assert refused(user, song_an, b"Ma ho,Ho va ten\n", "danh-sach.xlsx")


def test_an_empty_file_is_refused(user, song_an):
    assert refused(user, song_an, b"", "danh-sach.xlsx")


def test_a_file_over_the_size_cap_is_refused(user, song_an, settings):
    settings.IMPORT_MAX_BYTES = 4096
    content = workbook(family() * 40)
    assert len(content) > 4096
    message = refused(user, song_an, content, "danh-sach.xlsx")
    assert "MB" in message


def test_the_size_cap_comes_from_the_environment():
    from django.conf import settings

    assert settings.IMPORT_MAX_BYTES == 50 * 1024 * 1024


# Refused at the check ---------------------------------------------------------------------------------------


def invalid(job):
    assert job.state == JobState.INVALID, (job.state, job.error)
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not job.staging
    return job.error


def test_an_empty_sheet(start, district_officer, song_an):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert "trống" in invalid(start(district_officer, song_an, buffer.getvalue()))


def test_no_header_row(start, district_officer, song_an):
    content = workbook([["xyz", "abc"]], header=["Cột A", "Cột B"], title_rows=["Danh sách"])
    message = invalid(start(district_officer, song_an, content))
    assert "20" in message and "tiêu đề" in message


def test_a_missing_required_column_is_named(start, district_officer, song_an):
    header = [h for h in HEADER if h != "Ngày sinh"]
    message = invalid(start(district_officer, song_an, workbook(family(), header=header)))
    assert "Ngày sinh" in message or "Date of birth" in message


def test_a_header_without_rows(start, district_officer, song_an):
    assert invalid(start(district_officer, song_an, workbook([])))


def test_a_damaged_sheet_inside_a_good_archive(start, district_officer, song_an):
    content = workbook(family())
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else data)
    assert invalid(start(district_officer, song_an, buffer.getvalue()))


# Real office files ----------------------------------------------------------------------------------------


def test_an_office_file_with_titles_merged_cells_numbering_blank_rows_and_formulas(
    start, confirm, district_officer, song_an
):
    header = ["STT", *HEADER]
    rows = [[i + 1, *[r.get(h) for h in HEADER]] for i, r in enumerate(family())]
    rows.insert(0, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"])
    rows[1][1] = '="SA-"&"001"'  # the household code of the head's row is a formula
    content = workbook(
        rows,
        header=header,
        title_rows=["ỦY BAN NHÂN DÂN XÃ SONG AN", "DANH SÁCH HỘ GIA ĐÌNH VÀ THÀNH VIÊN NĂM 2025"],
        blank_after=(1, 2),
    )
    # Rows 1-3: two titles and a blank; 4 the header; 5 the numbering; 6 the head with its formula; blanks at 7, 9.
    content = with_cached_values(content, {"B6": "SA-001"})
    job = start(district_officer, song_an, content)
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    assert job.header_row == 4 and job.total_rows == 3 and job.new_rows == 3
    confirm(job, district_officer)
    household = Household.objects.get()
    assert household.code == "SA-001"
    assert sorted(household.members.values_list("full_name", flat=True)) == [
        "Nguyễn Thị Hồng Nhung",
        "Trần Nguyễn Bảo Ngọc",
        "Trần Văn Đức Thịnh",
    ]


def test_headers_match_whatever_their_accents_case_and_spacing(start, district_officer, song_an):
    header = [
        "MÃ HỘ",
        "xa/phuong/thi tran",
        "  Thôn /  Tổ dân phố ",
        "Địa chỉ",
        unicodedata.normalize("NFD", "Họ và tên"),
        "Quan hệ với chủ hộ (*)",
        "Ngày sinh\n(dd/mm/yyyy)",
        "GIOI TINH",
        "Số CCCD/CMND",
        "Dân tộc",
        "BHYT",
        "Khuyết tật",
        "KNLĐ",
        "Đi học",
    ]
    rows = [[r.get(h) for h in HEADER] for r in family()]
    job = start(district_officer, song_an, workbook(rows, header=header))
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    assert job.new_rows == 3


def test_text_is_normalised_and_trimmed(start, confirm, district_officer, song_an):
    rows = [
        member(
            "  SA-002 ",
            unicodedata.normalize("NFD", "  Nguyễn   Văn  Ân "),
            unicodedata.normalize("NFD", " chủ hộ "),
            " 05/09/1978 ",
            " nam ",
            " 034 078 005 555 ",
            village=unicodedata.normalize("NFD", " thôn  đông hồ "),
            address="  Xóm   Chùa ",
        )
    ]
    job = confirm(start(district_officer, song_an, workbook(rows)), district_officer)
    person = Member.objects.get()
    assert (person.full_name, person.cccd, person.household.code, person.household.address) == (
        "Nguyễn Văn Ân",
        "034078005555",
        "SA-002",
        "Xóm Chùa",
    )
    assert unicodedata.is_normalized("NFC", person.full_name)
    assert person.household.village.name == "Thôn Đông Hồ"
    assert job.state == JobState.DONE


def test_csv_in_utf8_with_bom_and_semicolons(start, confirm, district_officer, song_an):
    lines = [";".join(HEADER)]
    for row in family():
        lines.append(";".join("" if row.get(h) is None else str(row.get(h)) for h in HEADER))
    content = "\n".join(lines).replace("1978-09-05 00:00:00", "05/09/1978").replace("2012-01-30 00:00:00", "30/01/2012")
    job = start(district_officer, song_an, content.encode("utf-8-sig"), name="ds.csv")
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    confirm(job, district_officer)
    assert Member.objects.filter(full_name="Nguyễn Thị Hồng Nhung", birth_date=datetime(1978, 9, 5).date()).exists()


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_form(text):
    """Vietnamese as Windows-1258 stores it: letters with ^ ( + precomposed, the tone as a combining mark."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        tones = [p for p in parts if p in TONES]
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES)) + "".join(tones))
    return "".join(out)


def test_csv_in_the_vietnamese_windows_code_page(start, confirm, district_officer, song_an):
    # cp1258 writes tones as combining marks: the reader decodes it and the normaliser composes it (NFC).
    text = (
        "Mã hộ,Thôn,Họ và tên,Quan hệ với chủ hộ,Ngày sinh,Giới tính\n"
        "SA-009,Thôn 2,Lê Thị Ánh Tuyết,Chủ hộ,01/02/1960,Nữ\n"
    )
    content = cp1258_form(text).encode("cp1258")
    job = start(district_officer, song_an, content, name="ds.csv")
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    confirm(job, district_officer)
    assert Member.objects.get().full_name == unicodedata.normalize("NFC", "Lê Thị Ánh Tuyết")


def test_csv_saved_by_excel_as_unicode_text(start, district_officer, song_an):
    text = (
        "Mã hộ\tThôn\tHọ và tên\tQuan hệ với chủ hộ\tNgày sinh\tGiới tính\r\n"
        "SA-010\t1\tĐỗ Văn Hòa\tChủ hộ\t1/2/1960\tNam\r\n"
    )
    job = start(district_officer, song_an, text.encode("utf-16"), name="ds.csv")
    assert job.state == JobState.VALIDATED, (job.error, problems(job))


def test_an_importer_who_may_not_import_cannot_upload(make_user, song_an, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leader = make_user(Role.COMMUNE_LEADER, song_an)  # recognises results; keeps no registry
    with pytest.raises(PermissionDenied):
        services.create_job(user=leader, kind="households", unit=song_an, upload=upload_file(workbook(family())))
    assert not ImportJob.objects.exists()


def test_the_data_sheet_is_found_beside_the_templates_lists(start, district_officer, song_an):
    from openpyxl import Workbook

    book = Workbook()
    data = book.active
    data.title = "Dữ liệu"
    data.append(["Mã hộ", "Thôn/Tổ dân phố", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh", "Giới tính"])
    data.append(["SA-001", "Thôn 1", "Nguyễn Văn Ân", "Chủ hộ", "01/01/1960", "Nam"])
    lists = book.create_sheet("Danh mục")  # names more known columns than the data sheet above
    lists.append(HEADER)
    book.create_sheet("Hướng dẫn").append(["Mã hộ", "Họ và tên", "Ngày sinh"])
    buffer = io.BytesIO()
    book.save(buffer)
    job = start(district_officer, song_an, buffer.getvalue())
    assert (job.state, job.sheet, job.new_rows) == (JobState.VALIDATED, "Dữ liệu", 1)


def test_two_sheets_of_data_are_refused_rather_than_half_read(start, district_officer, song_an):
    from openpyxl import Workbook

    book = Workbook()
    for title in ("Trang 1", "Trang 2"):
        sheet = book.active if title == "Trang 1" else book.create_sheet(title)
        sheet.title = title
        sheet.append(["Mã hộ", "Thôn/Tổ dân phố", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh", "Giới tính"])
        sheet.append([f"SA-00{title[-1]}", "Thôn 1", "Nguyễn Văn Ân", "Chủ hộ", "01/01/1960", "Nam"])
    buffer = io.BytesIO()
    book.save(buffer)
    message = invalid(start(district_officer, song_an, buffer.getvalue()))
    assert "Trang 1, Trang 2" in message
    assert not Household.objects.exists()


def test_a_sheet_damaged_after_some_rows(start, district_officer, song_an):
    content = workbook(
        family() * 1
        + [member(f"SA-{n:03d}", "Lê Văn Ba", "Chủ hộ", "01/01/1960", "Nam", village="1") for n in range(2, 40)]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                cut = data.index(b'<row r="30"')
                data = data[:cut] + b'<row r="30"><c r="A30" t="inlineStr"><is><t>SA-'
            target.writestr(item, data)
    message = invalid(start(district_officer, song_an, buffer.getvalue()))
    assert "sau dòng" in message
