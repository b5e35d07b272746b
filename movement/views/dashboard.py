"""The movement's dashboards: the province's (DOLISA, the Emulation Board, administrators), a district's and a
commune's (whoever may view the unit; another unit answers 404), with their Excel export."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from common.params import query_id
from common.text import slug
from common.xlsx import xlsx_response
from households import figures
from households.forms import YearForm
from units import policy
from units import selectors as unit_selectors
from units.roles import Action

from .. import rules
from ..selectors import dashboard as selectors
from ..selectors import ledger, participation
from ..selectors.targets import current_movement


def _unit(request, today):
    unit_pk = query_id(request.GET, "unit")
    if unit_pk is None:
        root = next(iter(unit_selectors.visible_roots(request.user, day=today)), None)
        if root is None:
            raise Http404
        unit_pk = root.pk
    unit = unit_selectors.unit_for(request.user, unit_pk, day=today)
    if unit.kind not in selectors.DASHBOARD_KINDS:
        raise Http404
    return unit


@login_required
def dashboard(request):
    today = timezone.localdate()
    unit = _unit(request, today)
    movement = current_movement(unit, today=today)
    served = figures.served_years()  # which years the snapshots serve, decided once for every figure of the page
    years = selectors.dashboard_years(unit, movement, today=today, served=served)
    form = YearForm(request.GET)
    known = [y for y, _finished, _results in years]
    year = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data["year"] in known else None
    if year is None:
        year = selectors.default_year(years, today=today) if years else movement.start_year
    board = selectors.dashboard(unit, movement, year=year, years=years, served=served)
    if request.GET.get("format") == "xlsx":
        return _xlsx(board)
    ancestors = [a for a in unit_selectors.ancestors(unit, day=today) if policy.can(request.user, Action.VIEW, a)]
    return render(
        request,
        "movement/dashboard/dashboard.html",
        {
            "board": board,
            "unit": unit,
            "movement": movement,
            "year": year,
            "years": years,
            "ancestors": ancestors,
            "chart": _chart_data(board),
            "status_definition": rules.STATUS_DEFINITION,
            "can_steer": policy.can(request.user, Action.STEER, unit),
            "completeness": participation.completeness(movement, unit),
            # What became this year of the households supported the year before, beside the others.
            "support_outcomes": ledger.support_outcomes(unit, year - 1) if year > movement.start_year else None,
        },
    )


def _chart_data(board):
    """What static/js/dashboard.js draws (read from a json_script tag: the CSP allows no inline script)."""
    years = board.years
    return {
        "labels": [str(y.year) for y in years],
        "households": [
            {"key": "poor", "label": _("Poor households"), "data": [y.poor for y in years]},
            {"key": "near", "label": _("Near-poor households"), "data": [y.near_poor for y in years]},
            {"key": "upper", "label": _("Target band: slowest pace"), "data": [y.band_upper for y in years]},
            {"key": "lower", "label": _("Target band: fastest pace"), "data": [y.band_lower for y in years]},
            {"key": "final", "label": _("Final target line"), "data": [y.final_line for y in years]},
        ],
        "moves": [
            {"key": "reduction", "label": _("Fewer poor households"), "data": [y.reduction for y in years]},
            {"key": "newly", "label": _("Newly poor"), "data": [y.newly_poor for y in years]},
            {"key": "repoor", "label": _("Re-poor"), "data": [y.re_poor for y in years]},
        ],
    }


def year_header():
    return [
        _("Year"),
        _("Poor households"),
        _("Poverty rate (%)"),
        _("Near-poor households"),
        _("Near-poverty rate (%)"),
        _("Poor households at the start (column 1)"),
        _("Fewer poor households (column 1 − column 9)"),
        _("Newly poor (column 7)"),
        _("Re-poor (column 6)"),
        _("Target band: slowest pace"),
        _("Target band: fastest pace"),
        _("Final target line"),
        _("Status"),
    ]


def year_cells(y):
    return [
        y.year,
        y.poor,
        y.poor_rate,
        y.near_poor,
        y.near_poor_rate,
        y.poor_start,
        y.reduction,
        y.newly_poor,
        y.re_poor,
        y.band_upper,
        y.band_lower,
        y.final_line,
        str(y.status_label),
    ]


def child_header(year):
    return [
        _("Unit"),
        _("Poor households at the start of %(year)s") % {"year": year},
        _("Poor households at the end of %(year)s") % {"year": year},
        _("Fewer poor households"),
        _("Fewer a year, at least"),
        _("Fewer a year, at most"),
        _("Status"),
    ]


def child_cells(child):
    return [
        str(child.unit.name_then),
        child.poor_start,
        child.poor_end,
        child.reduction,
        child.yearly_min,
        child.yearly_max,
        str(child.status_label),
    ]


def _xlsx(board):
    unit = board.unit
    body = [year_cells(y) for y in board.years]
    if board.children:
        body += [[], [_("Units under %(unit)s in %(year)s") % {"unit": unit.name_then, "year": board.year}]]
        body += [child_header(board.year)] + [child_cells(child) for child in board.children]
    body += [[], [str(rules.STATUS_DEFINITION)]]
    return xlsx_response(
        filename=f"tong-quan-phong-trao-{board.year}-{slug(unit.name_then)}.xlsx",
        title=_("Movement overview"),
        heading=[
            _("Movement overview — %(movement)s") % {"movement": board.movement.short_name},
            _("Unit: %(unit)s") % {"unit": unit.name_then},
            _("Year: %(year)s") % {"year": board.year},
        ],
        header=year_header(),
        rows=body,
    )


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]
