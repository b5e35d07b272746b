"""The half-year list of good practices: which practices it takes (by selection date, in Vietnam's time), the
numbered report and the workbook, the milestone delivered, the Board told, and what a sent list freezes."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from deadlines import services as deadline_services
from deadlines.models import Fulfilment, Notification
from documents import services as document_services
from documents.models import Document
from movement.models import Compilation, GoodPractice, Milestone, PracticeState
from movement.services import practices as services
from tests.movement.practices_helpers import People, at, fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, make_user):
    return People(tree, make_user)


def _compile(people, movement, now):
    return services.compile_half_year(user=people.dolisa, movement=movement, year=2025, half=1, now=now)


@pytest.fixture(autouse=True)
def vietnamese(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("vi"):
        yield


def _selected(people, movement, when, *, user=None, unit=None, **overrides):
    practice = services.create_practice(
        user=user or people.reporter, unit=unit or people.women, movement=movement, propose=True, **fields(**overrides)
    )
    return services.select_practice(user=people.dolisa, practice=practice, now=when)


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def first_half_2025(people, movement):
    """Practices selected around the first half of 2025, in Vietnam's time (UTC+7)."""
    return {
        "first_day": _selected(people, movement, at(2025, 1, 1, 0), title="Tổ tiết kiệm phụ nữ nghèo"),
        "last_day": _selected(
            people,
            movement,
            at(2025, 6, 30, 23),
            user=people.officer,
            unit=people.song_an,
            title="Cánh đồng mẫu lớn cho hộ cận nghèo",
            kind="initiative",
            households_out_of_poverty=5,
            value_mobilised=250_000_000,
        ),
        "before": _selected(people, movement, at(2024, 12, 31, 23), title="Năm trước"),
        "after": _selected(people, movement, at(2025, 7, 1, 0), title="Nửa năm sau"),
    }


def test_the_list_takes_the_practices_selected_in_the_half_year_and_delivers_the_milestone(
    people, movement, first_half_2025
):
    proposed_only = services.create_practice(
        user=people.reporter, unit=people.women, movement=movement, propose=True, **fields(title="Chưa chọn")
    )
    compilation = _compile(people, movement, at(2025, 6, 30, 16))

    assert set(compilation.practices.values_list("title", flat=True)) == {
        "Tổ tiết kiệm phụ nữ nghèo",
        "Cánh đồng mẫu lớn cho hộ cận nghèo",
    }
    assert GoodPractice.objects.get(pk=proposed_only.pk).compilation is None
    assert compilation.document.kind == "good_practices"
    assert compilation.document.number == 1
    assert compilation.document.unit == people.dolisa_unit
    assert compilation.document.as_of == date(2025, 6, 30)

    milestone = Milestone.objects.get(movement=movement, key="good-practices-2025-06")
    delivery = Fulfilment.objects.get(deadline=milestone.deadline)
    assert delivery.unit == people.dolisa_unit and delivery.on_time
    again = deadline_services.deliver(deadline=milestone.deadline, unit=people.dolisa_unit, at=at(2025, 8, 1))
    assert again.pk == delivery.pk and again.at == at(2025, 6, 30, 16)

    told = Notification.objects.get(recipient=people.board)
    assert told.title == "Mô hình, cách làm hay 6 tháng đầu năm 2025"
    assert "gửi 2 mô hình, cách làm hay" in told.body
    assert told.url == compilation.get_absolute_url()


def test_a_sent_list_freezes_its_practices_and_its_half_year(people, movement, first_half_2025):
    _compile(people, movement, at(2025, 6, 30, 16))
    compiled = first_half_2025["first_day"]
    with pytest.raises(ValidationError) as exc:
        services.return_practice(user=people.dolisa, practice=compiled, comment="Thiếu ảnh.")
    assert "không thể được trả lại" in " ".join(exc.value.messages)
    assert GoodPractice.objects.get(pk=compiled.pk).state == PracticeState.SELECTED

    late = services.create_practice(
        user=people.reporter, unit=people.women, movement=movement, propose=True, **fields(title="Đề xuất muộn")
    )
    with pytest.raises(ValidationError) as exc:
        services.select_practice(user=people.dolisa, practice=late, now=at(2025, 6, 30, 18))
    assert "đã được gửi Ban Thi đua - Khen thưởng ngày 30/06/2025" in " ".join(exc.value.messages)
    assert GoodPractice.objects.get(pk=late.pk).state == PracticeState.PROPOSED
    assert services.select_practice(user=people.dolisa, practice=late, now=at(2025, 7, 1, 8)).selected_at

    with pytest.raises(ValidationError) as exc:
        _compile(people, movement, at(2025, 7, 2))
    assert "đã được gửi" in " ".join(exc.value.messages)
    assert Compilation.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "half", "now", "message"),
    [
        (2025, 2, at(2025, 6, 30), "Kỳ 6 tháng này chưa bắt đầu."),
        (2023, 1, at(2025, 6, 30), "Chưa có mô hình nào được lựa chọn trong kỳ 6 tháng này"),
        (2027, 1, at(2027, 6, 30), "Hãy chọn một năm từ 2021 đến 2025."),
        (2025, 3, at(2025, 6, 30), "Hãy chọn 6 tháng đầu năm hoặc 6 tháng cuối năm."),
    ],
)
def test_a_list_that_cannot_be_made_is_refused(people, movement, first_half_2025, year, half, now, message):
    with pytest.raises(ValidationError) as exc:
        services.compile_half_year(user=people.dolisa, movement=movement, year=year, half=half, now=now)
    assert message in " ".join(exc.value.messages)
    assert not Compilation.objects.exists()
    assert not Document.objects.exists()


@pytest.mark.parametrize(("who", "refusal"), [("board", PermissionDenied), ("reporter", Http404), ("officer", Http404)])
def test_only_the_lead_unit_compiles(people, movement, first_half_2025, who, refusal):
    with pytest.raises(refusal):
        services.compile_half_year(
            user=getattr(people, who), movement=movement, year=2025, half=1, now=at(2025, 6, 30, 16)
        )
    assert not Compilation.objects.exists()


def test_the_report_prints_the_frame_and_the_practices(people, movement, first_half_2025):
    compilation = _compile(people, movement, at(2025, 7, 3))
    pdf, _pages = document_services.render_now(
        kind="good_practices", unit=people.dolisa_unit, day=date(2025, 6, 30), number=compilation.document.number
    )
    text = pdf_text(pdf)
    for words in [
        "UBND TỈNH THÁI BÌNH",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "Số: 1/BC-SLĐTBXH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "6 tháng đầu năm 2025",
        "Tổ tiết kiệm phụ nữ nghèo",
        "Hội Liên hiệp Phụ nữ tỉnh Thái Bình",
        "Cánh đồng mẫu lớn cho hộ cận nghèo",
        "Sáng kiến",
        "Hộ thoát nghèo: 5",
        "Giá trị huy động: 250.000.000 đồng",
        "Nơi nhận:",
        "- Ban Thi đua - Khen thưởng, Sở Nội vụ (để tổng hợp);",
        "GIÁM ĐỐC",
    ]:
        assert words in text, words
    assert "Nửa năm sau" not in text and "Năm trước" not in text


def test_the_board_downloads_the_workbook(client, people, movement, first_half_2025):
    compilation = _compile(people, movement, at(2025, 7, 3))
    client.force_login(people.board)
    response = client.get(reverse("movement:compilation_xlsx", args=[compilation.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Mô hình, cách làm hay 6 tháng đầu năm 2025"
    assert rows[1][0] == "Sở Lao động - Thương binh và Xã hội"
    header = rows.index(next(row for row in rows if row[0] == "STT"))
    data = rows[header + 1 :]
    assert [row[2] for row in data] == ["Tổ tiết kiệm phụ nữ nghèo", "Cánh đồng mẫu lớn cho hộ cận nghèo"]
    assert data[0][1] == "Hội Liên hiệp Phụ nữ tỉnh Thái Bình" and data[0][3] == "Mô hình"
    assert data[1][1] == "Xã Song An" and data[1][3] == "Sáng kiến" and data[1][5] == 5 and data[1][7] == 250_000_000
