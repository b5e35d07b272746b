"""Pages of the award registry (/awards/registry/…): the searchable list and its Excel export, one award, the
statistics by occasion, district and recipient kind, and form 0603.N — each as a page and an Excel file. Anyone
who sees a unit sees its awards; citizen IDs in full only with identity rights (households.privacy)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from units import policy
from units.roles import Action

from ..models import Award
from . import exports, selectors
from .forms import RegistryForm, StatisticsForm

PAGE_SIZE = 50


def _require_view(user):
    if not policy.can_anywhere(user, Action.VIEW):
        raise Http404


def _registry_form(request):
    return RegistryForm(request.GET, units=policy.visible_units(request.user), occasions=selectors.occasions())


def _filtered(request, form):
    return selectors.registry(request.user, **form.filters()) if form.is_valid() else []


@login_required
def registry_list(request):
    _require_view(request.user)
    form = _registry_form(request)
    page = Paginator(_filtered(request, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/registry/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if form.is_valid() else 400,
    )


@login_required
def registry_export(request):
    _require_view(request.user)
    form = _registry_form(request)
    awards = selectors.registry_rows(request.user, **form.filters()) if form.is_valid() else Award.objects.none()
    return exports.registry_xlsx(awards, today=timezone.localdate())


@login_required
def award_detail(request, pk):
    return render(request, "awards/registry/detail.html", {"award": selectors.award_for(request.user, pk)})


def _period_form(request):
    _require_view(request.user)
    return StatisticsForm(request.GET, today=timezone.localdate())


@login_required
def statistics(request):
    form = _period_form(request)
    lines = selectors.statistics(request.user, **form.period()) if form.is_valid() else []
    return render(
        request,
        "awards/registry/statistics.html",
        {"form": form, "lines": lines, "kinds": selectors.kind_labels()},
        status=200 if form.is_valid() else 400,
    )


@login_required
def statistics_xlsx(request):
    form = _period_form(request)
    if not form.is_valid():
        raise Http404
    return exports.statistics_xlsx(selectors.statistics(request.user, **form.period()), **form.period())


@login_required
def form_0603(request):
    form = _period_form(request)
    lines = selectors.form_0603(request.user, **form.period()) if form.is_valid() else []
    return render(
        request,
        "awards/registry/form_0603.html",
        {"form": form, "lines": lines, "kinds": selectors.kind_labels(), "reporter": selectors.reporter(request.user)},
        status=200 if form.is_valid() else 400,
    )


@login_required
def form_0603_xlsx(request):
    form = _period_form(request)
    if not form.is_valid():
        raise Http404
    lines = selectors.form_0603(request.user, **form.period())
    return exports.form_0603_xlsx(lines, reporter=selectors.reporter(request.user), **form.period())
