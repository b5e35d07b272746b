"""Members and reviews exported from the household list: the list's filters and scope, the importers' columns,
formulas escaped, no query per row — and a file that imports back with every row unchanged."""

import io
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from households import services
from households.models import Household, Member, PovertyCause, Review
from imports import pipeline
from imports import services as import_services
from imports.importers import IMPORTERS
from imports.models import ExportJob, JobState
from units.roles import Role

from .conftest import add_household, make_village

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN = datetime(2025, 10, 1, 9, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def registry(officer, village, song_an, vu_hoi, make_user):
    """Song An: three households in two villages (odd names and a formula-like address); Vũ Hội: one."""
    other_village = make_village(song_an, "Thôn Đoài")
    first = add_household(officer, village, "13249-00001", members=3)
    services.update_household(user=officer, household=first, village=village, address='=HYPERLINK("http://x")')
    services.save_member(
        user=officer,
        household=first,
        full_name=unicodedata.normalize("NFD", "Đặng Thị Thủy"),
        birth_date=date(1948, 1, 1),
        sex="F",
        relation="parent",
        ethnicity="Tày",
        has_health_insurance=False,
        working_capacity="none",
    )
    add_household(officer, village, "13249-00002", members=1)
    add_household(officer, other_village, "13249-00003", members=2)
    stranger = make_user(Role.COMMUNE_OFFICER, vu_hoi)
    add_household(stranger, make_village(vu_hoi, "Thôn Bắc"), "13255-00001", members=2)
    return officer


def download(client, name, **query):
    response = client.get(reverse(name), query)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    return content, list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def reimport(user, unit, content, kind):
    upload = SimpleUploadedFile("xuat.xlsx", content, content_type="application/octet-stream")
    job = import_services.create_job(user=user, kind=kind, unit=unit, upload=upload)
    pipeline.validate(job.pk)
    job.refresh_from_db()
    return job


def test_members_export_uses_the_importers_columns_and_the_lists_filters(client, registry, song_an):
    client.force_login(registry)
    with CaptureQueriesContext(connection) as queries:
        _content, rows = download(client, "imports:export_members", year=2025)
    assert len(queries) < 15, "a constant number of queries, not one per member"
    assert list(rows[0]) == [str(column.header) for column in IMPORTERS["households"].columns] == [
        "Mã hộ", "Xã/Phường/Thị trấn", "Thôn/Tổ dân phố", "Địa chỉ", "Họ và tên", "Quan hệ với chủ hộ", "Ngày sinh",
        "Giới tính", "Số CCCD", "Dân tộc", "Có thẻ BHYT", "Khuyết tật", "Khả năng lao động", "Tình trạng đi học",
    ]  # fmt: skip
    codes = [row[0] for row in rows[1:]]
    assert codes == ["13249-00001"] * 4 + ["13249-00002"] + ["13249-00003"] * 2, (
        "households together, no other commune's"
    )
    assert rows[1][:6] == ("13249-00001", "13249", "Thôn Đông", '\'=HYPERLINK("http://x")', "Nguyễn Văn An", "Chủ hộ")
    grandmother = next(row for row in rows if row[4] == "Đặng Thị Thủy")
    assert grandmother[6:] == (datetime(1948, 1, 1), "Nữ", None, "Tày", "Không", "Không", "Không có khả năng lao động",
                               "Không trong độ tuổi đi học")  # fmt: skip
    village = Household.objects.get(code="13249-00003").village
    _content, filtered = download(client, "imports:export_members", year=2025, village=village.pk)
    assert [row[0] for row in filtered[1:]] == ["13249-00003", "13249-00003"]
    _content, searched = download(client, "imports:export_members", year=2025, q="13249-00002")
    assert [row[4] for row in searched[1:]] == ["Nguyễn Văn An"]


def test_an_exported_member_list_imports_back_unchanged(client, registry, song_an):
    client.force_login(registry)
    content, rows = download(client, "imports:export_members", year=2025)
    before = list(Member.objects.order_by("pk").values())
    job = reimport(registry, song_an, content, "households")
    assert job.state == JobState.DONE, (job.error, list(job.row_errors.values_list("row_number", "message")))
    assert (job.total_rows, job.unchanged_rows, job.error_rows) == (len(rows) - 1, len(rows) - 1, 0)
    assert list(Member.objects.order_by("pk").values()) == before


@pytest.fixture
def reviewed(registry):
    """Reviews of 2025: a poor draft with causes, a draft with an agreed class, a recognised one."""
    with time_machine.travel(OPEN, tick=False):
        today = date(2025, 10, 1)
        households = {h.code: h for h in Household.objects.filter(code__startswith="13249-")}
        first = services.start_review(user=registry, household=households["13249-00001"], year=2025, today=today)
        services.save_review(
            user=registry, review=first, version=first.version, today=today, income=900_000, deprived=[1, 4, 9, 12],
            no_working_capacity=True, causes=PovertyCause.objects.filter(code__in=["thieu-von", "om-dau"]),
        )  # fmt: skip
        second = services.start_review(user=registry, household=households["13249-00002"], year=2025, today=today)
        services.save_review(
            user=registry, review=second, version=second.version, today=today, income=1_400_000, deprived=[2],
            class_override="poor", class_reason="Chủ hộ ốm nặng; =SUM(1)", ethnic_minority=True,
        )  # fmt: skip
        third = services.start_review(user=registry, household=households["13249-00003"], year=2025, today=today)
        services.save_review(
            user=registry, review=third, version=third.version, today=today, income=2_400_000, deprived=[]
        )
        Review.objects.filter(pk=third.pk).update(state="recognised", recognised_class="none")
    return registry


def test_reviews_export_has_the_importers_columns_and_read_only_ones(client, reviewed, song_an):
    client.force_login(reviewed)
    with CaptureQueriesContext(connection) as queries:
        _content, rows = download(client, "imports:export_reviews", year=2025)
    assert len(queries) < 15
    importer_headers = [str(column.header) for column in IMPORTERS["reviews"].columns]
    assert list(rows[0]) == [
        *importer_headers, "Kết quả tính toán", "Kết quả công nhận", "Trạng thái", "Chủ hộ", "Thôn",
    ]  # fmt: skip
    by_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_code) == ["13249-00001", "13249-00002", "13249-00003"]
    first = by_code["13249-00001"]
    assert (first["Năm"], first["Thu nhập bình quân đầu người/tháng (đồng)"]) == (2025, 900_000)
    assert [first[h] for h in importer_headers[3:15]] == [1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1]
    assert first["Hộ không có khả năng lao động"] == 1 and first["Hộ dân tộc thiểu số"] == 0
    assert (
        first["Nguyên nhân nghèo"] == "Thiếu vốn sản xuất, kinh doanh; Có người ốm đau, bệnh nặng, tai nạn, thiên tai"
    )
    assert (first["Kết quả tính toán"], first["Trạng thái"], first["Chủ hộ"]) == ("Hộ nghèo", "Nháp", "Nguyễn Văn An")
    second = by_code["13249-00002"]
    assert second["Kết quả bình xét của hội nghị thôn"] == "Hộ nghèo"
    assert second["Lý do kết quả khác"] == "Chủ hộ ốm nặng; =SUM(1)"  # not at the start: nothing to escape
    assert (second["Kết quả tính toán"], second["Kết quả công nhận"]) == ("Hộ cận nghèo", None)
    third = by_code["13249-00003"]
    assert (third["Kết quả công nhận"], third["Trạng thái"]) == ("Không thuộc diện", "Đã công nhận")
    _content, poor_only = download(client, "imports:export_reviews", year=2025, klass="poor")
    assert [row[0] for row in poor_only[1:]] == ["13249-00001", "13249-00002"]
    _content, other_year = download(client, "imports:export_reviews", year=2024)
    assert len(other_year) == 1, "no review in 2024: the header only"


def test_an_exported_review_list_imports_back_unchanged(client, reviewed, song_an):
    client.force_login(reviewed)
    content, _rows = download(client, "imports:export_reviews", year=2025)
    before = list(Review.objects.order_by("pk").values())
    with time_machine.travel(OPEN, tick=False):
        job = reimport(reviewed, song_an, content, "reviews")
    assert job.state == JobState.DONE, (job.error, list(job.row_errors.values_list("row_number", "message")))
    assert (job.total_rows, job.unchanged_rows) == (3, 3), "the recognised review too: the row changes nothing"
    assert list(Review.objects.order_by("pk").values()) == before


def test_a_formula_at_the_start_of_a_reason_is_escaped_and_imports_back(client, reviewed, song_an):
    Review.objects.filter(household__code="13249-00002").update(class_reason="=cmd|' /C calc'!A0")
    client.force_login(reviewed)
    content, rows = download(client, "imports:export_reviews", year=2025)
    reason = next(row for row in rows if row[0] == "13249-00002")[len(IMPORTERS["reviews"].columns) - 1]
    assert reason == "'=cmd|' /C calc'!A0"
    with time_machine.travel(OPEN, tick=False):
        job = reimport(reviewed, song_an, content, "reviews")
    assert job.state == JobState.DONE and job.unchanged_rows == 3


def test_the_household_list_offers_both_exports_with_its_filters(client, registry):
    client.force_login(registry)
    page = client.get(reverse("households:list"), {"year": 2025, "klass": "poor"}).content.decode()
    assert 'data-testid="export-members"' in page and 'data-testid="export-reviews"' in page
    assert f"{reverse('imports:export_reviews')}?year=2025&amp;klass=poor" in page


def test_a_large_list_is_written_by_the_worker_for_its_requester_only(client, registry, make_user, song_an, settings):
    settings.EXPORT_SYNC_MAX_HOUSEHOLDS = 2
    client.force_login(registry)
    response = client.get(reverse("imports:export_members"), {"year": 2025, "page": 3})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:export", args=[job.pk])
    assert (job.kind, job.params, job.requested_by) == ("members", {"year": "2025"}, registry)
    page = client.get(response.url).content.decode()
    assert 'data-job-status="' in page and "Đang chờ" in page
    assert client.get(reverse("imports:export_download", args=[job.pk])).status_code == 404, "not written yet"

    assert import_services.run_export(job.pk) is True
    assert import_services.run_export(job.pk) is False, "a second delivery of the task does nothing"
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.total, job.progress) == ("done", 7, 7, 100)
    status = client.get(reverse("imports:export_status", args=[job.pk])).json()
    assert status["done"] and status["label"] == "Đã xong: 7/7 dòng"
    assert 'data-testid="export-download"' in client.get(reverse("imports:export", args=[job.pk])).content.decode()
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["13249-00001"] * 4 + ["13249-00002"] + ["13249-00003"] * 2

    colleague = make_user(Role.COMMUNE_OFFICER, song_an)
    client.force_login(colleague)
    for name in ("imports:export", "imports:export_status", "imports:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, "the file holds personal data"


def test_a_large_household_list_export_goes_to_the_worker(client, registry, settings):
    settings.EXPORT_SYNC_MAX_HOUSEHOLDS = 2
    client.force_login(registry)
    response = client.get(reverse("households:export"), {"year": 2025, "q": "", "page": 2})
    assert response.status_code == 302 and response.url == f"{reverse('imports:export_households')}?year=2025&q="
    job_page = client.get(response.url)
    job = ExportJob.objects.get()
    assert job_page.url == reverse("imports:export", args=[job.pk]) and job.kind == "households"
    import_services.run_export(job.pk)
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == "Đơn vị: Xã Song An"  # the same title block as a list written during the request
    rows = rows[4:]
    assert rows[0][:2] == ("Mã hộ", "Chủ hộ") and [row[0] for row in rows[1:]] == [
        "13249-00001",
        "13249-00002",
        "13249-00003",
    ]
    assert rows[1][4] == '\'=HYPERLINK("http://x")' and rows[1][5] == 4
