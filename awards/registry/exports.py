"""The registry's Excel files: the filtered list (streamed, citizen IDs masked as on screen), the statistics and
form 0603.N. Text a spreadsheet would run as a formula is escaped by common.xlsx."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.text import slug
from common.xlsx import Bold, xlsx_response
from households import privacy

from . import selectors


def _period(signed_from, signed_to):
    start = date_format(signed_from, "SHORT_DATE_FORMAT") if signed_from else "…"
    end = date_format(signed_to, "SHORT_DATE_FORMAT") if signed_to else "…"
    return _("Decisions signed from %(start)s to %(end)s") % {"start": start, "end": end}


def _award_row(award):
    return [
        award.name,
        award.birth_year,
        award.get_sex_display() if award.sex else "",
        privacy.shown("cccd", award.cccd, award.shows_identity),
        award.position,
        award.get_kind_display(),
        award.award_type.name,
        award.unit.name,
        award.district.name if award.district else "",
        award.occasion.name,
        award.year,
        award.get_method_display(),
        selectors.decision_number(award.decision),
        award.decision.signed_on,
        award.bonus,
    ]


def registry_xlsx(awards, *, today):
    """The filtered registry, row by row from the database (the list's own queryset, unpaginated)."""
    header = [
        _("Awarded to"),
        _("Year of birth"),
        _("Sex"),
        _("Citizen ID (CCCD)"),
        _("Position"),
        _("Recipient kind"),
        _("Award"),
        _("Unit"),
        _("District"),
        _("Occasion"),
        _("Year"),
        _("Method"),
        _("Decision"),
        _("Signed on"),
        _("Bonus (VND)"),
    ]
    return xlsx_response(
        filename=f"so-khen-thuong-{today:%Y%m%d}.xlsx",
        title=_("Award registry"),
        header=header,
        rows=(_award_row(award) for award in awards.iterator(chunk_size=2000)),
        widths=[30, 8, 8, 15, 20, 12, 40, 30, 20, 30, 6, 12, 14, 11, 14],
        heading=[_("Award registry"), _("Exported on %(day)s") % {"day": date_format(today, "SHORT_DATE_FORMAT")}],
        landscape=True,
    )


def statistics_xlsx(lines, *, signed_from, signed_to):
    header = [_("Occasion / district"), *selectors.kind_labels(), _("Total"), _("Bonus (VND)")]
    rows = ((Bold if line.level < 2 else list)([line.label, *line.cells, line.total, line.bonus]) for line in lines)
    return xlsx_response(
        filename=f"thong-ke-khen-thuong-{_stamp(signed_from, signed_to)}.xlsx",
        title=_("Award statistics"),
        header=header,
        rows=rows,
        widths=[40, 12, 12, 12, 12, 16],
        heading=[_("Awards by occasion, district and recipient kind"), _period(signed_from, signed_to)],
    )


def form_0603_xlsx(lines, *, signed_from, signed_to, reporter):
    header = [_("Code number"), _("Method"), _("Total number"), *selectors.kind_labels()]
    rows = [(Bold if line.level == 0 else list)([line.code, line.label, line.total, *line.cells]) for line in lines]
    heading = [
        _("Form 0603.N/BNV-TĐKT: number of provincial awards"),
        _("(Circular 02/2023/TT-BNV) — Certificates of merit of the Chairman of the Provincial People's Committee"),
        _period(signed_from, signed_to),
        _("Reporting unit: %(unit)s") % {"unit": reporter},
        _("Unit: award"),
    ]
    return xlsx_response(
        filename=f"bieu-0603N-{_stamp(signed_from, signed_to)}.xlsx",
        title="0603.N",
        header=header,
        rows=rows,
        widths=[8, 40, 12, 12, 14, 12],
        heading=heading,
    )


def _stamp(signed_from, signed_to):
    parts = [f"{day:%Y%m%d}" if day else "" for day in (signed_from, signed_to)]
    return slug("-".join(parts)) or f"{timezone.localdate():%Y%m%d}"
