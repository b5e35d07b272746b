"""A file is checked as the registry's forms check what an officer types: incomes read by the same rule and very
low ones flagged, citizen IDs normalised alike and compared with the person, ethnicities from the 54 groups,
working capacity and schooling of new members from their age."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from households.models import Member, Review
from imports.models import ImportMode, JobState
from units.models import Unit
from units.roles import Role

from .conftest import member, problems, workbook
from .test_reviews import register, review_row, reviews_file

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
INCOME = "Thu nhập bình quân đầu người/tháng (đồng)"


@pytest.fixture(autouse=True)
def october_2025():
    with time_machine.travel(datetime(2025, 10, 1, 9, tzinfo=HANOI), tick=False):
        yield


@pytest.fixture
def officer(make_user, song_an):
    return make_user(Role.COMMUNE_OFFICER, song_an, last_name="Nguyễn Thị Hồng", first_name="Nhung")


@pytest.fixture
def households(song_an):
    village = Unit.objects.get(parent=song_an, name="Thôn Đông Hồ")
    return [register(village, f"SA-{n:03d}", members=2) for n in range(1, 6)]


# Reviews ------------------------------------------------------------------------------------------------------


def test_incomes_are_read_as_on_the_review_form(start, confirm, officer, song_an, households):
    content = reviews_file(
        review_row("SA-001", "1,5"),
        review_row("SA-002", "1.500.00"),
        review_row("SA-003", "1.500,5"),
        review_row("SA-004", "1.500.000 đ"),
        review_row("SA-005", "１ ２００ ０００"),
    )
    job = start(officer, song_an, content, kind="reviews", mode=ImportMode.VALID_ONLY)
    example = "Nhập thu nhập như 1.500.000 hoặc 1500000."
    assert problems(job) == [
        (4, INCOME, f"Không đọc được “1,5” thành số tiền (đồng). {example}"),
        (5, INCOME, f"Không đọc được “1.500.00” thành số tiền (đồng). {example}"),
        (6, INCOME, f"Không đọc được “1.500,5” thành số tiền (đồng). {example}"),
    ]
    confirm(job, officer, valid_only=True)
    assert sorted(Review.objects.values_list("household__code", "income")) == [
        ("SA-004", 1_500_000),
        ("SA-005", 1_200_000),
    ]


def test_a_very_low_income_is_imported_with_the_forms_warning(start, confirm, officer, song_an, households):
    content = reviews_file(review_row("SA-001", "1.500"), review_row("SA-002", 0), review_row("SA-003", 100_000))
    job = start(officer, song_an, content, kind="reviews")
    assert job.state == JobState.VALIDATED and not problems(job)
    assert problems(job, "warning") == [
        (4, INCOME, "Thu nhập 1.500 đ/người/tháng là rất thấp (dưới 100.000 đ): hãy kiểm tra lại con số."),
        (5, INCOME, "Thu nhập 0 đ/người/tháng là rất thấp (dưới 100.000 đ): hãy kiểm tra lại con số."),
    ]
    confirm(job, officer)  # confirming the checked file confirms these incomes, as the form's box does
    assert Review.objects.count() == 3


# Households and members ------------------------------------------------------------------------------------------


def test_cccds_are_normalised_like_the_form_and_never_cut(start, confirm, officer, song_an):
    rows = [
        member(
            "SA-101",
            "Nguyễn Thị Hồng Nhung",
            "Chủ hộ",
            "05/09/1978",
            "Nữ",
            "０３４ １７８ ００１ ２３４",
            village="Thôn 1",
        ),
        member("SA-102", "Trần Văn Đức Thịnh", "Chủ hộ", "12/03/1975", "Nam", "0340750043215", village="Thôn 1"),
    ]
    job = start(officer, song_an, workbook(rows), mode=ImportMode.VALID_ONLY)
    assert problems(job) == [(3, "Số CCCD", "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số.")]
    confirm(job, officer, valid_only=True)
    assert list(Member.objects.values_list("full_name", "cccd")) == [("Nguyễn Thị Hồng Nhung", "034178001234")]


def test_a_cccd_that_disagrees_with_the_person_is_a_warning(start, confirm, officer, song_an):
    rows = [
        member("SA-102", "Nguyễn Thị Hồng Nhung", "Chủ hộ", "05/09/1978", "Nữ", "034087001234", village="Thôn 1"),
        member("SA-102", "Trần Văn Đức Thịnh", "Chồng", "12/03/1975", "Nam", "099075004321"),
        member("SA-102", "Trần Minh Khôi", "Con", "01/02/2016", "Nam", "034216004321"),
    ]
    job = start(officer, song_an, workbook(rows))
    assert job.state == JobState.VALIDATED and not problems(job)
    assert problems(job, "warning") == [
        (2, "Số CCCD", "Theo số CCCD (chữ số thứ 4 là 0) thì giới tính là nam, nhưng thành viên đang được ghi là nữ."),
        (
            2,
            "Số CCCD",
            "Theo số CCCD (chữ số thứ 4 đến 6) thì năm sinh là 1987, nhưng ngày sinh đã ghi thuộc năm 1978.",
        ),
        (3, "Số CCCD", "Số CCCD bắt đầu bằng 099, không phải mã tỉnh nào (từ 001 đến 096)."),
    ]
    confirm(job, officer)
    assert Member.objects.filter(cccd="034087001234").exists()


def test_ethnicities_take_their_official_name_and_unknown_ones_are_refused(start, confirm, officer, song_an):
    rows = [
        member("SA-103", "Lò Văn Pọm", "Chủ hộ", "05/09/1978", "Nam", village="Thôn 1", **{"Dân tộc": "thai"}),
        member("SA-103", "Hà Thị Mai", "Vợ", "12/03/1980", "Nữ", **{"Dân tộc": "Dân tộc Tày"}),
        member("SA-104", "Thạch Sa Rây", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 2", **{"Dân tộc": "Khơ-me"}),
        member("SA-105", "Nguyễn Văn Tây", "Chủ hộ", "01/01/1970", "Nam", village="Thôn 2", **{"Dân tộc": "Pháp"}),
    ]
    job = start(officer, song_an, workbook(rows), mode=ImportMode.VALID_ONLY)
    assert problems(job) == [
        (5, "Dân tộc", "“Pháp” không phải là một trong 54 dân tộc Việt Nam; hãy chọn trong danh sách.")
    ]
    confirm(job, officer, valid_only=True)
    assert sorted(Member.objects.values_list("full_name", "ethnicity")) == [
        ("Hà Thị Mai", "Tày"),
        ("Lò Văn Pọm", "Thái"),
        ("Thạch Sa Rây", "Khmer"),
    ]


def test_new_members_get_the_working_capacity_and_schooling_of_their_age(start, confirm, officer, song_an):
    rows = [
        member("SA-106", "Phạm Văn Trường Giang", "Chủ hộ", "01/02/1950", "Nam", village="Thôn 1"),
        member("SA-106", "Phạm Thị Thu Hà", "Con", "01/02/1990", "Nữ"),
        member("SA-106", "Phạm Minh Đức", "Cháu nội", "01/02/2014", "Nam"),
        member("SA-106", "Phạm Bảo Ngọc", "Cháu nội", "01/02/2021", "Nữ", **{"Khả năng lao động": "Có"}),
        member("SA-106", "Phạm Gia Huy", "Cháu nội", "01/02/1955", "Nam", **{"Tình trạng đi học": "Tiểu học"}),
    ]
    job = start(officer, song_an, workbook(rows))
    assert job.state == JobState.VALIDATED, problems(job)
    assert problems(job, "warning") == [
        (5, "Khả năng lao động", "Khả năng lao động “Có khả năng lao động” không phù hợp với người 4 tuổi; hãy kiểm "
         "tra lại, hoặc kiểm tra ngày sinh."),
        (6, "Tình trạng đi học", "Tình trạng đi học “Tiểu học” không phù hợp với người 70 tuổi; hãy kiểm tra lại, hoặc "
         "kiểm tra ngày sinh."),
    ]  # fmt: skip
    confirm(job, officer)
    assert sorted(Member.objects.values_list("birth_date", "working_capacity", "schooling")) == [
        (date(1950, 2, 1), "limited", "na"),
        (date(1955, 2, 1), "limited", "primary"),
        (date(1990, 2, 1), "full", "na"),
        (date(2014, 2, 1), "none", "lower_secondary"),
        (date(2021, 2, 1), "full", "preschool"),
    ]
