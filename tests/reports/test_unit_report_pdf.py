"""The unit report as a Decree 30 document: the commune's header lines, the number its register gave at the first
submission (a draft unnumbered and marked "DỰ THẢO"), the dateline of the submission, the title, the narrative,
the figures equal to the report's frozen ones, "Nơi nhận" and the signature; another unit's user gets 404."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from documents.models import NumberRegister
from reports.models import UnitReport
from reports.unit_reports import figures, services
from tests.reports.test_pdf import pdf_text
from tests.reports.unit_report_helpers import SECTIONS, People, at, generate

NOV_15 = at(2025, 11, 15)
TITLE = "Kết quả thực hiện Phong trào thi đua “Vì người nghèo - Không để ai bị bỏ lại phía sau” năm 2025"


@pytest.fixture
def people(tree, make_user, movement):
    return People(tree, make_user, movement)


def printed(row):
    """A figure as the document prints it (Vietnamese grouping; money in đồng)."""
    with translation.override("vi"):
        if row.kind == "text":
            return str(row.value)
        grouped = number_format(row.value, force_grouping=True)
        return f"{grouped} đ" if row.kind == "money" else grouped


def download(client, user, report):
    client.force_login(user)
    return client.get(reverse("reports:unit_report_pdf", args=[report.pk]))


def test_a_submitted_report_prints_its_header_number_dateline_and_frozen_figures(tree, movement, people, client):
    generate(tree)
    report = services.open_report(user=people.commune, movement=movement, unit=people.song_an, year=2025, now=NOV_15)
    report = services.submit_report(user=people.commune, report=report, sections=SECTIONS, now=NOV_15)
    register = NumberRegister.objects.get(issuer=people.song_an, type_code="BC", year=2025)
    assert report.number == register.last == 1

    with time_machine.travel(at(2025, 12, 3), tick=False):
        response = download(client, people.district, report)  # the receiver downloads it weeks later
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-phong-trao-2025-xa-song-an.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for words in [
        "ỦY BAN NHÂN DÂN",
        "XÃ SONG AN",
        "Số: 1/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Song An, ngày 15 tháng 11 năm 2025",  # the day it was submitted, not the day it is printed
        "BÁO CÁO",
        TITLE,
        "Thực hiện Kế hoạch số 119/KH-UBND ngày 07/09/2022",
        "I. Công tác chỉ đạo, triển khai",
        "Kế hoạch số 45/KH-UBND ngày 10/3/2025",  # typed in NFD, printed composed
        "V. Đề xuất, kiến nghị",
        SECTIONS["proposals"],
        "Nơi nhận:",
        "- Ủy ban nhân dân huyện Vũ Thư (để tổng hợp);",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]:
        assert words in text, words
    assert "DỰ THẢO" not in text
    rows = figures.rows(UnitReport.objects.get(pk=report.pk).figures)
    assert any(row.key == "poor_end" and row.value > 0 for row in rows)
    with translation.override("vi"):
        for n, row in enumerate(rows, start=1):
            assert f"{n} {row.label} {printed(row)}" in text, row.key


def test_a_draft_is_marked_and_unnumbered_and_a_resubmission_keeps_its_number(tree, movement, people, client):
    generate(tree, communes=("13249",))
    report = services.open_report(user=people.commune, movement=movement, unit=people.song_an, year=2025, now=NOV_15)
    with time_machine.travel(NOV_15, tick=False):
        text = pdf_text(download(client, people.commune, report).content)
    assert "DỰ THẢO" in text
    assert "Số: /BC-UBND" in text
    assert "Song An, ngày 15 tháng 11 năm 2025" in text
    assert not NumberRegister.objects.exists()

    other = services.open_report(
        user=people.other_commune, movement=movement, unit=people.vu_hoi, year=2025, now=NOV_15
    )
    services.submit_report(user=people.other_commune, report=other, sections=SECTIONS, now=NOV_15)
    report = services.submit_report(user=people.commune, report=report, sections=SECTIONS, now=NOV_15)
    assert report.number == 1  # each commune numbers its own documents
    report = services.review_report(user=people.district, report=report, name="return", comment="Sửa mục II.")
    report = services.submit_report(user=people.commune, report=report, sections=SECTIONS, now=at(2025, 11, 18))
    assert report.number == 1
    assert NumberRegister.objects.get(issuer=people.song_an).last == 1
    text = pdf_text(download(client, people.commune, report).content)
    assert "Số: 1/BC-UBND" in text and "Song An, ngày 18 tháng 11 năm 2025" in text


def test_a_district_report_goes_to_dolisa_in_nơi_nhận(tree, movement, people, client):
    report = services.open_report(user=people.district, movement=movement, unit=people.vu_thu, year=2025, now=NOV_15)
    report = services.submit_report(user=people.district, report=report, sections=SECTIONS, now=NOV_15)
    text = pdf_text(download(client, people.dolisa, report).content)
    assert "HUYỆN VŨ THƯ" in text and "Số: 1/BC-UBND" in text and "Vũ Thư, ngày 15 tháng 11 năm 2025" in text
    assert f"- {movement.lead_unit.name} (để tổng hợp);" in text


def test_the_button_shows_on_the_report_page_and_another_unit_gets_404(tree, movement, people, client):
    report = services.open_report(user=people.commune, movement=movement, unit=people.song_an, year=2025, now=NOV_15)
    client.force_login(people.commune)
    with time_machine.travel(NOV_15, tick=False):
        page = client.get(report.get_absolute_url())
    assert reverse("reports:unit_report_pdf", args=[report.pk]) in page.content.decode()
    for stranger in (people.other_commune, people.other_district):
        assert download(client, stranger, report).status_code == 404
