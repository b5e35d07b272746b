"""A real Celery worker on Redis renders a long document and stores it; reruns do not render twice."""

import io
import time

from django.urls import reverse
from pypdf import PdfReader

from common.jobs import JobState
from documents.models import Document
from documents.tasks import render_document
from reports.models import DocumentKind
from reports.services import request_document
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
