"""What goes into each of the reports app's official documents; `documents` frames them (issuer, dateline,
number, signature) and renders them."""

from datetime import date

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.text import slug
from documents import kinds
from documents.issuers import ADMINISTRATIVE_KINDS
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.models import Unit

from . import statistics
from .models import DocumentKind, UnitReport
from .summaries import documents as summary_documents
from .unit_reports import figures as report_figures
from .unit_reports import selectors as report_selectors


def _common(unit, day):
    return {"unit": unit, "day": day, "counts": unit_selectors.subtree_counts(unit, day=day)}


def unit_summary_context(unit, day):
    children = list(unit_selectors.children(unit, day=day))
    return {
        **_common(unit, day),
        "children": [c for c in children if c.kind in ADMINISTRATIVE_KINDS],
        "participants": [c for c in children if c.kind not in ADMINISTRATIVE_KINDS | {UnitKind.VILLAGE}],
    }


def unit_roster_context(unit, day):
    return {**_common(unit, day), "groups": unit_selectors.communes_by_district(unit, day=day)}


def _addressee(unit):
    """How "Nơi nhận" names a receiver: an administrative unit by its People's Committee."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return f"Ủy ban nhân dân {unit.name_then[:1].lower()}{unit.name_then[1:]}"
    return unit.name_then


def unit_report_context(unit, day, subject):
    """A unit's report on the movement (`subject`): its narrative and figures (frozen once submitted, computed now
    while it is written, when the document is marked as a draft), addressed to its receiver."""
    report = UnitReport.objects.select_related("movement__lead_unit", "unit__parent").get(pk=subject, unit=unit)
    receiver = report_selectors.receiver(report)
    return {
        "report": report,
        "movement": report.movement,
        "unit": _named(unit, day),
        "draft": report.is_editable,
        "figure_rows": report_figures.rows(report_selectors.shown_figures(report)),
        "addressee": _addressee(_named(receiver, day)) if receiver else "",
    }


def unit_report_day(report):
    """The day a unit report's document is dated: its submission's day, today while it is being written."""
    if report.is_editable or report.submitted_at is None:
        return timezone.localdate()
    return timezone.localdate(report.submitted_at)


def unit_report_filename(report):
    return f"bao-cao-phong-trao-{report.year}-{slug(report.unit.name)}.pdf"


def form_kind(code, *, all_communes=False):
    """The document kind of a statistic form (a province's form with its communes as rows is a kind of its own)."""
    return f"form_{code}_communes" if all_communes else f"form_{code}"


def form_day(year):
    """A form's document is dated, and its units named, as at the end of its year."""
    return date(year, 12, 31)


def form_filename(code, unit, year, *, all_communes=False, extension="pdf"):
    """'dien-bien-ho-ngheo-2025-huyen-vu-thu.pdf': the form, the year and the unit's name as at the end of it."""
    part = "-cac-xa" if all_communes else ""
    return f"{statistics.FILE_NAMES[code]}{part}-{year}-{slug(unit.name_then)}.{extension}"


def _named(unit, day):
    return unit_selectors.named_as_of(Unit.objects.filter(pk=unit.pk), day).get()


def _form_context(code, all_communes):
    def context(unit, day):
        return {"form": statistics.build(code, _named(unit, day), day.year, all_communes=all_communes)}

    return context


def _form_filename(code, all_communes):
    def filename(unit, day):
        return form_filename(code, _named(unit, day), day.year, all_communes=all_communes)

    return filename


def register():
    summary_documents.register()
    kinds.register(
        DocumentKind.UNIT_SUMMARY,
        label=DocumentKind.UNIT_SUMMARY.label,
        template="reports/decree30/unit_summary.html",
        type_code="BC",
        context=unit_summary_context,
    )
    kinds.register(
        DocumentKind.UNIT_ROSTER,
        label=DocumentKind.UNIT_ROSTER.label,
        template="reports/decree30/unit_roster.html",
        type_code="BC",
        context=unit_roster_context,
    )
    kinds.register(
        DocumentKind.UNIT_REPORT,
        label=DocumentKind.UNIT_REPORT.label,
        template="reports/decree30/unit_report.html",
        type_code="BC",
        context=unit_report_context,
        with_subject=True,
    )
    for code, spec in statistics.SPECS.items():
        for all_communes in (False, True):
            kinds.register(
                form_kind(code, all_communes=all_communes),
                label=format_lazy("{} ({})", spec.label, _("all communes")) if all_communes else spec.label,
                template="reports/decree30/statistic_form.html",
                type_code="BC",
                context=_form_context(code, all_communes),
                filename=_form_filename(code, all_communes),
            )
