"""Writes of the reports app: its documents, rendered and stored by `documents`."""

from django.utils import timezone

from common.text import slug
from documents import services as document_services
from documents.issuers import document_date, issuer_for, signature_for
from documents.pdf import render_pdf
from units.choices import UnitCategory

from .documents import form_day, form_kind, unit_report_day, unit_report_filename
from .models import DocumentKind


def render_now(*, kind, unit, day):
    """Render a short document in the request; returns (pdf bytes, page count)."""
    return document_services.render_now(kind=kind, unit=unit, day=day)


def request_document(*, user, kind, unit, day):
    """Queue a long document for the worker."""
    return document_services.request_document(user=user, kind=kind, unit=unit, day=day)


def render_form(*, code, unit, year):
    """A statistic form of `unit` for `year` as a PDF in the request; returns (pdf bytes, page count)."""
    return render_now(kind=form_kind(code), unit=unit, day=form_day(year))


def request_form(*, user, code, unit, year, all_communes=False):
    """Queue a statistic form (a province's with all its communes as rows) for the worker."""
    return request_document(user=user, kind=form_kind(code, all_communes=all_communes), unit=unit, day=form_day(year))


def render_posting_list(*, village, year, sections):
    """The public list of a village's review results as a PDF under the header of the commune's People's
    Committee, dated today; returns (pdf bytes, file name)."""
    today = timezone.localdate()
    issuer = issuer_for(village.parent, today)
    urban = village.category == UnitCategory.VILLAGE_URBAN
    pdf, _pages = render_pdf(
        "reports/decree30/posting_list.html",
        {
            "issuer": issuer,
            "dateline": document_date(issuer.place, today),
            "signature": signature_for(issuer),
            "village": village,
            "village_head": "TỔ TRƯỞNG TỔ DÂN PHỐ" if urban else "TRƯỞNG THÔN",
            "year": year,
            "sections": sections,
        },
    )
    return pdf, f"danh-sach-cong-khai-{year}-{slug(village.name_then)}-{slug(village.parent.name)}.pdf"


def render_unit_report(*, report):
    """A unit's report on the movement as a Decree 30 PDF in the request, dated and numbered as submitted (a draft
    today, without a number); returns (pdf bytes, file name)."""
    day = unit_report_day(report)
    pdf, _pages = document_services.render_now(
        kind=DocumentKind.UNIT_REPORT, unit=report.unit, day=day, number=report.number, subject=report.pk, issued_on=day
    )
    return pdf, unit_report_filename(report)
