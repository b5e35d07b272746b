"""Any app renders an official document through `documents`: a registered kind gets the Decree 30 frame (issuer
of the day, number from the register, "Nơi nhận", signature block), a job row and its scoped status."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from common.jobs import JobState
from documents import kinds, services
from documents.issuers import issuer_for, signature_for
from documents.models import Document
from units.roles import Role


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _decision_context(unit, day):
    return {
        "recipients": ["Sở Nội vụ", "Ban Thi đua - Khen thưởng", "Lưu: VT, TĐKT"],
        "signature": signature_for(issuer_for(unit, timezone.localdate()), deputy=True, signer="Nguyễn Khắc Thận"),
    }


@pytest.fixture
def decision(monkeypatch):
    """A numbered kind, as awards will register its decisions (the base template alone as its body)."""
    spec = kinds.DocumentType(
        "test_decision", "Quyết định thử", "documents/decree30/base.html", "QĐ", _decision_context, numbered=True
    )
    monkeypatch.setitem(kinds._TYPES, spec.kind, spec)
    return spec


def test_a_numbered_document_takes_consecutive_numbers_and_prints_the_frame(tree, make_user, decision):
    user = make_user(Role.EMULATION_BOARD, tree.participant("Ban TĐKT"), last_name="Phạm Thị", first_name="Thuỷ")
    first = services.request_document(user=user, kind=decision.kind, unit=tree.province, day=date(2025, 6, 1))
    second = services.request_document(user=user, kind=decision.kind, unit=tree.province, day=date(2025, 6, 1))
    assert (first.number, second.number) == (1, 2)

    pdf, pages = services.render_now(kind=decision.kind, unit=tree.province, day=first.as_of, number=first.number)
    text = pdf_text(pdf)
    assert pages == 1
    for words in [
        "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH",
        "Số: 1/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"Thái Bình, ngày {timezone.localdate():%d}",
        "Nơi nhận:",
        "- Sở Nội vụ;",
        "- Lưu: VT, TĐKT.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Khắc Thận",
    ]:
        assert words in text, words


def test_the_status_of_a_document_is_scoped_to_its_unit(client, tree, make_user):
    owner = make_user(Role.DISTRICT_OFFICER, tree.district("344"), last_name="Lê Quang", first_name="Đạo")
    document = Document.objects.create(
        kind="unit_summary", unit=tree.district("344"), as_of="2025-01-01", requested_by=owner
    )
    document.claim(document.pk).report(40, "Đang dựng trang 3")
    client.force_login(owner)
    status = client.get(reverse("documents:status", args=[document.pk])).json()
    assert status == {
        "state": "running",
        "label": "Đang thực hiện: Đang dựng trang 3",
        "progress": 40,
        "message": "Đang dựng trang 3",
        "result_url": "",
        "running": True,
        "done": False,
        "failed": False,
    }
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert f'data-job-status="{reverse("documents:status", args=[document.pk])}"' in page
    assert "js/jobs.js" in page

    Document.objects.filter(pk=document.pk).update(state=JobState.DONE, progress=100)
    status = client.get(reverse("documents:status", args=[document.pk])).json()
    assert status["done"] and status["result_url"] == reverse("documents:download", args=[document.pk])
    assert "js/jobs.js" not in client.get(reverse("documents:document", args=[document.pk])).content.decode()

    client.force_login(make_user(Role.DISTRICT_OFFICER, tree.district("336")))
    assert client.get(reverse("documents:status", args=[document.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("documents:status", args=[document.pk])).status_code == 302
