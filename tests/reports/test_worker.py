"""A real Celery worker on Redis renders a long document (the province roster, the yearly summary) and stores it;
reruns do not render twice."""

import io
import time

from django.urls import reverse
from pypdf import PdfReader

from common.jobs import JobState
from documents.models import Document
from documents.tasks import render_document
from households import figures as registry
from reports.models import DocumentKind
from reports.services import request_document
from reports.summaries import services as summary_services
from tests.reports.summary_helpers import NOV_24, SummaryPeople, open_summary, submit
from tests.reports.unit_report_helpers import generate
from units.roles import Role


def test_province_roster_is_rendered_by_the_worker(tree, make_user, celery_worker, client):
    dolisa = make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH"), last_name="Vũ Đức", first_name="Hạnh")
    document = request_document(user=dolisa, kind=DocumentKind.UNIT_ROSTER, unit=tree.province, day="2023-06-01")
    # request_document queues the task on commit; in a transactional test that is immediate.
    for _ in range(600):
        document.refresh_from_db()
        if document.state in (JobState.DONE, JobState.FAILED):
            break
        time.sleep(0.1)
    assert document.state == JobState.DONE, document.error
    assert document.pages > 3
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "260 đơn vị hành chính cấp xã" in text
    assert "Xã Quỳnh Bảo" in text and "Phường Lê Hồng Phong" in text

    client.force_login(dolisa)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_second_delivery_of_the_task_does_nothing(tree, make_user, celery_worker):
    user = make_user(Role.DISTRICT_OFFICER, tree.district("344"))
    document = Document.objects.create(
        kind=DocumentKind.UNIT_SUMMARY, unit=tree.district("344"), as_of="2025-01-01", requested_by=user
    )
    assert render_document.delay(document.pk).get(timeout=60) is True
    assert render_document.delay(document.pk).get(timeout=60) is False
    document.refresh_from_db()
    assert document.state == JobState.DONE


def test_the_summary_pdf_is_rendered_by_the_worker_with_its_number_and_totals(
    tree, make_user, movement, celery_worker, client, media
):
    generate(tree, communes=("13249",), households=20)
    people = SummaryPeople(tree, make_user, movement)
    summary = submit(open_summary(people, movement), people, now=NOV_24)
    document = summary_services.request_pdf(user=people.board, summary=summary)
    for _ in range(600):
        document.refresh_from_db()
        if document.state in (JobState.DONE, JobState.FAILED):
            break
        time.sleep(0.1)
    assert document.state == JobState.DONE, document.error
    assert (document.subject, document.number, document.as_of.isoformat()) == (summary.pk, 1, "2025-11-24")
    assert document.file.name.endswith("bao-cao-tong-hop-phong-trao-thi-dua-2025-so-1.pdf")
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Số: 1/BC-SLĐTBXH" in text and "Thái Bình, ngày 24 tháng 11 năm 2025" in text
    _rows, total = registry.movement_table(tree.province, 2025)
    assert "Tổng cộng " + " ".join(str(total.get("poor", "households", c)) for c in range(1, 10)) in text

    client.force_login(people.board)
    assert client.get(reverse("documents:document", args=[document.pk])).status_code == 200
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
