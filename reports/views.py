"""Home page per role, official documents (rendered now, or by the worker for long ones), the statistic forms and
the village posting list."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.params import query_id
from households import selectors as household_selectors
from households.forms import YearForm
from units import policy
from units import selectors as unit_selectors
from units.choices import UnitKind
from units.forms import AsOfForm

from . import exports, selectors, services, statistics
from .documents import form_filename
from .models import DocumentKind

# Years a form or a posting list may be asked for (a URL's year outside them is not found).
FIRST_YEAR, LAST_YEAR = 2000, 2100


@login_required
def home(request):
    if not request.user.is_superuser and not policy.memberships(request.user):
        return render(request, "reports/no_unit.html")
    return render(request, "reports/home.html", selectors.home_panels(request.user, today=timezone.localdate()))


@login_required
def unit_summary_pdf(request, pk):
    day = AsOfForm(request.GET).day()
    unit = unit_selectors.unit_for(request.user, pk, day=day)
    pdf, _pages = services.render_now(kind=DocumentKind.UNIT_SUMMARY, unit=unit, day=day)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-don-vi-{unit.pk}-{day:%Y%m%d}.pdf"'
    return response


@login_required
@require_POST
def document_request(request, pk):
    day = AsOfForm(request.POST).day()
    unit = unit_selectors.unit_for(request.user, pk, day=day)
    document = services.request_document(user=request.user, kind=DocumentKind.UNIT_ROSTER, unit=unit, day=day)
    return redirect(document)


def _pdf(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _form_args(request, code, pk, year):
    if code not in statistics.SPECS or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return selectors.form_unit(request.user, pk, year)


@login_required
def forms(request):
    """The statistic forms of a unit (anyone who may see it) and a year, and a commune's posting lists."""
    today = timezone.localdate()
    unit_pk = query_id(request.GET, "unit")
    year_form = YearForm(request.GET)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else None
    if unit_pk:
        unit = selectors.form_unit(request.user, unit_pk, year or today.year)
    else:
        unit = selectors.default_form_unit(request.user, today=today)
        if unit is None:
            return render(request, "reports/forms/no_unit.html")
    if year is None:
        years = household_selectors.movement_years(unit, today=today)
        year = household_selectors.default_movement_year(years, today=today)
        unit = selectors.form_unit(request.user, unit.pk, year)
    return render(request, "reports/forms/forms.html", selectors.forms_page(request.user, unit, year=year, today=today))


@login_required
def form_xlsx(request, code, pk, year):
    unit = _form_args(request, code, pk, year)
    all_communes = request.GET.get("communes") == "1" and unit.kind == UnitKind.PROVINCE
    return exports.form_xlsx(statistics.build(code, unit, year, all_communes=all_communes), all_communes=all_communes)


@login_required
def form_pdf(request, code, pk, year):
    unit = _form_args(request, code, pk, year)
    pdf, _pages = services.render_form(code=code, unit=unit, year=year)
    return _pdf(pdf, form_filename(code, unit, year))


@login_required
@require_POST
def form_document(request, code, pk, year):
    """A long form (a province's with all its communes as rows) rendered by the worker; its page shows progress."""
    unit = _form_args(request, code, pk, year)
    all_communes = request.POST.get("communes") == "1" and unit.kind == UnitKind.PROVINCE
    document = services.request_form(user=request.user, code=code, unit=unit, year=year, all_communes=all_communes)
    return redirect(document)


@login_required
def posting_list_pdf(request, pk, year):
    """A village's public posting list (names and classes only): for those who may see its people."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    village = selectors.posting_village(request.user, pk, year)
    pdf, filename = services.render_posting_list(
        village=village, year=year, sections=selectors.posting_list(village, year)
    )
    return _pdf(pdf, filename)
