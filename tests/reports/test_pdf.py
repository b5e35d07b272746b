"""Official PDFs: Decree 30 layout, Vietnamese text intact, set in the shipped Liberation Serif."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.issuers import document_date
from reports.models import DocumentKind
from reports.services import render_now
from units.roles import Role


def pdf_text(data):
    """The PDF's words, with line breaks and spacing folded to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def pdf_fonts(data):
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2022, 9, 7), "Thái Bình, ngày 07 tháng 9 năm 2022"),
        (date(2024, 2, 15), "Thái Bình, ngày 15 tháng 02 năm 2024"),
        (date(2025, 11, 25), "Thái Bình, ngày 25 tháng 11 năm 2025"),
    ],
)
def test_document_date_follows_decree_30(day, expected):
    assert document_date("Thái Bình", day) == expected


def test_province_summary_is_one_page_with_the_decree_30_parts(tree):
    pdf, pages = render_now(kind=DocumentKind.UNIT_SUMMARY, unit=tree.province, day=date(2023, 6, 1))
    text = pdf_text(pdf)
    assert pages == 1
    for words in [
        "ỦY BAN NHÂN DÂN",
        "TỈNH THÁI BÌNH",
        "Số:",
        "/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Vì người nghèo - Không để ai bị bỏ lại phía sau",
        "Huyện Vũ Thư",
        "Thành phố Thái Bình",
        "260 đơn vị hành chính cấp xã",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]:
        assert words in text, words
    assert "Thái Bình, ngày" in text
    # The CSS family name exists only through @font-face, so these fonts come from static/fonts.
    assert all("Liberation-Serif" in font for font in pdf_fonts(pdf)), pdf_fonts(pdf)


def test_summary_pdf_view_serves_a_pdf_to_a_user_in_scope(client, tree, make_user):
    user = make_user(Role.DISTRICT_OFFICER, tree.district("344"), last_name="Lê Quang", first_name="Đạo")
    client.force_login(user)
    response = client.get(reverse("reports:unit_summary_pdf", args=[tree.district("344").pk]), {"as_of": "2025-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "30 đơn vị hành chính cấp xã" in pdf_text(response.content)


def test_renamed_commune_prints_the_name_then_in_force(tree):
    district = tree.district("342")  # Huyện Tiền Hải
    text_2023 = pdf_text(render_now(kind=DocumentKind.UNIT_ROSTER, unit=district, day=date(2023, 6, 1))[0])
    text_2025 = pdf_text(render_now(kind=DocumentKind.UNIT_ROSTER, unit=district, day=date(2025, 6, 1))[0])
    assert "Xã Đông Trung" in text_2023 and "Xã Tây Tiến" in text_2023
    assert "Xã Đông Trung" not in text_2025 and "Xã Ái Quốc" in text_2025
