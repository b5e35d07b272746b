"""The three Decree 30 documents of awards, rendered through the worker's path (request_document, render_stored):
DOLISA's proposal with its list, the decision with its annex and total, the list for printing the certificates."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from awards.decisions import services
from awards.documents import CERTIFICATES, DECISION, PROPOSAL, legal_basis, money
from awards.models import Award, NomineeKind, NomineeState
from documents.models import Document
from documents.services import render_now, render_stored, request_document

from .decisions_fixtures import *  # noqa: F403
from .decisions_fixtures import SONG_AN, vn

pytestmark = pytest.mark.django_db

S = NomineeState
LONG_NAME = "Công Tằng Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Thủy"


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _stored(user, **kwargs):
    document = request_document(user=user, **kwargs)
    render_stored(document_id=document.pk)
    document = Document.objects.get(pk=document.pk)
    with document.file.open("rb") as stored:
        return document, stored.read()


@pytest.fixture
def decision(final_review, tree, make_nominee, board_user, media, time_machine):
    time_machine.move_to(vn(2025, 8, 14, 9))
    song_an = tree.commune(SONG_AN)
    nominees = [
        make_nominee(final_review, song_an, NomineeKind.COLLECTIVE, S.ELIGIBLE, appraised=vn(2025, 8, 1)),
        make_nominee(
            final_review,
            song_an,
            NomineeKind.INDIVIDUAL,
            S.ELIGIBLE,
            appraised=vn(2025, 8, 1),
            full_name="Nguyễn Thị Hồng Nhung",
            position="Chủ tịch Hội Liên hiệp Phụ nữ xã",
        ),
        make_nominee(
            final_review, song_an, NomineeKind.INDIVIDUAL, S.ELIGIBLE, appraised=vn(2025, 8, 1), full_name=LONG_NAME
        ),
        make_nominee(
            final_review, song_an, NomineeKind.FAMILY, S.ELIGIBLE, appraised=vn(2025, 8, 1), full_name="Đặng Văn Thưởng"
        ),
    ]
    proposal = services.propose_to_chairman(
        user=board_user, occasion=final_review, nominee_ids=[n.pk for n in nominees]
    )
    time_machine.move_to(vn(2025, 8, 20, 9))
    return services.record_decision(
        user=board_user,
        proposal=proposal,
        number=123,
        signed_on=date(2025, 8, 15),
        signer="Nguyễn Khắc Thận",
        signer_title="Phó Chủ tịch",
    )


def test_the_decision_prints_its_number_dateline_names_amounts_and_total(decision, board_user, tree):
    document, pdf = _stored(
        board_user,
        kind=DECISION,
        unit=decision.issuer,
        day=decision.signed_on,
        subject=decision.pk,
        number=decision.number,
    )
    text = pdf_text(pdf)
    assert document.pages >= 2
    assert "Số: 123/QĐ-UBND" in text
    assert "Thái Bình, ngày 15 tháng 8 năm 2025" in text
    assert "QUYẾT ĐỊNH" in text and "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH" in text
    for line in legal_basis(decision.signed_on):
        assert f"Căn cứ {line}" in text
    assert "Nghị định số 152/2025/NĐ-CP" in text
    assert "Điều 1." in text and "Điều 2." in text and "Điều 3." in text
    assert "Nơi nhận:" in text
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Nguyễn Khắc Thận" in text
    assert "Kèm theo Quyết định số 123/QĐ-UBND ngày 15/08/2025" in text
    assert "TTr-BTĐKT ngày 14/08/2025" in text
    for name in ("Xã Song An", "Nguyễn Thị Hồng Nhung", "Hộ gia đình ông (bà) Đặng Văn Thưởng"):
        assert name in text
    assert "Hoàng Thị Phương Thảo" in text
    # 3.0, 1.5 (twice) and 2.25 × 2,340,000, rounded up to 10,000.
    for amount in ("7.020.000", "3.510.000", "5.270.000"):
        assert amount in text
    total = sum(Award.objects.filter(decision=decision).values_list("bonus", flat=True))
    assert total == 7_020_000 + 2 * 3_510_000 + 5_270_000
    assert f"Tổng cộng (4) {money(total)}" in text
    assert f"tổng số tiền thưởng là {money(total)} đồng" in text


def test_the_same_decision_always_renders_the_same_text(decision, time_machine):
    arguments = {
        "kind": DECISION,
        "unit": decision.issuer,
        "day": decision.signed_on,
        "subject": decision.pk,
        "number": decision.number,
    }
    first = pdf_text(render_now(**arguments)[0])
    time_machine.move_to(vn(2026, 3, 2, 8))
    assert pdf_text(render_now(**arguments)[0]) == first


def test_the_list_for_the_certificates(decision, board_user):
    _, pdf = _stored(
        board_user,
        kind=CERTIFICATES,
        unit=decision.issuer,
        day=decision.signed_on,
        subject=decision.pk,
        number=decision.number,
    )
    text = pdf_text(pdf)
    assert "DANH SÁCH IN BẰNG KHEN" in text
    assert "Nguyễn Thị Hồng Nhung" in text and "Xã Song An" in text
    assert text.count("123/QĐ-UBND ngày 15/08/2025") >= 5  # the summary and every row
    assert "Tổng số: 4 Bằng khen." in text


def test_dolisa_proposal_lists_its_nominees(final_review, tree, make_nominee, dolisa_user, media):
    song_an = tree.commune(SONG_AN)
    nominees = [
        make_nominee(final_review, song_an, NomineeKind.COLLECTIVE, S.SELECTED),
        make_nominee(
            final_review,
            song_an,
            NomineeKind.INDIVIDUAL,
            S.SELECTED,
            full_name="Trịnh Văn Đức",
            position="Trưởng thôn Đông",
        ),
    ]
    proposal = services.propose_to_board(user=dolisa_user, occasion=final_review, nominee_ids=[n.pk for n in nominees])
    _, pdf = _stored(
        dolisa_user,
        kind=PROPOSAL,
        unit=proposal.issuer,
        day=proposal.issued_on,
        subject=proposal.pk,
        number=proposal.number,
    )
    text = pdf_text(pdf)
    assert f"Số: {proposal.number}/TTr-SLĐTBXH" in text
    assert "TỜ TRÌNH" in text and "Kính gửi: Ban Thi đua - Khen thưởng tỉnh" in text
    assert "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" in text
    assert f"ngày {proposal.issued_on.day:02d}" in text
    assert "Xã Song An" in text and "Trịnh Văn Đức" in text and "Trưởng thôn Đông, Xã Song An" in text
    assert "GIÁM ĐỐC" in text
