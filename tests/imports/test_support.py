"""Support rows from Excel: a bank imports what it gave, by household codes typed as offices type them; a row with
an unknown or archived code, a negative or absurd value, a future date is refused in Vietnamese with its row and
column, the error workbook holds it, and nothing is saved while the file has errors; a file imported twice records
nothing twice."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from households import services as household_services
from imports import services as import_services
from imports.models import ImportMode
from movement.models import Support
from tests.imports.conftest import problems, upload_file, workbook
from tests.movement.ledger import Ledger

HEADER = ["Mã hộ", "Xã (hỗ trợ chung cho cả xã)", "Hình thức hỗ trợ", "Giá trị (đồng)", "Ngày hỗ trợ", "Ghi chú"]


@pytest.fixture(autouse=True)
def today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("vi"), time_machine.travel("2025-06-30 10:00 +0700", tick=False):
        yield


@pytest.fixture
def ledger(tree, make_user):
    from movement import seed

    seed.load_movement(seed.read())
    return Ledger(tree, make_user)


def rows_ok():
    return [
        [" 13249 – 00017 ", None, "Vay vốn ưu đãi", "50.000.000", "15/03/2025", "Cho vay hộ nghèo"],
        ["13249-00018", None, "Thẻ BHYT", 0, datetime(2025, 2, 1), None],
        [None, "Xã Vũ Hội", "Nhà đại đoàn kết", 80000000, "01/04/2025", "Xây 2 căn nhà"],
    ]


def test_a_bank_imports_its_support(start, confirm, ledger):
    job = start(ledger.banker, ledger.bank, workbook(rows_ok(), header=HEADER), kind="support")
    assert job.state == "validated", (job.error, problems(job))
    assert not Support.objects.exists()  # nothing before the confirmation
    job = confirm(job, ledger.banker)
    assert job.state == "done" and job.new_rows == 3
    loan = Support.objects.get(kind="loan")
    assert (loan.household, loan.commune, loan.giver, loan.value) == (
        ledger.first,
        ledger.song_an,
        ledger.bank,
        50_000_000,
    )
    assert loan.recorded_by == ledger.banker and loan.events.count() == 1
    whole = Support.objects.get(kind="housing")
    assert whole.household is None and whole.commune == ledger.vu_hoi

    again = start(ledger.banker, ledger.bank, workbook(rows_ok(), header=HEADER), kind="support")
    assert again.state == "done" and again.unchanged_rows == 3  # nothing to record: settled at the check
    assert Support.objects.count() == 3


def test_bad_rows_are_refused_and_nothing_is_saved(client, start, confirm, ledger):
    household_services.archive_household(
        user=ledger.officer, household=ledger.second, reason="moved_away", on=date(2025, 6, 1)
    )
    rows = [
        *rows_ok()[:1],
        ["13249-99999", None, "Tiền mặt", "1.000.000", "01/05/2025", None],
        ["13249-00018", None, "Tiền mặt", "1.000.000", "01/05/2025", None],  # archived
        ["13249-00017", None, "Tiền mặt", "-1.000.000", "01/05/2025", None],
        ["13249-00017", None, "Tiền mặt", "20.000.000.000", "01/05/2025", None],
        ["13249-00017", None, "Tiền mặt", "1.000.000", "01/07/2025", None],
        ["13249-00017", None, "Quà Tết", "1.000.000", "01/05/2025", None],
        [None, None, "Tiền mặt", "1.000.000", "01/05/2025", None],
    ]
    job = start(ledger.banker, ledger.bank, workbook(rows, header=HEADER), kind="support")
    assert job.state == "invalid"
    found = {(row, column): message for row, column, message in problems(job)}
    unknown = "không phải là hộ có thể nhận hỗ trợ"
    assert unknown in found[(3, "Mã hộ")] and "13249-99999" in found[(3, "Mã hộ")]
    assert unknown in found[(4, "Mã hộ")]  # archived: the same answer as unknown
    assert "âm" in found[(5, "Giá trị (đồng)")]
    assert "kiểm tra lại các số 0" in found[(6, "Giá trị (đồng)")]
    assert "tương lai" in found[(7, "Ngày hỗ trợ")]
    assert (8, "Hình thức hỗ trợ") in found
    assert "Hãy ghi mã hộ" in found[(9, "Mã hộ")]
    assert len(found) == 7
    with pytest.raises(ValidationError):
        confirm(job, ledger.banker)
    assert not Support.objects.exists()

    client.force_login(ledger.banker)
    response = client.get(reverse("imports:errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][-1] == "Lỗi" and [row[0] for row in table[1:]] == [
        "13249-99999",
        "13249-00018",
        "13249-00017",
        "13249-00017",
        "13249-00017",
        "13249-00017",
        None,
    ]
    assert "Mã hộ: Mã hộ 13249-99999 không phải là hộ có thể nhận hỗ trợ" in table[1][-1]


def test_only_the_valid_rows_when_asked(start, confirm, ledger):
    rows = [*rows_ok(), ["13249-99999", None, "Tiền mặt", "1.000.000", "01/05/2025", None]]
    job = start(ledger.banker, ledger.bank, workbook(rows, header=HEADER), kind="support", mode=ImportMode.VALID_ONLY)
    job = confirm(job, ledger.banker, valid_only=True)
    assert job.state == "done" and Support.objects.count() == 3


def test_a_giver_imports_only_for_itself(ledger):
    content = workbook(rows_ok(), header=HEADER)
    with pytest.raises(Http404):
        import_services.create_job(user=ledger.banker, kind="support", unit=ledger.women, upload=upload_file(content))
    with pytest.raises(ValidationError) as exc:  # a roster cannot be loaded into a bank
        import_services.create_job(user=ledger.banker, kind="households", unit=ledger.bank, upload=upload_file(content))
    assert "unit" in exc.value.message_dict
    with pytest.raises(Http404):  # a commune's rosters are out of the bank's sight
        import_services.create_job(
            user=ledger.banker, kind="villages", unit=ledger.song_an, upload=upload_file(content)
        )


def test_the_bank_gets_the_template_and_only_the_support_importer(client, ledger):
    client.force_login(ledger.banker)
    page = client.get(reverse("imports:upload")).content.decode()
    assert 'value="support"' in page and 'value="households"' not in page
    assert f'value="{ledger.bank.pk}"' in page and f'value="{ledger.song_an.pk}"' not in page
    response = client.get(reverse("imports:template"), {"kind": "support", "unit": ledger.bank.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    cells = {c.value for sheet in book.worksheets for row in sheet.iter_rows(max_row=10) for c in row}
    assert {"Mã hộ (*)", "Hình thức hỗ trợ (*)", "Giá trị (đồng) (*)", "Ngày hỗ trợ (*)", "Hỗ trợ học tập"} <= cells
    assert client.get(reverse("imports:template"), {"kind": "households"}).status_code == 403
