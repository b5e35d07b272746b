"""Importing yearly reviews: drafts computed by the registry's own rule, nothing past a draft touched, idempotent."""

import io
import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pghistory.models
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from deadlines.models import Reopening as PeriodReopening
from deadlines.models import ReviewPeriod
from households import services as household_services
from households.models import (
    Household,
    Member,
    PovertyCause,
    PovertyStandard,
    Review,
    ReviewEvent,
    ReviewState,
)
from households.reference import INDICATORS
from imports.models import ImportMode, JobState
from units.models import Unit
from units.roles import Role

from .conftest import problems, workbook

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
INDICATOR_HEADERS = [f"{number}. {name}" for number, _service, name, _help in INDICATORS]
FLAG_HEADERS = ["Hộ không có khả năng lao động", "Hộ bảo trợ xã hội", "Hộ người có công", "Hộ DTTS"]
HEADER = [
    "Mã hộ",
    "Năm",
    "Thu nhập bình quân đầu người/tháng (đồng)",
    *INDICATOR_HEADERS,
    *FLAG_HEADERS,
    "Nguyên nhân nghèo",
    "Phân loại theo họp thôn",
    "Lý do",
]


def review_row(code, income, deprived=(), *, year=2025, flags=(), causes=None, agreed=None, reason=None):
    row = {"Mã hộ": code, "Năm": year, "Thu nhập bình quân đầu người/tháng (đồng)": income}
    for number, header in enumerate(INDICATOR_HEADERS, start=1):
        row[header] = 1 if number in deprived else 0
    for index, header in enumerate(FLAG_HEADERS):
        row[header] = 1 if index in flags else None  # empty means no
    row.update({"Nguyên nhân nghèo": causes, "Phân loại theo họp thôn": agreed, "Lý do": reason})
    return row


def reviews_file(*rows, header=HEADER):
    return workbook(list(rows), header=header, title_rows=["KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2025"])


@pytest.fixture(autouse=True)
def october_2025():
    with time_machine.travel(datetime(2025, 10, 1, 9, tzinfo=HANOI), tick=False):
        yield


@pytest.fixture
def officer(make_user, song_an):
    return make_user(Role.COMMUNE_OFFICER, song_an, last_name="Nguyễn Thị Hồng", first_name="Nhung")


def register(village, code, members=3):
    household = Household.objects.create(province=village.parent.parent.parent, village=village, code=code)
    for n in range(members):
        Member.objects.create(
            household=household,
            full_name=["Nguyễn Văn Ân", "Trần Thị Bích Ngọc", "Nguyễn Trần Minh Khôi", "Nguyễn Thị Lan"][n % 4],
            birth_date=date(1970 + 10 * n, 5, 1),
            sex="M" if n % 2 == 0 else "F",
            relation="head" if n == 0 else "child",
        )
    return household


@pytest.fixture
def households(song_an):
    village = Unit.objects.get(parent=song_an, name="Thôn Đông Hồ")
    return [register(village, f"SA-{n:03d}", members=n) for n in range(1, 5)]


def reviews():
    return {
        (r.household.code, r.year): (r.income, r.deprived, r.computed_class, r.class_override, r.state, r.member_count)
        for r in Review.objects.select_related("household")
    }


def test_reviews_are_created_as_drafts_computed_by_the_registry_rule(start, confirm, officer, song_an, households):
    content = reviews_file(
        review_row("SA-001", 1_200_000, (1, 4, 7), flags=(1,), causes="Thiếu vốn sản xuất, kinh doanh; thieu-dat"),
        review_row("SA-002", "1.500.000", (2, 9)),
        review_row("SA-003", 1_800_000, (3,)),
        review_row("SA-004", "3 000 000 đ"),
    )
    job = start(officer, song_an, content, kind="reviews")
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    assert (job.total_rows, job.new_rows, job.error_rows) == (4, 4, 0)
    assert job.summary == "Đã kiểm tra. Phiếu rà soát: 4 mới, 0 sẽ thay đổi, 0 không đổi."
    assert not Review.objects.exists(), "nothing is written before the confirmation"

    job = confirm(job, officer)
    assert job.state == JobState.DONE, job.error
    assert reviews() == {
        ("SA-001", 2025): (1_200_000, [1, 4, 7], "poor", "", "draft", 1),
        ("SA-002", 2025): (1_500_000, [2, 9], "near_poor", "", "draft", 2),
        ("SA-003", 2025): (1_800_000, [3], "average", "", "draft", 3),
        ("SA-004", 2025): (3_000_000, [], "none", "", "draft", 4),
    }
    poor = Review.objects.get(household__code="SA-001")
    assert poor.social_protection and not poor.no_working_capacity and poor.version == 1
    assert sorted(poor.causes.values_list("code", flat=True)) == ["thieu-dat", "thieu-von"]
    assert poor.standard.code == "nd07-2021" and poor.is_urban is False and poor.updated_by == officer
    assert ReviewPeriod.objects.filter(year=2025).exists()
    # History: one insert event per review, under a context naming the importer, as any edit shows.
    events = ReviewEvent.objects.filter(pgh_label="insert")
    assert events.count() == 4 and {e.pgh_context.metadata["user"] for e in events} == {officer.pk}
    page = pghistory.models.MiddlewareEvents.objects.references(poor.household).filter(
        pgh_model="households.ReviewEvent"
    )
    assert [e.user for e in page] == [officer]


def test_the_same_file_again_changes_nothing(start, confirm, officer, song_an, households):
    content = reviews_file(
        review_row("SA-001", 1_200_000, (1, 4, 7), causes="Thiếu vốn sản xuất, kinh doanh"),
        review_row("SA-002", 2_000_000, (2,), agreed="Cận nghèo", reason="Có người ốm nặng, họp thôn thống nhất"),
    )
    confirm(start(officer, song_an, content, kind="reviews"), officer)
    before, events = reviews(), ReviewEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        again = start(officer, song_an, content, kind="reviews")
    writes = [q["sql"] for q in queries if re.search(r"\b(INSERT INTO|UPDATE|DELETE FROM) \"households_", q["sql"])]
    assert writes == []
    assert again.state == JobState.DONE and (again.unchanged_rows, again.new_rows) == (2, 0)
    assert reviews() == before and ReviewEvent.objects.count() == events
    assert Review.objects.get(household__code="SA-002").class_override == "near_poor"


def test_a_corrected_file_updates_the_draft_and_bumps_its_version(start, confirm, officer, song_an, households):
    confirm(start(officer, song_an, reviews_file(review_row("SA-001", 1_200_000, (1, 4, 7))), kind="reviews"), officer)
    review = Review.objects.get()
    content = reviews_file(
        review_row("SA-001", 1_200_000, (1, 4), causes=None),  # one deprivation fewer: near-poor now
        review_row("SA-002", 900_000, (5, 6, 8), causes="Có người ốm đau, bệnh nặng, tai nạn, thiên tai"),
    )
    job = start(officer, song_an, content, kind="reviews")
    assert (job.new_rows, job.updated_rows, job.unchanged_rows) == (1, 1, 0), problems(job)
    confirm(job, officer)
    review.refresh_from_db()
    assert (review.computed_class, review.deprived, review.version) == ("near_poor", [1, 4], 2)
    assert ReviewEvent.objects.filter(pgh_label="update", pgh_obj_id=review.pk).count() == 1
    assert list(Review.objects.get(household__code="SA-002").causes.values_list("code", flat=True)) == ["om-dau"]


def test_causes_are_kept_when_empty_and_cleared_when_no_longer_poor(start, confirm, officer, song_an, households):
    confirm(
        start(
            officer, song_an, reviews_file(review_row("SA-001", 1_000_000, (1, 2, 3), causes="khac")), kind="reviews"
        ),
        officer,
    )
    review = Review.objects.get()
    assert list(review.causes.values_list("code", flat=True)) == ["khac"]
    job = confirm(
        start(officer, song_an, reviews_file(review_row("SA-001", 1_100_000, (1, 2, 3))), kind="reviews"), officer
    )
    assert job.updated_rows == 1 and list(review.causes.values_list("code", flat=True)) == ["khac"]
    job = start(officer, song_an, reviews_file(review_row("SA-001", 1_100_000, (1,), causes="khac")), kind="reviews")
    assert (4, "Nguyên nhân nghèo", "Nguyên nhân nghèo chỉ được ghi cho hộ nghèo; các nguyên nhân này không được "
            "ghi.") in problems(job, "warning")  # fmt: skip
    confirm(job, officer)
    assert not review.causes.exists()


def test_an_agreed_class_needs_a_reason_and_equal_to_the_computed_one_is_dropped(start, officer, song_an, households):
    content = reviews_file(
        review_row("SA-001", 1_200_000, (1,), agreed="Hộ nghèo"),
        review_row("SA-002", 1_200_000, (1,), agreed="Cận nghèo", reason="Giống kết quả tính"),
    )
    job = start(officer, song_an, content, kind="reviews", mode=ImportMode.VALID_ONLY)
    assert problems(job) == [(4, "Lý do", "Ghi rõ lý do kết quả bình xét khác kết quả tính toán.")]
    assert job.new_rows == 1


def test_bad_input_is_reported_row_by_row(start, officer, song_an, households):
    nfd = unicodedata.normalize("NFD", "Thiếu vốn sản xuất, kinh doanh")
    content = reviews_file(
        review_row("SA-999", 1_000_000),
        review_row("SA-001", 1_000_000, year=2019),
        review_row("SA-002", -5),
        review_row("SA-003", 1_000_000_001),
        {**review_row("SA-004", 1_000_000), "3. Dinh dưỡng": 2},
        review_row("SA-001", 1_000_000, (1, 2, 3), causes=nfd),  # NFD text from an old font converter: accepted
        review_row("SA-001", 1_100_000),
        review_row("SA-002", 1_000_000, (1, 2, 3), causes="Nghèo vì lười"),
        review_row("SA-003", "một triệu"),
    )
    job = start(officer, song_an, content, kind="reviews", mode=ImportMode.VALID_ONLY)
    found = problems(job)
    assert (
        4,
        "Mã hộ",
        "Không có hộ nào trong địa bàn của bạn có mã SA-999. Nếu mã này đúng, hãy đề nghị huyện hoặc Sở LĐ-TB&XH "
        "kiểm tra sổ theo dõi.",
    ) in found
    assert (5, "Năm", "Chưa có chuẩn nghèo áp dụng cho năm 2019; không thể nhập kết quả rà soát cho năm này.") in found
    assert (6, "Thu nhập bình quân đầu người/tháng (đồng)", "Thu nhập không được là số âm.") in found
    assert (7, "Thu nhập bình quân đầu người/tháng (đồng)", "Thu nhập trên 1.000.000.000 đồng/người/tháng là không "
            "hợp lý; vui lòng kiểm tra lại số liệu.") in found  # fmt: skip
    assert (8, "3. Dinh dưỡng", "Hãy ghi 1 (có) hoặc 0 (không), không ghi “2”.") in found
    assert (10, "Mã hộ", "Hộ SA-001 đã có một dòng cho năm 2025 (dòng 9).") in found
    assert (11, "Nguyên nhân nghèo", "Không rõ nguyên nhân “Nghèo vì lười”: hãy ghi các nguyên nhân như trong danh "
            "mục, cách nhau bằng dấu “;”.") in found  # fmt: skip
    assert (12, "Thu nhập bình quân đầu người/tháng (đồng)", "Không đọc được “một triệu” thành số tiền (đồng). Nhập "
            "thu nhập như 1.500.000 hoặc 1500000.") in found  # fmt: skip
    assert job.new_rows == 1 and job.error_rows == 8
    assert job.summary.startswith("Đã kiểm tra. Phiếu rà soát: 1 mới,")


def test_a_closed_period_refuses_rows_until_it_is_reopened_for_the_commune(
    start, confirm, officer, make_user, tree, song_an, households
):
    content = reviews_file(review_row("SA-001", 1_000_000, (1, 2, 3)))
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=HANOI), tick=False):
        job = start(officer, song_an, content, kind="reviews")
        assert problems(job) == [
            (4, "Năm", "Kỳ rà soát năm 2025 mở từ 01/09/2025 đến 14/12/2025; hiện đã đóng. Nếu cần, quản trị viên có "
             "thể mở lại cho xã của bạn.")
        ]  # fmt: skip
        admin = make_user(Role.ADMIN, tree.province)
        household_services.reopen_period(
            user=admin, year=2025, commune=song_an, until=date(2026, 1, 31), reason="Bổ sung hộ phát sinh"
        )
        assert PeriodReopening.objects.exists()
        job = confirm(start(officer, song_an, content, kind="reviews"), officer)
        assert job.state == JobState.DONE and Review.objects.count() == 1


def test_submitted_recognised_and_locked_reviews_are_not_touched(start, officer, make_user, song_an, households):
    for household, state in zip(households[:3], ["submitted", "recognised", "locked"], strict=True):
        Review.objects.create(
            household=household, year=2025, standard=PovertyStandard.objects.get(code="nd07-2021"), is_urban=False,
            income=1_000_000, deprived=[1, 2, 3], member_count=1, computed_class="poor", state=state,
        )  # fmt: skip
    unchanged = reviews_file(*(review_row(h.code, 1_000_000, (1, 2, 3)) for h in households[:3]))
    job = start(officer, song_an, unchanged, kind="reviews")
    assert job.state == JobState.DONE and job.unchanged_rows == 3, "a row equal to the review changes nothing"
    content = reviews_file(*(review_row(h.code, 2_500_000) for h in households[:3]))
    job = start(officer, song_an, content, kind="reviews")
    assert problems(job) == [
        (4, "", "Phiếu rà soát đang ở trạng thái “đã gửi”; không thể sửa nữa."),
        (5, "", "Phiếu rà soát đang ở trạng thái “đã công nhận”; không thể sửa nữa."),
        (6, "", "Phiếu rà soát đang ở trạng thái “đã khoá”; không thể sửa nữa."),
    ]
    assert set(Review.objects.values_list("income", flat=True)) == {1_000_000}


def test_a_returned_review_can_be_corrected_and_keeps_its_state(start, confirm, officer, song_an, households):
    Review.objects.create(
        household=households[0], year=2025, standard=PovertyStandard.objects.get(code="nd07-2021"), is_urban=False,
        income=1_000_000, deprived=[1, 2, 3], member_count=1, computed_class="poor", state=ReviewState.RETURNED,
    )  # fmt: skip
    confirm(start(officer, song_an, reviews_file(review_row("SA-001", 1_400_000, (1, 2, 3))), kind="reviews"), officer)
    review = Review.objects.get()
    assert (review.income, review.state, review.version) == (1_400_000, "returned", 2)


def test_rows_of_another_commune_or_an_archived_household_are_errors(start, officer, song_an, vu_hoi, households):
    register(Unit.objects.get(parent=vu_hoi, name="Thôn Đoài"), "VH-001")
    household_services.archive_household(
        user=officer, household=households[3], reason="moved_away", on=date(2025, 9, 1)
    )
    job = start(
        officer, song_an, reviews_file(review_row("VH-001", 1_000_000), review_row("SA-004", 1_000_000)), kind="reviews"
    )
    assert problems(job) == [
        # Vũ Hội is outside the commune officer's area: the same answer as for a code nobody has.
        (
            4,
            "Mã hộ",
            "Không có hộ nào trong địa bàn của bạn có mã VH-001. Nếu mã này đúng, hãy đề nghị huyện hoặc Sở "
            "LĐ-TB&XH kiểm tra sổ theo dõi.",
        ),
        (5, "Mã hộ", "Hộ này đã được lưu trữ; không rà soát nữa."),
    ]


def test_a_household_without_members_cannot_be_reviewed(start, officer, song_an):
    register(Unit.objects.get(parent=song_an, name="Thôn 1"), "SA-100", members=0)
    job = start(officer, song_an, reviews_file(review_row("SA-100", 1_000_000)), kind="reviews")
    assert problems(job) == [(4, "Mã hộ", "Hãy nhập các thành viên của hộ trước khi bắt đầu rà soát.")]


def test_short_headers_are_recognised(start, officer, song_an, households):
    header = ["Mã hộ", "Năm rà soát", "TNBQ", *(f"CS{n}" for n in range(1, 13)), "BTXH", "NCC", "DTTS",
              "Không KNLĐ"]  # fmt: skip
    row = ["SA-001", "2025", "1.000.000", "x", "x", "x", *[None] * 9, None, None, None, None]
    job = start(officer, song_an, workbook([row], header=header), kind="reviews")
    assert job.state == JobState.VALIDATED, (job.error, problems(job))
    assert job.details["checked"]["reviews"]["new"] == 1


def test_a_missing_indicator_column_refuses_the_file(start, officer, song_an, households):
    header = [h for h in HEADER if h != "12. Phương tiện phục vụ tiếp cận thông tin"]
    job = start(officer, song_an, reviews_file(review_row("SA-001", 1_000_000), header=header), kind="reviews")
    assert job.state == JobState.INVALID
    assert job.error.startswith("Thiếu cột bắt buộc: “12. Phương tiện phục vụ tiếp cận thông tin”")


def test_the_template_lists_classes_ticks_and_causes(client, officer, song_an):
    client.force_login(officer)
    response = client.get(reverse("imports:template"), {"kind": "reviews", "unit": song_an.pk})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in book["Dữ liệu"][1]]
    assert header[:4] == ["Mã hộ (*)", "Năm (*)", "Thu nhập bình quân đầu người/tháng (đồng) (*)", "1. Việc làm (*)"]
    assert "Hộ dân tộc thiểu số (*)" in header and header[-3:] == [
        "Nguyên nhân nghèo",
        "Kết quả bình xét của hội nghị thôn",
        "Lý do kết quả khác",
    ]
    lists = [[c for c in column if c is not None] for column in book["Danh mục"].iter_cols(values_only=True)]
    assert [1, 0] in [column[1:] for column in lists]
    assert len([column for column in lists if column[1:] == [1, 0]]) == 1, "one shared list of ticks"
    assert any(column[1:4] == ["Hộ nghèo", "Hộ cận nghèo", "Hộ có mức sống trung bình"] for column in lists)
    causes = next(column for column in lists if column[0] == "Nguyên nhân nghèo")
    assert causes[1:] == list(PovertyCause.objects.order_by("order").values_list("name", flat=True))
    guide = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Hướng dẫn điền: Phiếu rà soát hằng năm" in guide and "bản nháp" in guide
    validations = {str(v.sqref).split(":")[0][:-1] for v in book["Dữ liệu"].data_validations.dataValidation}
    assert {"D", "P", "T", "U"} <= validations  # indicators and flags have the 1/0 drop-down
