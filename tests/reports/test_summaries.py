"""The yearly summary: tables compiled from the unit reports, the registry, the ledger and the good practices
(totals equal to the registry's), recomputed while a draft and frozen at submission; every step of the workflow by
the right role, the wrong ones refused in Vietnamese with nothing saved; the number from the register, never twice;
the Decree 30 PDF's text; the Excel annexes; another unit's user answers 404."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from awards.models import Award, NomineeKind
from deadlines import rates
from deadlines.models import Fulfilment, Notification
from documents.services import next_number, render_now
from households import figures as registry
from households.models import Household, ReviewState
from movement.selectors import ledger
from reports.models import DocumentKind, Summary, SummaryState, SummaryTransition
from reports.summaries import services, tables
from reports.unit_reports import services as report_services
from tests.awards import registry_fixtures
from tests.factories import ReviewFactory
from tests.reports.summary_helpers import (
    NARRATIVE,
    NOV_24,
    SummaryPeople,
    open_summary,
    record_support_and_practices,
    submit,
)
from tests.reports.test_pdf import pdf_text
from tests.reports.unit_report_helpers import SECTIONS, at, generate


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def people(tree, make_user, movement):
    return SummaryPeople(tree, make_user, movement)


@pytest.fixture
def late_november():
    with time_machine.travel(NOV_24, tick=False):
        yield


def by_key(summary):
    return {t["key"]: t for t in summary.figures["tables"]}


def submit_unit_reports(people, movement):
    """Vũ Thư's and the Women's Union's reports, submitted to DOLISA on 15 November."""
    for user, unit in ((people.district, people.vu_thu), (people.union, people.women)):
        report = report_services.open_report(user=user, movement=movement, unit=unit, year=2025, now=at(2025, 11, 15))
        report_services.submit_report(user=user, report=report, sections=SECTIONS, now=at(2025, 11, 15))


# Tables ---------------------------------------------------------------------------------------------------------


def test_the_tables_equal_the_registry_the_reports_the_ledger_and_the_practices(tree, movement, people, late_november):
    generate(tree)
    record_support_and_practices(people, movement)
    submit_unit_reports(people, movement)
    found = by_key(open_summary(people, movement))

    rows, total = registry.movement_table(tree.province, 2025)
    assert total.get("poor", "households", 9) > 0
    for key, table in (("poor", "registry_poor"), ("near", "registry_near")):
        assert found[table]["total"][2:] == [total.get(key, "households", c) for c in range(1, 10)]
        assert len(found[table]["rows"]) == len(rows)
    vu_thu = next(r for r in found["registry_poor"]["rows"] if r[1] == "Huyện Vũ Thư")
    _r, district_total = registry.movement_table(people.vu_thu, 2025)
    assert vu_thu[2:] == [district_total.get("poor", "households", c) for c in range(1, 10)]

    deadline = movement.milestones.get(key="unit-report-2025").deadline
    counts = rates.rates(deadline, tree.province, children=False).total
    assert found["reporting"]["total"][1:] == [
        counts.expected,
        2,
        2,
        0,
        counts.expected - 2,
        counts.rate,
    ]
    units = {row[1]: row for row in found["units"]["rows"]}
    assert units["Huyện Vũ Thư"][2:6] == [
        "Đúng hạn",
        district_total.get("poor", "households", 1),
        district_total.get("poor", "households", 9),
        district_total.get("poor", "households", 1) - district_total.get("poor", "households", 9),
    ]
    assert units[people.women.name][2] == "Đúng hạn"
    assert units[people.women.name][6] == 83_000_000
    assert all(
        row[2] == "Chưa gửi" for name, row in units.items() if name not in (people.vu_thu.name, people.women.name)
    )
    assert "Xã Song An" not in units  # communes report to their district

    support = found["support"]
    assert support["total"] == ["Tổng cộng", 3, 0, 88_000_000, 1]
    assert support["total"][3] == ledger.measure_support_given(tree.province, 2025)
    assert {row[0]: row[3] for row in support["rows"]} == {
        "Mặt trận Tổ quốc và các đoàn thể": 83_000_000,
        "Huyện, thành phố": 5_000_000,
    }
    assert found["practices"]["total"] == ["Tổng cộng", 2, 1]
    assert [row[2] for row in found["practices_selected"]["rows"]] == ["Tổ tiết kiệm vì phụ nữ nghèo"]

    annexes = open_summary(people, movement).figures["annexes"]
    communes_rows, communes_total = registry.movement_table(tree.province, 2025, below=2)
    assert len(annexes["communes"]["rows"]) == len(communes_rows) > 200
    assert (
        annexes["communes"]["total"][3]
        == communes_total.get("poor", "households", 1)
        == total.get("poor", "households", 1)
    )
    statuses = {row[1]: row for row in annexes["reports"]["rows"]}
    assert statuses["Xã Song An"][4:] == ["Chưa mở báo cáo", "", "Chưa gửi"]
    assert statuses["Huyện Vũ Thư"][4] == "Đã gửi" and statuses["Huyện Vũ Thư"][6] == "Đúng hạn"
    assert len(annexes["reports"]["rows"]) == counts.expected
    assert annexes["support"]["total"][3:] == [3, 0, 88_000_000, 1]


def test_the_tables_are_a_list_of_named_builders_that_a_further_table_joins(tree, movement, people):
    assert [b.name for b in tables.TABLES] == ["reporting", "units", "registry", "support", "practices", "awards"]
    extra = tables.Builder("extra", lambda src: [tables.table("extra", "Bảng thêm", ["Cột"], [["Giá trị"]])])
    tables.TABLES.append(extra)
    try:
        compiled = tables.compile_tables(movement, 2025)
    finally:
        tables.TABLES.remove(extra)
    assert compiled["tables"][-1]["key"] == "extra"


def test_the_awards_table_counts_the_years_decided_awards_of_the_movement_by_kind(tree, movement, people):
    occasion = registry_fixtures.make_occasion(movement, code="tk-2025", name="Tổng kết", kind="final", year=2025)
    owner = people.dolisa
    this_year = registry_fixtures.make_decision(
        occasion=occasion, issuer=tree.province, number=7, signed_on=date(2025, 8, 15), user=owner
    )
    next_year = registry_fixtures.make_decision(
        occasion=occasion, issuer=tree.province, number=8, signed_on=date(2026, 1, 5), user=owner
    )
    song_an = tree.commune("13249")
    Award.objects.bulk_create(
        [
            registry_fixtures.award(this_year, name="Nguyễn Thị Hoà", unit=song_an),
            registry_fixtures.award(this_year, name="Trần Văn Bình", unit=song_an, kind=NomineeKind.FAMILY),
            registry_fixtures.award(this_year, name=song_an.name, unit=song_an, kind=NomineeKind.COLLECTIVE),
            registry_fixtures.award(next_year, name="Lê Văn Tám", unit=song_an),
        ]
    )
    (found,) = tables.awards_table(tables.source(movement, 2025))
    assert found["rows"] == [["Tập thể", 1, 7_020_000], ["Hộ gia đình", 1, 5_270_000], ["Cá nhân", 1, 3_510_000]]
    assert found["total"] == ["Tổng cộng", 3, 15_800_000]
    assert found["total"][2] == sum(
        Award.objects.filter(decision__signed_on__year=2025).values_list("bonus", flat=True)
    )


def test_tables_follow_the_records_while_a_draft_and_are_frozen_at_submission(tree, movement, people, late_november):
    generate(tree, communes=("13249",))
    summary = open_summary(people, movement)
    start = by_key(summary)["registry_poor"]["total"][-1]
    village = Household.objects.filter(code__startswith="13249").first().village

    def add_poor(code):
        household = Household.objects.create(province=tree.province, village=village, code=code)
        ReviewFactory(household=household, year=2025, state=ReviewState.RECOGNISED, recognised_class="poor")

    add_poor("13249-09001")
    summary = services.compile_summary(user=people.dolisa, summary=summary)
    assert by_key(summary)["registry_poor"]["total"][-1] == start + 1
    add_poor("13249-09002")
    summary = submit(summary, people)
    assert by_key(summary)["registry_poor"]["total"][-1] == start + 2
    add_poor("13249-09003")
    with pytest.raises(ValidationError):
        services.compile_summary(user=people.dolisa, summary=summary)
    summary.refresh_from_db()
    assert by_key(summary)["registry_poor"]["total"][-1] == start + 2


# Workflow -------------------------------------------------------------------------------------------------------


def test_submitted_returned_corrected_and_acknowledged_with_every_step_logged_and_told(
    tree, movement, people, late_november
):
    summary = open_summary(people, movement)
    assert (summary.state, summary.number, summary.issuer) == (SummaryState.DRAFT, None, movement.lead_unit)
    summary = submit(summary, people)
    assert summary.state == SummaryState.SUBMITTED
    assert (summary.number, summary.issued_on.isoformat()) == (1, "2025-11-24")
    assert summary.direction == "Sở đã ban hành Kế hoạch số 12/KH-SLĐTBXH hướng dẫn các đơn vị."  # NFC
    fulfilment = Fulfilment.objects.get(deadline=summary.deadline, unit=movement.lead_unit)
    assert fulfilment.on_time is True
    told = Notification.objects.get(recipient=people.board)
    assert told.url == summary.get_absolute_url() and "2025" in told.title
    assert not Notification.objects.filter(recipient__in=[people.commune, people.district, people.union]).exists()

    with pytest.raises(ValidationError) as refused:
        services.review_summary(user=people.board, summary=summary, name="return", comment=" ")
    assert refused.value.message_dict == {"comment": ["Ghi rõ nội dung cần sửa."]}
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED
    assert SummaryTransition.objects.count() == 1

    summary = services.review_summary(
        user=people.board, summary=summary, name="return", comment="Bổ sung biểu nguồn lực hỗ trợ của các ngân hàng."
    )
    assert summary.state == SummaryState.RETURNED
    assert Notification.objects.filter(recipient=people.dolisa, body__contains="các ngân hàng").exists()
    summary = services.save_summary(
        user=people.dolisa, summary=summary, sections={**NARRATIVE, "results": "Đã bổ sung số liệu ngân hàng."}
    )
    summary = services.submit_summary(user=people.dolisa, summary=summary, now=at(2025, 11, 27))
    assert (summary.number, summary.issued_on.isoformat()) == (1, "2025-11-24")  # the number is kept
    assert Fulfilment.objects.get(deadline=summary.deadline, unit=movement.lead_unit).on_time is True

    summary = services.review_summary(user=people.board, summary=summary, name="acknowledge", comment="Đã nhận.")
    assert summary.state == SummaryState.ACKNOWLEDGED
    assert Notification.objects.filter(recipient=people.dolisa, body__contains="Đã nhận.").exists()
    steps = list(SummaryTransition.objects.filter(summary=summary).values_list("to_state", "by__username", "comment"))
    assert steps == [
        ("submitted", "sldtbxh.thidua", ""),
        ("returned", "bantdkt.thamdinh", "Bổ sung biểu nguồn lực hỗ trợ của các ngân hàng."),
        ("submitted", "sldtbxh.thidua", ""),
        ("acknowledged", "bantdkt.thamdinh", "Đã nhận."),
    ]

    with pytest.raises(ValidationError) as refused:
        services.submit_summary(user=people.dolisa, summary=summary, sections=NARRATIVE)
    assert refused.value.messages == ["Báo cáo tổng hợp đã xác nhận đã nhận thì không thể gửi nữa."]
    with pytest.raises(ValidationError):
        services.save_summary(user=people.dolisa, summary=summary, sections=NARRATIVE)
    with pytest.raises(ValidationError):
        services.review_summary(user=people.board, summary=summary, name="return", comment="Sửa lại.")
    assert SummaryTransition.objects.filter(summary=summary).count() == 4


def test_the_wrong_people_cannot_take_a_step_and_nothing_moves(tree, movement, people, late_november):
    summary = open_summary(people, movement)
    with pytest.raises(Http404):  # a draft is not the Board's yet
        services.submit_summary(user=people.board, summary=summary, sections=NARRATIVE)
    with pytest.raises(PermissionDenied):  # an administrator sees the province, but compiles nothing
        services.submit_summary(user=people.admin, summary=summary, sections=NARRATIVE)
    for user in (people.commune, people.district, people.union):
        with pytest.raises(Http404):
            services.submit_summary(user=user, summary=summary, sections=NARRATIVE)
        with pytest.raises(Http404):
            services.open_summary(user=user, movement=movement, year=2025, now=NOV_24)
    with pytest.raises(PermissionDenied):
        services.open_summary(user=people.board, movement=movement, year=2025, now=NOV_24)
    summary = submit(summary, people)
    with pytest.raises(PermissionDenied):  # DOLISA does not acknowledge its own summary
        services.review_summary(user=people.dolisa, summary=summary, name="acknowledge")
    with pytest.raises(PermissionDenied):
        services.review_summary(user=people.admin, summary=summary, name="acknowledge")
    with pytest.raises(Http404):
        services.review_summary(user=people.district, summary=summary, name="acknowledge")
    with pytest.raises(ValidationError) as refused:
        services.review_summary(user=people.board, summary=summary, name="publish")
    assert refused.value.messages == ["Không có bước xử lý “publish”."]
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED
    assert SummaryTransition.objects.count() == 1


def test_a_summary_without_its_sections_is_not_submitted_and_takes_no_number(tree, movement, people, late_november):
    summary = open_summary(people, movement)
    with pytest.raises(ValidationError) as refused:
        submit(summary, people, sections={**NARRATIVE, "proposals": "  "})
    assert refused.value.message_dict == {"proposals": ["Hãy viết mục này trước khi gửi."]}
    with pytest.raises(ValidationError) as refused:
        submit(summary, people, sections={**NARRATIVE, "results": "Kết quả\u202e ẩn"})
    summary.refresh_from_db()
    assert (summary.state, summary.number, summary.direction) == (SummaryState.DRAFT, None, "")
    assert not Fulfilment.objects.exists()
    assert next_number(issuer=movement.lead_unit, type_code="BC", year=2025) == 1  # no number was used


def test_a_number_from_the_register_is_never_given_twice_and_lateness_is_fixed(tree, movement, people):
    assert next_number(issuer=movement.lead_unit, type_code="BC", year=2025) == 1  # another report of DOLISA's
    summary = open_summary(people, movement)
    summary = submit(summary, people, now=at(2025, 11, 26, 0, 0, 1))
    assert summary.number == 2
    assert Fulfilment.objects.get(deadline=summary.deadline, unit=movement.lead_unit).on_time is False
    assert next_number(issuer=movement.lead_unit, type_code="BC", year=2025) == 3
    services.review_summary(user=people.board, summary=summary, name="return", comment="Sửa biểu 2.")
    summary = submit(summary, people, now=at(2025, 11, 27))
    assert summary.number == 2
    assert next_number(issuer=movement.lead_unit, type_code="BC", year=2025) == 4
    assert Summary.objects.filter(number=2).count() == 1


def test_a_year_without_a_summary_deadline_is_refused(tree, movement, people, late_november):
    with pytest.raises(ValidationError) as refused:
        services.open_summary(user=people.dolisa, movement=movement, year=2026, now=NOV_24)
    assert refused.value.messages == ["Phong trào không có báo cáo tổng hợp phải nộp cho năm 2026."]
    assert not Summary.objects.exists()


# The PDF and the annexes ----------------------------------------------------------------------------------------


def test_the_pdf_has_the_decree_30_parts_and_the_registry_totals(tree, movement, people, late_november):
    generate(tree)
    record_support_and_practices(people, movement)
    summary = submit(open_summary(people, movement), people)
    pdf, pages = render_now(
        kind=DocumentKind.PROVINCIAL_SUMMARY,
        unit=summary.issuer,
        day=summary.issued_on,
        number=summary.number,
        subject=summary.pk,
    )
    text = pdf_text(pdf)
    assert "UBND TỈNH THÁI BÌNH" in text and "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 1/BC-SLĐTBXH" in text
    assert "Thái Bình, ngày 24 tháng 11 năm 2025" in text
    assert "BÁO CÁO" in text and "năm 2025" in text
    assert "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI" in text and "V. PHƯƠNG HƯỚNG, KIẾN NGHỊ, ĐỀ XUẤT" in text
    assert "Mô hình “Tổ tiết kiệm vì phụ nữ nghèo” được nhân rộng" in text
    assert "Nơi nhận:" in text and "Lưu: VT, SLĐTBXH." in text and "GIÁM ĐỐC" in text
    _rows, total = registry.movement_table(tree.province, 2025)
    for key in ("poor", "near"):
        printed = " ".join(str(total.get(key, "households", c)) for c in range(1, 10))
        assert f"Tổng cộng {printed}" in text
    assert "Tổng cộng 3 0 88.000.000 1" in text
    assert "Xã Song An" not in text  # communes are in the Excel annex, not the PDF
    assert pages <= 6


def test_a_draft_pdf_prints_no_number(tree, movement, people, late_november):
    summary = open_summary(people, movement)
    pdf, _pages = render_now(
        kind=DocumentKind.PROVINCIAL_SUMMARY, unit=summary.issuer, day=NOV_24.date(), subject=summary.pk
    )
    text = pdf_text(pdf)
    assert "Số: /BC-SLĐTBXH" in text and "BÁO CÁO (DỰ THẢO)" in text


def test_the_excel_annexes_hold_the_communes_the_reports_and_the_support(tree, movement, people, late_november, client):
    generate(tree)
    record_support_and_practices(people, movement)
    summary = submit(open_summary(people, movement), people)
    client.force_login(people.board)
    response = client.get(reverse("reports:summary_annex", args=[summary.pk, "communes"]))
    assert response.status_code == 200
    assert "phu-luc-1" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    values = [[*row, None, None][: max(len(row), 2)] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("PHỤ LỤC 1. DIỄN BIẾN HỘ NGHÈO")
    song_an = next(row for row in values if row[1] == "Xã Song An")
    _rows, total = registry.movement_table(people.song_an, 2025)
    assert song_an[2] == "Huyện Vũ Thư" and song_an[3] == total.get("poor", "households", 1)
    _rows, province = registry.movement_table(tree.province, 2025)
    assert values[-1][1] == "Tổng cộng" and values[-1][3] == province.get("poor", "households", 1)

    response = client.get(reverse("reports:summary_annex", args=[summary.pk, "support"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    values = [[*row, None, None][: max(len(row), 2)] for row in sheet.iter_rows(values_only=True)]
    givers = {row[1]: row[2:] for row in values if isinstance(row[0], int)}
    assert givers == {
        people.women.name: ["Đoàn thể", 2, 0, 83_000_000, 1],
        "Huyện Vũ Thư": ["Huyện", 1, 0, 5_000_000, 0],
    }
    assert values[-1][1:] == ["Tổng cộng", None, 3, 0, 88_000_000, 1]
    response = client.get(reverse("reports:summary_annex", args=[summary.pk, "reports"]))
    assert response.status_code == 200
    assert client.get(reverse("reports:summary_annex", args=[summary.pk, "awards"])).status_code == 404


# Pages and scope ------------------------------------------------------------------------------------------------


def test_dolisa_compiles_edits_and_submits_through_the_pages(tree, movement, people, late_november, client):
    client.force_login(people.dolisa)
    index = client.get(reverse("reports:summaries"))
    assert [d.year for d, s in index.context["years"]][:1] == [2025]
    response = client.post(reverse("reports:summary_open"), {"year": 2025})
    summary = Summary.objects.get()
    assert response.url == summary.get_absolute_url()
    response = client.post(summary.get_absolute_url(), {**NARRATIVE, "proposals": "", "submit": "1"})
    assert response.status_code == 400
    assert "Hãy viết mục này trước khi gửi." in response.content.decode()
    summary.refresh_from_db()
    assert summary.state == SummaryState.DRAFT
    response = client.post(summary.get_absolute_url(), {**NARRATIVE, "compile": "1"})
    assert response.status_code == 302
    response = client.post(summary.get_absolute_url(), {**NARRATIVE, "submit": "1"}, follow=True)
    assert "Đã gửi báo cáo tổng hợp tới Ban Thi đua - Khen thưởng." in response.content.decode()
    summary.refresh_from_db()
    assert (summary.state, summary.number) == (SummaryState.SUBMITTED, 1)

    client.force_login(people.board)
    index = client.get(reverse("reports:summaries"))
    assert [s.pk for s in index.context["received"]] == [summary.pk]
    assert index.context["years"] == []
    page = client.get(summary.get_absolute_url())
    assert page.context["actions"] == {"acknowledge", "return"}
    response = client.post(reverse("reports:summary_step", args=[summary.pk, "acknowledge"]), follow=True)
    assert "Đã xác nhận đã nhận báo cáo tổng hợp." in response.content.decode()
    summary.refresh_from_db()
    assert summary.state == SummaryState.ACKNOWLEDGED


def test_another_units_user_gets_404_and_a_role_without_the_action_403(tree, movement, people, late_november, client):
    summary = open_summary(people, movement)
    pages = [
        summary.get_absolute_url(),
        reverse("reports:summary_annex", args=[summary.pk, "communes"]),
    ]
    for user in (people.commune, people.district, people.union, people.board):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("reports:summary_document", args=[summary.pk])).status_code == 404
        assert client.post(reverse("reports:summary_step", args=[summary.pk, "acknowledge"])).status_code == 404
    for user in (people.commune, people.district, people.union, people.admin):
        client.force_login(user)
        assert client.get(reverse("reports:summaries")).status_code == 404
    client.force_login(people.admin)
    assert client.get(summary.get_absolute_url()).status_code == 403
    submit(summary, people)
    client.force_login(people.board)
    assert client.get(summary.get_absolute_url()).status_code == 200
    client.force_login(people.district)
    assert client.get(summary.get_absolute_url()).status_code == 404
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED


def test_the_menu_shows_the_summary_to_dolisa_and_the_board_only(tree, movement, people, late_november, client):
    for user, shown in ((people.dolisa, True), (people.board, True), (people.commune, False), (people.admin, False)):
        client.force_login(user)
        assert ('data-testid="nav-summaries"' in client.get("/").content.decode()) is shown, user


def test_the_pages_query_counts_do_not_grow_with_the_steps_and_documents(
    tree, movement, people, late_november, client, django_assert_num_queries
):
    summary = open_summary(people, movement)
    client.force_login(people.dolisa)
    url, index = summary.get_absolute_url(), reverse("reports:summaries")
    client.get(url)
    with CaptureQueriesContext(connection) as page_before:
        client.get(url)
    with CaptureQueriesContext(connection) as index_before:
        client.get(index)
    summary = submit(summary, people)
    summary = services.review_summary(user=people.board, summary=summary, name="return", comment="Sửa biểu 1.")
    summary = submit(summary, people)
    for _ in range(3):
        services.request_pdf(user=people.dolisa, summary=summary)
    with django_assert_num_queries(len(page_before.captured_queries)):
        page = client.get(url)
    assert len(page.context["history"]) == 3 and len(page.context["documents"]) == 3
    with django_assert_num_queries(len(index_before.captured_queries)):
        client.get(index)
