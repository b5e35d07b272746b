"""Import screens: thin views that parse input, call a service or a selector, and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from common.params import query_id
from common.xlsx import XLSX_TYPE
from households import privacy
from households import selectors as household_selectors
from households.forms import household_filters
from units import policy
from units.choices import UnitKind
from units.models import Unit

from . import exports, selectors, services, workbooks
from .forms import UploadForm
from .importers import IMPORTERS, get_importer
from .models import ImportMode, JobState, Severity
from .workflow import CANCEL_STEPS, JOBS

PAGE_SIZE = 50


def _require_importer(user):
    if not selectors.may_import(user):
        raise PermissionDenied


@login_required
def job_list(request):
    jobs = selectors.jobs_for(request.user)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job_list.html",
        {"page": page, "can_import": selectors.may_import(request.user), "importers": IMPORTERS},
    )


@login_required
def upload(request):
    _require_importer(request.user)
    units = selectors.target_units(request.user)
    importers = selectors.importers_for(request.user)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        importers=importers,
        initial={"kind": request.GET.get("kind"), "unit": request.GET.get("unit")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.create_job(
                user=request.user, kind=data["kind"], unit=data["unit"], upload=data["file"], mode=data["mode"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The file was uploaded; it is being checked."))
            return redirect(job)
    return render(request, "imports/upload.html", {"form": form, "importers": importers, "units": units})


@login_required
def template(request):
    _require_importer(request.user)
    try:
        importer = get_importer(request.GET.get("kind", ""))
    except KeyError:
        raise Http404 from None
    if importer not in selectors.importers_for(request.user):
        raise PermissionDenied
    unit = None
    unit_pk = query_id(request.GET, "unit")
    if unit_pk:
        unit = policy.get_or_404(request.user, selectors.target_units(request.user), pk=unit_pk)
        if unit.kind not in importer.target_kinds and importer.target_kinds == (UnitKind.PROVINCE,):
            unit = Unit.objects.get(path=unit.path.split("/", 1)[0] + "/")  # a province-wide import (users)
        for action in sorted(importer.required_actions):
            policy.require(request.user, action, unit)
    return workbooks.template_response(importer, unit)


@login_required
def job_detail(request, pk):
    job = selectors.job_for(request.user, pk)
    show = request.GET.get("show", "")
    problems = selectors.row_problems(job, severity=show if show in Severity.values else None)
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = JOBS.actions(request.user, job)
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "importer": job.importer,
            "page": page,
            "show": show,
            "query": f"show={show}" if show in Severity.values else "",
            "progress": job.progress_figures(),
            "can_confirm": job.state == JobState.VALIDATED and job.confirmed_at is None,
            "actions": actions,
            "can_cancel": not actions.isdisjoint(CANCEL_STEPS),
            "queued": job.state == JobState.VALIDATED and job.confirmed_at is not None,
            "all_or_nothing": job.mode == ImportMode.ALL_OR_NOTHING,
        },
    )


@login_required
def error_workbook(request, pk):
    job = selectors.job_for(request.user, pk)
    if not job.error_rows:
        raise Http404
    return workbooks.errors_response(job)


@login_required
@require_POST
def confirm(request, pk):
    job = selectors.job_for(request.user, pk)
    try:
        services.confirm_job(user=request.user, job=job, valid_only=request.POST.get("valid_only") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Confirmed: the import is running."))
    return redirect(job)


@login_required
@require_POST
def cancel(request, pk):
    job = selectors.job_for(request.user, pk)
    try:
        outcome = services.cancel_job(user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if outcome == JobState.CANCEL_REQUESTED:
            messages.info(request, _("Cancelling: the job stops at its next step and writes nothing."))
        else:
            messages.info(request, _("The import was cancelled; nothing was written."))
    return redirect(job)


def _export(request, kind):
    """The listed households' members or reviews, in the importers' columns: during the request for a list of up
    to EXPORT_SYNC_MAX_HOUSEHOLDS households, else written by the worker (a province takes ~20-45 s to write)."""
    privacy.require_people(request.user)
    _form, year, filters = household_filters(request.user, request.GET, today=timezone.localdate())
    households = household_selectors.household_filter(request.user, year=year, **filters)
    if households.count() <= settings.EXPORT_SYNC_MAX_HOUSEHOLDS:
        return exports.response(kind, households, year, user=request.user)
    params = {key: value for key, value in request.GET.items() if key != "page"}
    job = services.request_export(user=request.user, kind=kind, params=params, year=year)
    messages.info(request, _("The list is large: the file is being written in the background."))
    return redirect(job)


@login_required
def export_households(request):
    """The household list itself, when it is too big for the list page's own export: written by the worker."""
    privacy.require_people(request.user)
    _form, year, _filters = household_filters(request.user, request.GET, today=timezone.localdate())
    params = {key: value for key, value in request.GET.items() if key != "page"}
    job = services.request_export(user=request.user, kind="households", params=params, year=year)
    messages.info(request, _("The list is large: the file is being written in the background."))
    return redirect(job)


@login_required
def export_members(request):
    """The listed households' members, one row each, in the households importer's columns."""
    return _export(request, "members")


@login_required
def export_reviews(request):
    """The listed households' reviews of the selected year, in the reviews importer's columns."""
    return _export(request, "reviews")


@login_required
def export_detail(request, pk):
    return render(request, "imports/export_detail.html", {"job": selectors.export_for(request.user, pk)})


@login_required
def export_download(request, pk):
    job = selectors.export_for(request.user, pk)
    if not job.is_done or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1], content_type=XLSX_TYPE
    )
