"""Importing the villages (thôn) and residential groups (tổ dân phố) of a commune."""

from units.choices import UnitCategory, UnitKind
from units.models import Unit, UnitEvent

from .conftest import member, problems, workbook

HEADER = ["Xã/Phường/Thị trấn", "Thôn/Tổ dân phố", "Loại", "Mã thôn", "Ghi chú"]


def village_rows(*rows):
    return workbook(
        [dict(zip(HEADER, row, strict=False)) for row in rows], header=HEADER, title_rows=["DANH SÁCH THÔN"]
    )


def villages(commune):
    return sorted(Unit.objects.filter(kind=UnitKind.VILLAGE, parent=commune).values_list("name", "category", "code"))


def test_villages_are_created_with_their_prefix_and_matched_without_it(start, confirm, district_officer, song_an):
    content = village_rows(
        (None, "thon 1"),  # Thôn 1 exists
        (None, "Thôn 6"),
        (None, "7", "Thôn"),
        (None, "Thôn số 08"),
        (None, "xóm Chùa Bụt"),
        (None, "Thôn Đông Hồ", None, "13249-DH", "Giáp đê sông Hồng"),
    )
    job = start(district_officer, song_an, content, kind="villages")
    assert job.state == "validated", (job.error, problems(job))
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (4, 1, 1)
    confirm(job, district_officer)
    rural = UnitCategory.VILLAGE_RURAL
    assert villages(song_an) == sorted(
        [
            ("Thôn 1", rural, ""),
            ("Thôn 2", rural, ""),
            ("Thôn 3", rural, ""),
            ("Thôn 6", rural, ""),
            ("Thôn 7", rural, ""),
            ("Thôn 8", rural, ""),
            ("Xóm Chùa Bụt", rural, ""),
            ("Thôn Nguyệt Lâm", rural, ""),
            ("Thôn Đông Hồ", rural, "13249-DH"),
        ]
    )
    created = Unit.objects.get(parent=song_an, name="Thôn 7")
    assert created.path == f"{song_an.path}{created.pk}/", "the tree path is set as for any unit"
    assert UnitEvent.objects.filter(pgh_label="insert", pgh_obj_id=created.pk).count() == 1

    again = start(district_officer, song_an, content, kind="villages")
    assert again.state == "done" and again.unchanged_rows == 6


def test_wards_get_residential_groups(start, confirm, make_user, tree, le_hong_phong):
    from units.roles import Role

    officer = make_user(Role.DISTRICT_OFFICER, tree.district("336"))
    confirm(start(officer, le_hong_phong, village_rows((None, "3"), (None, "TDP 4")), kind="villages"), officer)
    assert ("Tổ dân phố 3", UnitCategory.VILLAGE_URBAN, "") in villages(le_hong_phong)
    assert ("Tổ dân phố 4", UnitCategory.VILLAGE_URBAN, "") in villages(le_hong_phong)


def test_duplicates_codes_and_communes(start, district_officer, vu_thu, song_an, vu_hoi):
    Unit.objects.filter(parent=vu_hoi, name="Thôn Đoài").update(code="VH-01")
    content = village_rows(
        ("Song An", "Thôn 10", None, "SA-10"),
        ("13249", "thôn 10"),
        ("Song An", "Thôn 11", None, "SA-10"),
        ("Song An", "Thôn 12", None, "VH-01"),
        ("Xã Đâu Đó", "Thôn 1"),
        ("Vũ Hội", "Thôn 13", "Xã"),
    )
    job = start(district_officer, vu_thu, content, kind="villages")
    found = problems(job)
    # Rows 1-3: the title, a blank row and the header.
    assert (5, "Thôn/Tổ dân phố", "Thôn này đã có ở dòng 4 (tên được so không kể tiền tố và dấu).") in found
    assert (6, "Mã thôn", "Mã SA-10 đã có ở dòng 4.") in found
    assert (7, "Mã thôn", "Mã VH-01 đã được dùng cho thôn khác.") in found
    assert any(row == 8 and column == "Xã/Phường/Thị trấn" for row, column, _m in found)
    assert (9, "Loại", "Hãy chọn Thôn hoặc Tổ dân phố.") in found
    assert job.state == "invalid"


def test_households_can_use_villages_just_imported(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, village_rows((None, "Thôn Tân Lập")), kind="villages"), district_officer)
    rows = [member("SA-100", "Đinh Thị Ngân", "Chủ hộ", "01/01/1985", "Nữ", village="tan lap")]
    job = confirm(start(district_officer, song_an, workbook(rows)), district_officer)
    assert job.state == "done"
