"""The support ledger's pages: the rows and totals a user may see (with filters and an Excel export) and the form
on which a giver records support by a household's registry code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import apply_errors
from common.xlsx import xlsx_response
from units.choices import UnitKind
from units.models import Unit

from ..forms.ledger import LedgerFilterForm, SupportForm
from ..models import SupportKind
from ..selectors import ledger as selectors
from ..services import ledger as services

PAGE_SIZE = 50


def _filters(request):
    givers, communes = selectors.filter_choices(request.user)
    form = LedgerFilterForm(
        request.GET or None, years=selectors.years_recorded(request.user), givers=givers, communes=communes
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.Filters(
        year=data.get("year"),
        kind=data.get("kind") or "",
        giver=data["giver"].pk if data.get("giver") else None,
        commune=data["commune"].pk if data.get("commune") else None,
    )
    return form, filters


def _require_ledger(user):
    if not selectors.can_see(user):
        raise Http404


@login_required
def ledger(request):
    _require_ledger(request.user)
    form, filters = _filters(request)
    rows = selectors.support_rows(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "movement/ledger/ledger.html",
        {
            "form": form,
            "page": page,
            "by": form.grouping,
            "totals": selectors.support_totals(request.user, filters, form.grouping),
            "query": query.urlencode(),
            "can_record": selectors.can_record(request.user),
            "givers": selectors.givers_for(request.user),
        },
    )


@login_required
def ledger_export(request):
    """The totals shown (by the chosen dimension) and, on a second request, the rows: one sheet each."""
    _require_ledger(request.user)
    form, filters = _filters(request)
    heading = [
        _("Support given to poor households"),
        _("Exported on %(day)s") % {"day": timezone.localdate().strftime("%d/%m/%Y")},
    ]
    if filters.year:
        heading.append(_("Year: %(year)s") % {"year": filters.year})
    if filters.kind:
        heading.append(_("Kind: %(kind)s") % {"kind": SupportKind(filters.kind).label})
    if request.GET.get("sheet") == "rows":
        rows = selectors.support_rows(request.user, filters)
        return xlsx_response(
            filename="so-ho-tro.xlsx",
            title=_("Support"),
            heading=heading,
            header=[
                _("Date given"),
                _("Given by"),
                _("Donor"),
                _("Household code"),
                _("Head of household"),
                _("Village"),
                _("Recipient commune"),
                _("Kind of support"),
                _("Value (VND)"),
                _("Note"),
            ],
            rows=(
                [
                    r.given_on,
                    r.giver.name,
                    r.donor,
                    r.household.code if r.household_id else "",
                    r.head or "",
                    r.household.village.name if r.household_id else "",
                    r.commune.name,
                    r.get_kind_display(),
                    r.value,
                    r.note,
                ]
                for r in rows.iterator(chunk_size=2000)
            ),
            widths=[12, 30, 24, 16, 26, 18, 24, 24, 16, 30],
        )
    by = form.grouping
    totals = selectors.support_totals(request.user, filters, by)
    label = dict(form.fields["by"].choices)[by]
    return xlsx_response(
        filename=f"tong-hop-ho-tro-theo-{by}.xlsx",
        title=_("Totals"),
        heading=[*heading, _("Totals by %(dimension)s") % {"dimension": label}],
        header=[str(label).capitalize(), _("Rows"), _("Households supported"), _("Value (VND)")],
        rows=([t["label"], t["rows"], t["households"], t["value"]] for t in totals),
        widths=[36, 10, 20, 20],
    )


@login_required
def support_new(request):
    givers = selectors.givers_for(request.user)
    if not givers.exists():
        raise PermissionDenied
    communes = Unit.objects.current().filter(kind=UnitKind.COMMUNE).order_by("name")
    form = SupportForm(
        request.POST or None,
        givers=givers,
        communes=communes,
        initial={"giver": givers.first(), "given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support = services.record_support(
                user=request.user,
                giver=data["giver"],
                kind=data["kind"],
                value=data["value"],
                given_on=data["given_on"],
                household_code=data["household_code"],
                commune=data["commune"],
                donor=data["donor"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded: %(kind)s, %(value)s đ.")
                % {"kind": support.get_kind_display(), "value": f"{support.value:,}".replace(",", ".")},
            )
            return redirect(f"{reverse('movement:support')}?giver={support.giver_id}")
    return render(request, "movement/ledger/support_form.html", {"form": form, "givers": givers})


urlpatterns = [
    path("support/", ledger, name="support"),
    path("support/export/", ledger_export, name="support_export"),
    path("support/new/", support_new, name="support_new"),
]
