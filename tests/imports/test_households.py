"""Importing households with their members: what lands in the registry, what is refused, and what is left alone."""

import re
from datetime import date, datetime, timedelta

import pghistory.models
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from households import rules
from households.models import (
    Household,
    HouseholdEvent,
    Member,
    MemberEvent,
    PovertyStandard,
    Review,
    ReviewEvent,
    ReviewState,
)
from households.services import archive_household, create_household
from imports.models import ImportMode, JobState
from units.models import Unit
from units.roles import Role

from .conftest import family, member, problems, workbook


def history_counts():
    return (HouseholdEvent.objects.count(), MemberEvent.objects.count(), pghistory.models.Context.objects.count())


def registry():
    return sorted(
        Member.objects.values_list(
            "household__code",
            "household__village__name",
            "household__address",
            "full_name",
            "relation",
            "birth_date",
            "sex",
            "cccd",
            "ethnicity",
            "has_health_insurance",
            "has_disability",
            "working_capacity",
            "schooling",
        )
    )


def derived(born):
    """An empty working capacity and schooling of a new member: what the date of birth suggests today."""
    defaults = rules.member_defaults(born, today=timezone.localdate())
    return defaults["working_capacity"], defaults["schooling"]


ROSTER = [
    *family("SA-001", "Thôn 1", address="Số 12, ngõ 3"),
    member("SA-002", "Phạm Văn Trường Giang", "Chủ hộ", datetime(1950, 2, 1), "Nam", 34050000777, village="1"),
    member("SA-002", "Đỗ Thị Thanh Xuân", "Vợ", "1/6/1952", "Nữ", None, **{"Khả năng lao động": "Hạn chế"}),
    member("SA-003", "Hoàng Minh Tuấn", "Chủ hộ", 1948, "Nam", None, village="thon dong ho", **{"Có thẻ BHYT": 0}),
]


def test_a_new_roster_creates_households_and_members(start, confirm, district_officer, song_an):
    job = start(district_officer, song_an, workbook(ROSTER))
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    assert (job.total_rows, job.new_rows, job.updated_rows, job.unchanged_rows, job.error_rows) == (6, 6, 0, 0, 0)
    assert job.details["checked"]["households"]["new"] == 3
    warnings = problems(job, "warning")
    assert (5, "Số CCCD", "Số CCCD chỉ có 11 chữ số (Excel làm mất số 0 ở đầu); đã ghi 034050000777.") in warnings
    assert (7, "Ngày sinh", "Chỉ có năm sinh; đã ghi ngày 01/01/1948.") in warnings
    assert job.warning_rows == 2
    assert not Household.objects.exists(), "nothing is written before the confirmation"

    job = confirm(job, district_officer)
    assert job.state == JobState.DONE
    assert job.summary.startswith("Đã nhập. Hộ: 3 mới")
    assert registry() == [
        ("SA-001", "Thôn 1", "Số 12, ngõ 3", "Nguyễn Thị Hồng Nhung", "head", date(1978, 9, 5), "F", "034178001234",
         "Kinh", True, False, *derived(date(1978, 9, 5))),
        ("SA-001", "Thôn 1", "Số 12, ngõ 3", "Trần Nguyễn Bảo Ngọc", "child", date(2012, 1, 30), "F", None,
         "Kinh", True, False, *derived(date(2012, 1, 30))),
        ("SA-001", "Thôn 1", "Số 12, ngõ 3", "Trần Văn Đức Thịnh", "spouse", date(1975, 3, 12), "M", "034075004321",
         "Kinh", True, False, *derived(date(1975, 3, 12))),
        ("SA-002", "Thôn 1", "", "Phạm Văn Trường Giang", "head", date(1950, 2, 1), "M", "034050000777",
         "Kinh", True, False, *derived(date(1950, 2, 1))),
        ("SA-002", "Thôn 1", "", "Đỗ Thị Thanh Xuân", "spouse", date(1952, 6, 1), "F", None,
         "Kinh", True, False, "limited", derived(date(1952, 6, 1))[1]),
        ("SA-003", "Thôn Đông Hồ", "", "Hoàng Minh Tuấn", "head", date(1948, 1, 1), "M", None,
         "Kinh", False, False, *derived(date(1948, 1, 1))),
    ]  # fmt: skip
    assert Household.objects.filter(province=song_an.parent.parent).count() == 3


def test_history_names_the_importer_like_any_other_edit(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(ROSTER)), district_officer)
    assert HouseholdEvent.objects.filter(pgh_label="insert").count() == 3
    assert MemberEvent.objects.filter(pgh_label="insert").count() == 6
    event = MemberEvent.objects.get(full_name="Trần Văn Đức Thịnh")
    assert event.cccd == "034075004321" and event.pgh_obj_id == Member.objects.get(cccd="034075004321").pk
    assert event.pgh_context.metadata["user"] == district_officer.pk
    # The household page's history (pghistory's middleware events) shows the import with its author.
    household = Household.objects.get(code="SA-001")
    events = pghistory.models.MiddlewareEvents.objects.references(household)
    assert events.count() == 4 and {e.user for e in events} == {district_officer}


def test_importing_the_same_file_again_changes_nothing_and_says_so(start, confirm, district_officer, song_an):
    content = workbook(ROSTER)
    confirm(start(district_officer, song_an, content), district_officer)
    before, events = registry(), history_counts()

    with CaptureQueriesContext(connection) as queries:
        again = start(district_officer, song_an, content)
    writes = [
        q["sql"] for q in queries if re.search(r"\b(INSERT INTO|UPDATE|DELETE FROM) \"(households|units)_", q["sql"])
    ]
    assert writes == []
    assert again.state == JobState.DONE
    assert (again.total_rows, again.new_rows, again.updated_rows, again.unchanged_rows) == (6, 0, 0, 6)
    assert again.summary == "Không có gì thay đổi: sổ theo dõi đã có đủ mọi dòng của tệp này (6 dòng không đổi)."
    assert registry() == before
    assert history_counts() == events


def test_a_corrected_file_updates_without_duplicating(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(ROSTER)), district_officer)
    ids = dict(Member.objects.values_list("full_name", "pk"))
    corrected = [
        # The household moved village; the child's date of birth and the spouse's name were mistyped.
        member("SA-001", "Nguyễn Thị Hồng Nhung", "Chủ hộ", "05/09/1978", "Nữ", "034178001234", village="Thôn 2"),
        member("SA-001", "Trần Văn Đức Thịnh", "Chồng", "12/03/1975", "Nam", "034075004321"),
        member("SA-001", "Trần Nguyễn Bảo Ngọc", "Con", "30/01/2013", "Nữ"),
        member("SA-001", "Trần Minh Khôi", "Con", "02/10/2024", "Nam"),  # a newborn
        member("SA-002", "Phạm Văn Trường Giang", "Chủ hộ", "01/02/1950", "Nam", "034050000777", village="Thôn 1"),
        member("SA-002", "Đỗ Thị Thanh Xuân", "Vợ", "01/06/1952", "Nữ", "034152000888"),  # her new CCCD
    ]
    job = start(district_officer, song_an, workbook(corrected))
    assert job.state == JobState.VALIDATED, problems(job)
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (1, 3, 2)
    assert job.details["checked"]["households"] == {"new": 0, "updated": 1, "unchanged": 1}
    confirm(job, district_officer)
    assert Household.objects.count() == 3 and Member.objects.count() == 7
    child = Member.objects.get(full_name="Trần Nguyễn Bảo Ngọc")
    assert (child.pk, child.birth_date) == (ids["Trần Nguyễn Bảo Ngọc"], date(2013, 1, 30))
    assert Member.objects.get(pk=ids["Đỗ Thị Thanh Xuân"]).cccd == "034152000888"
    assert Household.objects.get(code="SA-001").village.name == "Thôn 2"
    assert Household.objects.get(code="SA-003").members.count() == 1, "households missing from the file stay"
    assert MemberEvent.objects.filter(pgh_label="update").count() == 2


def test_an_empty_optional_cell_keeps_what_the_registry_holds(start, confirm, district_officer, song_an):
    rows = [member("SA-005", "Vũ Thị Mai", "Chủ hộ", "03/03/1980", "Nữ", village="Thôn 3", **{"Dân tộc": "Mường"})]
    confirm(start(district_officer, song_an, workbook(rows)), district_officer)
    rows[0]["Dân tộc"] = None
    job = start(district_officer, song_an, workbook(rows))
    assert job.state == JobState.DONE and job.unchanged_rows == 1
    assert Member.objects.get().ethnicity == "Mường"


def test_a_name_corrected_only_in_accents_is_the_same_person(start, confirm, district_officer, song_an):
    rows = [member("SA-006", "Nguyen Thi Lan", "Chủ hộ", "03/03/1980", "Nữ", village="Thôn 3")]
    confirm(start(district_officer, song_an, workbook(rows)), district_officer)
    rows[0]["Họ và tên"] = "Nguyễn Thị Lan"
    confirm(start(district_officer, song_an, workbook(rows)), district_officer)
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Nguyễn Thị Lan"]


def test_the_head_can_change_when_the_former_head_stays_listed(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(family())), district_officer)
    swapped = family()
    swapped[0]["Quan hệ với chủ hộ"], swapped[1]["Quan hệ với chủ hộ"] = "Vợ", "Chủ hộ"
    job = confirm(start(district_officer, song_an, workbook(swapped)), district_officer)
    assert job.state == JobState.DONE, job.error
    assert Member.objects.get(relation="head").full_name == "Trần Văn Đức Thịnh"


def test_a_new_head_while_the_registered_head_is_missing_is_refused(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(family())), district_officer)
    rows = family()[1:]
    rows[0]["Quan hệ với chủ hộ"] = "Chủ hộ"
    rows[0]["Thôn/Tổ dân phố"] = "Thôn 1"
    job = start(district_officer, song_an, workbook(rows))
    assert job.state == JobState.INVALID
    assert (2, "Quan hệ với chủ hộ", "Nguyễn Thị Hồng Nhung đang là chủ hộ SA-001 trong sổ; hãy ghi người này vào tệp "
            "với quan hệ mới, hoặc giữ làm chủ hộ.") in problems(job)  # fmt: skip


def test_every_household_has_exactly_one_head(start, district_officer, song_an):
    rows = [
        member("SA-010", "Lê Văn Hùng", "Con", "01/01/2000", "Nam", village="Thôn 1"),
        member("SA-010", "Lê Thị Hoa", "Con", "01/01/2002", "Nữ"),
        member("SA-011", "Bùi Văn Nam", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 1"),
        member("SA-011", "Bùi Thị Yến", "Chủ hộ", "01/01/1972", "Nữ"),
    ]
    job = start(district_officer, song_an, workbook(rows))
    assert job.state == JobState.INVALID
    found = problems(job)
    assert (2, "Quan hệ với chủ hộ", "Hộ SA-010 chưa có chủ hộ: phải có một thành viên ghi “Chủ hộ”.") in found
    assert (5, "Quan hệ với chủ hộ", "Hộ SA-011 đã có chủ hộ ở dòng 4.") in found
    assert (3, "Mã hộ", "Không nhập: hộ SA-010 có lỗi ở dòng 2.") in found


def test_a_household_code_appearing_again_later_is_refused(start, district_officer, song_an):
    rows = [
        *family("SA-001"),
        member("SA-002", "Bùi Văn Nam", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 2"),
        member("SA-001", "Trần Văn Tài", "Con", "01/01/2015", "Nam"),
    ]
    job = start(district_officer, song_an, workbook(rows))
    assert job.state == JobState.INVALID
    assert problems(job) == [(6, "Mã hộ", "hộ SA-001 đã có ở các dòng 2–4; các dòng của một hộ phải nằm liền nhau.")]


def test_a_household_code_with_conflicting_data_is_refused(start, district_officer, song_an):
    rows = family("SA-001", "Thôn 1", address="Số 1")
    rows[1]["Thôn/Tổ dân phố"] = "Thôn 2"
    rows[2]["Địa chỉ"] = "Số 2"
    job = start(district_officer, song_an, workbook(rows))
    found = problems(job)
    assert (3, "Thôn/Tổ dân phố", "Hộ SA-001 ở Thôn 1 (dòng 2) nhưng dòng này lại ghi Thôn 2.") in found
    assert (4, "Địa chỉ", "Hộ SA-001 đã ghi địa chỉ “Số 1” ở dòng 2; mỗi hộ chỉ ghi một địa chỉ.") in found
    assert not Household.objects.exists()


def test_duplicate_and_taken_citizen_ids(start, confirm, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(family("SA-001"))), district_officer)
    rows = [
        member("SA-020", "Ngô Văn Long", "Chủ hộ", "01/01/1970", "Nam", "034070000001", village="Thôn 2"),
        member("SA-020", "Ngô Thị Hằng", "Vợ", "01/01/1971", "Nữ", "034070000001"),
        member("SA-021", "Đào Văn Sơn", "Chủ hộ", "01/01/1975", "Nam", "034178001234", village="Thôn 2"),
    ]
    job = start(district_officer, song_an, workbook(rows))
    found = problems(job)
    assert (3, "Số CCCD", "Số CCCD 034070000001 đã có ở dòng 2.") in found
    # The holder is in the importer's area: the message names the household.
    assert (4, "Số CCCD", "Số CCCD 034178001234 đã được đăng ký cho một thành viên của hộ SA-001.") in found


def test_unknown_commune_and_village(start, district_officer, vu_thu, song_an):
    rows = [
        member("SA-030", "Lã Văn Thành", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 9", commune="Song An"),
        member("SA-031", "Lã Văn Hải", "Chủ hộ", "01/01/1971", "Nam", village="Thôn 1", commune="Xã Không Có"),
        member("SA-032", "Lã Văn Nam", "Chủ hộ", "01/01/1972", "Nam", village="Thôn 1"),
    ]
    job = start(district_officer, vu_thu, workbook(rows))
    found = problems(job)
    assert (2, "Thôn/Tổ dân phố", "Không tìm thấy thôn “Thôn 9” ở Xã Song An. Hãy sửa tên, hoặc nhập danh sách thôn "
            "của xã trước.") in found  # fmt: skip
    assert (3, "Xã/Phường/Thị trấn", "Không tìm thấy xã “Xã Không Có”: hãy ghi mã đơn vị hành chính hoặc tên đúng "
            "như danh mục đơn vị.") in found  # fmt: skip
    assert (4, "Xã/Phường/Thị trấn", "Hãy ghi xã (tên hoặc mã đơn vị hành chính).") in found


def test_communes_and_villages_by_code_or_by_name_with_or_without_prefix_and_accents(
    start, confirm, district_officer, vu_thu, song_an, vu_hoi
):
    rows = [
        member("VT-1", "Trịnh Văn An", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 1", commune="13249"),
        member("VT-2", "Trịnh Văn Bình", "Chủ hộ", "01/01/1970", "Nam", village="1", commune=13249),
        member("VT-3", "Trịnh Văn Cường", "Chủ hộ", "01/01/1970", "Nam", village="thon 1", commune="xa song an"),
        member("VT-4", "Trịnh Văn Dũng", "Chủ hộ", "01/01/1970", "Nam", village="THÔN 01", commune="Song An"),
        member("VT-5", "Trịnh Văn Em", "Chủ hộ", "01/01/1970", "Nam", village="dong ho", commune="Xã Song An"),
        member("VT-6", "Trịnh Văn Giang", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 1", commune="Vũ Hội"),
        member("VT-7", "Trịnh Văn Hà", "Chủ hộ", "01/01/1970", "Nam", village="doai", commune="xã vũ hội"),
    ]
    job = confirm(start(district_officer, vu_thu, workbook(rows)), district_officer)
    assert job.state == JobState.DONE, (job.error, problems(job))
    villages = dict(Household.objects.values_list("code", "village__name"))
    assert villages == {
        "VT-1": "Thôn 1",
        "VT-2": "Thôn 1",
        "VT-3": "Thôn 1",
        "VT-4": "Thôn 1",
        "VT-5": "Thôn Đông Hồ",
        "VT-6": "Thôn 1",
        "VT-7": "Thôn Đoài",
    }
    assert Household.objects.get(code="VT-6").village.parent == vu_hoi


def test_rows_outside_the_import_or_the_users_area_are_row_errors(
    start, district_officer, song_an, vu_hoi, le_hong_phong
):
    rows = [
        member("SA-040", "Mai Văn Phúc", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 1"),
        member("SA-041", "Mai Văn Quý", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 1", commune="Vũ Hội"),
        member("SA-042", "Mai Văn Lộc", "Chủ hộ", "01/01/1970", "Nam", village="1", commune="Phường Lê Hồng Phong"),
    ]
    job = start(district_officer, song_an, workbook(rows), mode=ImportMode.VALID_ONLY)
    assert job.state == JobState.VALIDATED and job.new_rows == 1
    found = problems(job)
    assert (3, "Xã/Phường/Thị trấn", "Xã Vũ Hội nằm ngoài phạm vi lần nhập này (Xã Song An) hoặc ngoài địa bàn "
            "của bạn.") in found  # fmt: skip
    assert (4, "Xã/Phường/Thị trấn", "Phường Lê Hồng Phong nằm ngoài phạm vi lần nhập này (Xã Song An) hoặc ngoài "
            "địa bàn của bạn.") in found  # fmt: skip


def test_a_household_code_of_another_area_cannot_be_taken_over(
    start, confirm, make_user, tree, district_officer, song_an, le_hong_phong
):
    city_officer = make_user(Role.DISTRICT_OFFICER, tree.district("336"))
    rows = [member("TB-001", "Hà Văn Kiên", "Chủ hộ", "01/01/1970", "Nam", village="Tổ dân phố 1")]
    confirm(start(city_officer, le_hong_phong, workbook(rows)), city_officer)
    rows[0]["Thôn/Tổ dân phố"] = "Thôn 1"
    job = start(district_officer, song_an, workbook(rows))
    # The holder is outside the importer's area: nothing says where it is, or that it exists.
    assert problems(job) == [
        (
            2,
            "Mã hộ",
            "Không thể dùng mã hộ TB-001. Nếu mã này đúng, hãy đề nghị huyện hoặc Sở LĐ-TB&XH kiểm tra sổ theo dõi.",
        )
    ]


def test_dates_of_birth_in_the_future_or_too_old_are_refused(start, district_officer, song_an):
    tomorrow = date.today() + timedelta(days=1)
    rows = [
        member("SA-050", "Tạ Văn Lâm", "Chủ hộ", tomorrow.strftime("%d/%m/%Y"), "Nam", village="Thôn 1"),
        member("SA-051", "Tạ Văn Mạnh", "Chủ hộ", "31/02/1980", "Nam", village="Thôn 1"),
        member("SA-052", "Tạ Văn Nghĩa", "Chủ hộ", "01/01/1890", "Nam", village="Thôn 1"),
    ]
    found = problems(start(district_officer, song_an, workbook(rows)))
    assert (2, "Ngày sinh", "Ngày sinh không được ở tương lai.") in found  # the registry's own message
    assert (3, "Ngày sinh", "“31/02/1980” không phải là ngày; hãy ghi theo dạng dd/mm/yyyy.") in found
    assert (4, "Ngày sinh", "Ngày sinh trước năm 1900 là không hợp lý; hãy kiểm tra lại năm sinh.") in found


def test_an_archived_household_is_not_changed(start, confirm, make_user, district_officer, song_an):
    confirm(start(district_officer, song_an, workbook(family())), district_officer)
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    archive_household(user=officer, household=Household.objects.get(), reason="moved_away", on=date(2025, 1, 1))
    # The same rows again (an export re-imported): unchanged, no error.
    job = start(district_officer, song_an, workbook(family()))
    assert problems(job) == []
    assert job.unchanged_rows == len(family())
    # A change to the archived household is refused.
    changed = family()
    changed[0]["Địa chỉ"] = "Xóm Mới"
    job = start(district_officer, song_an, workbook(changed))
    assert (2, "Mã hộ", "Hộ SA-001 đã được lưu trữ; không thể thay đổi bằng cách nhập tệp.") in problems(job)


def test_all_or_nothing_writes_nothing_then_the_valid_rows_on_request(start, confirm, district_officer, song_an):
    rows = [*ROSTER, member("SA-060", "Cao Văn Toàn", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 99")]
    job = start(district_officer, song_an, workbook(rows))
    assert job.state == JobState.INVALID
    assert (job.new_rows, job.error_rows) == (6, 1)
    assert job.summary.endswith("1 dòng có lỗi, không được nhập.")
    assert not Household.objects.exists()

    job = confirm(job, district_officer, valid_only=True)
    assert job.state == JobState.DONE and job.mode == ImportMode.VALID_ONLY
    assert Household.objects.count() == 3 and not Household.objects.filter(code="SA-060").exists()


def test_valid_only_skips_whole_households_with_an_error(start, confirm, district_officer, song_an):
    rows = family("SA-001") + family("SA-002")
    rows[4]["Ngày sinh"] = "hôm qua"
    job = start(district_officer, song_an, workbook(rows), mode=ImportMode.VALID_ONLY)
    assert job.state == JobState.VALIDATED
    assert (job.new_rows, job.error_rows) == (3, 3)
    confirm(job, district_officer)
    assert list(Household.objects.values_list("code", flat=True)) == ["SA-001"]
    assert Member.objects.count() == 3


@pytest.mark.parametrize("mode", [ImportMode.ALL_OR_NOTHING, ImportMode.VALID_ONLY])
def test_the_registry_changing_between_check_and_import(start, confirm, make_user, district_officer, song_an, mode):
    job = start(district_officer, song_an, workbook(family("SA-001") + family("SA-002")), mode=mode)
    assert job.state == JobState.VALIDATED
    # Before the job is confirmed, an officer registers someone else under a CCCD of household SA-002.
    officer = make_user(Role.COMMUNE_OFFICER, song_an)
    create_household(
        user=officer,
        village=Unit.objects.get(parent=song_an, name="Thôn 3"),
        code="13249-00900",
        head={
            "full_name": "Lý Văn Bảo",
            "birth_date": date(1960, 1, 1),
            "sex": "M",
            "cccd": "034075004322",
        },  # SA-002's spouse
    )
    job = confirm(job, district_officer)
    if mode == ImportMode.ALL_OR_NOTHING:
        assert job.state == JobState.FAILED
        assert job.error.startswith("Sổ theo dõi đã thay đổi kể từ khi kiểm tra tệp nên chưa có gì được nhập: dòng")
        assert list(Household.objects.values_list("code", flat=True)) == ["13249-00900"]
    else:
        assert job.state == JobState.DONE
        assert sorted(Household.objects.values_list("code", flat=True)) == ["13249-00900", "SA-001"]
        assert job.summary.startswith("Đã nhập. Hộ: 1 mới")
        taken = "Số CCCD 034075004322 đã được đăng ký cho một thành viên của hộ 13249-00900."
        assert (6, "Số CCCD", taken) in problems(job)
        assert job.error_rows == 3


def test_long_vietnamese_names_are_kept_whole_and_too_long_ones_refused(start, confirm, district_officer, song_an):
    long_name = "Tôn Nữ Hoàng Thị Ngọc Bích Phương Thảo Nguyên"
    rows = [
        member("SA-070", long_name, "Chủ hộ", "01/01/1990", "Nữ", village="Thôn Nguyệt Lâm"),
        member("SA-071", "A" * 151, "Chủ hộ", "01/01/1990", "Nữ", village="Thôn Nguyệt Lâm"),
    ]
    job = start(district_officer, song_an, workbook(rows), mode=ImportMode.VALID_ONLY)
    assert (3, "Họ và tên", "Tối đa 150 ký tự (ô này có 151 ký tự).") in problems(job)
    confirm(job, district_officer)
    assert Member.objects.get().full_name == long_name


def test_notes_and_signatures_under_the_table_are_skipped_with_a_warning(start, district_officer, song_an):
    rows = [
        *family(),
        {"Mã hộ": None, "Họ và tên": None, "Địa chỉ": "Song An, ngày 15 tháng 11 năm 2025"},
        {"Mã hộ": None, "Địa chỉ": "NGƯỜI LẬP BIỂU", "Quan hệ với chủ hộ": None, "Khả năng lao động": "CHỦ TỊCH"},
    ]
    job = start(district_officer, song_an, workbook(rows))
    assert job.state == JobState.VALIDATED and job.total_rows == 3
    assert problems(job, "warning") == [
        (5, "", "Bỏ qua dòng: không có cột bắt buộc nào được điền."),
        (6, "", "Bỏ qua dòng: không có cột bắt buộc nào được điền."),
    ]


def test_a_household_moved_by_an_import_takes_its_open_review_and_leaves_its_recognised_ones(
    start, confirm, district_officer, song_an
):
    confirm(start(district_officer, song_an, workbook(family("SA-001", village="Thôn 1"))), district_officer)
    household = Household.objects.get(code="SA-001")
    thon_1 = household.village
    standard = PovertyStandard.objects.get(code="nd07-2021")
    common = {"household": household, "standard": standard, "is_urban": False, "income": 900_000, "member_count": 3}
    past = Review.objects.create(
        year=2024, computed_class="poor", recognised_class="poor", state=ReviewState.LOCKED, **common
    )
    draft = Review.objects.create(year=2025, computed_class="poor", state=ReviewState.DRAFT, **common)

    job = start(district_officer, song_an, workbook(family("SA-001", village="Thôn Đông Hồ")))
    confirm(job, district_officer)
    thon_dong_ho = Unit.objects.get(parent=song_an, name="Thôn Đông Hồ")
    assert Household.objects.get(pk=household.pk).village == thon_dong_ho
    assert Review.objects.get(pk=draft.pk).village == thon_dong_ho
    assert Review.objects.get(pk=past.pk).village == thon_1
    moved = ReviewEvent.objects.filter(pgh_obj_id=draft.pk, pgh_label="update").get()
    assert (moved.village_id, moved.pgh_context.metadata["user"]) == (thon_dong_ho.pk, district_officer.pk)
