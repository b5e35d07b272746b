"""Reporting-rate pages: the deadlines of a year with their rates, one deadline's rates by level and by child unit
(a chart with its table, drill-down, Excel), and the units that have not delivered."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.params import query_id
from common.text import slug
from common.xlsx import Bold, xlsx_response

from . import rates


def _parent(user, unit):
    """The unit above, when the user may follow it too (the breadcrumb's way up)."""
    return unit.parent if unit.parent_id and rates.may_follow(user, unit.parent) else None


@login_required
def rate_list(request):
    unit = rates.follow_unit(request.user, query_id(request.GET, "unit"))
    years = rates.years()
    year = query_id(request.GET, "year")
    if year is None:
        today = timezone.localdate().year
        year = today if today in years or not years else years[0]
    elif year not in years:
        raise Http404
    return render(
        request,
        "deadlines/rates/list.html",
        {
            "unit": unit,
            "parent": _parent(request.user, unit),
            "years": years,
            "year": year,
            "rows": rates.summaries(rates.deadlines_of(year), unit),
        },
    )


@login_required
def rate_detail(request, pk):
    deadline = rates.rated_deadline(pk)
    unit = rates.follow_unit(request.user, query_id(request.GET, "unit"))
    result = rates.rates(deadline, unit)
    if request.GET.get("format") == "xlsx":
        return _xlsx(result)
    drawn = [child for child in result.children if child.unit is not None]
    chart = {
        "labels": [child.unit.short_name or child.unit.name for child in drawn],
        "on_time": [child.counts.on_time_rate for child in drawn],
        "late": [child.counts.late_rate for child in drawn],
        "names": {"on_time": _("On time (%)"), "late": _("Late (%)")},
    }
    return render(
        request,
        "deadlines/rates/detail.html",
        {
            "deadline": deadline,
            "unit": unit,
            "parent": _parent(request.user, unit),
            "rates": result,
            "chart": chart,
        },
    )


@login_required
def rate_missing(request, pk):
    deadline = rates.rated_deadline(pk)
    unit = rates.follow_unit(request.user, query_id(request.GET, "unit"))
    level = request.GET.get("level") or None
    if level is not None and level not in rates.LEVEL_BY_KEY:
        raise Http404
    return render(
        request,
        "deadlines/rates/missing.html",
        {
            "deadline": deadline,
            "unit": unit,
            "level": rates.LEVEL_BY_KEY.get(level),
            "units": list(rates.missing_units(deadline, unit, level=level)),
        },
    )


def _cells(name, counts):
    return [
        name,
        counts.expected,
        counts.submitted,
        counts.rate,
        counts.on_time,
        counts.on_time_rate,
        counts.late,
        counts.missing,
    ]


def _xlsx(result):
    deadline, unit = result.deadline, result.unit
    header = [
        _("Level"),
        _("Expected"),
        _("Submitted"),
        _("Reporting rate (%)"),
        _("On time"),
        _("On-time rate (%)"),
        _("Late"),
        _("Missing"),
    ]
    body = [_cells(str(level.label), counts) for level, counts in result.levels]
    body.append(_cells(_("Total"), result.total))
    if result.children:
        body += [[], Bold([_("Unit"), *header[1:]])]
        body += [_cells(child.unit.name if child.unit else unit.name, child.counts) for child in result.children]
    return xlsx_response(
        filename=f"ty-le-bao-cao-{slug(deadline.label)}-{slug(unit.name)}.xlsx",
        title=_("Reporting rates"),
        heading=[
            _("Reporting rates — %(deadline)s") % {"deadline": deadline.label},
            _("Unit: %(unit)s") % {"unit": unit.name},
            _("Due by %(day)s, 23:59:59 (Vietnam time)") % {"day": deadline.due_on.strftime("%d/%m/%Y")},
        ],
        header=header,
        rows=body,
    )
