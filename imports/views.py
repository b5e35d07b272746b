"""Import screens: thin views that parse input, call a service or a selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from units import policy
from units.roles import Action

from . import selectors, services, workbooks
from .forms import UploadForm
from .importers import IMPORTERS, get_importer
from .models import ImportMode, JobState, Severity

PAGE_SIZE = 50


def _require_importer(user):
    if not policy.can_anywhere(user, Action.IMPORT):
        raise PermissionDenied


@login_required
def job_list(request):
    jobs = selectors.jobs_for(request.user)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job_list.html",
        {"page": page, "can_import": policy.can_anywhere(request.user, Action.IMPORT), "importers": IMPORTERS},
    )


@login_required
def upload(request):
    _require_importer(request.user)
    units = selectors.target_units(request.user)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"kind": request.GET.get("kind"), "unit": request.GET.get("unit")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.create_job(
                user=request.user, kind=data["kind"], unit=data["unit"], upload=data["file"], mode=data["mode"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The file was uploaded; it is being checked."))
            return redirect(job)
    return render(request, "imports/upload.html", {"form": form, "importers": IMPORTERS.values(), "units": units})


@login_required
def template(request):
    _require_importer(request.user)
    try:
        importer = get_importer(request.GET.get("kind", ""))
    except KeyError:
        raise Http404 from None
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = policy.get_or_404(request.user, selectors.target_units(request.user), pk=int(request.GET["unit"]))
    return workbooks.template_response(importer, unit)


def _progress(job):
    """The numbers of the progress bar, formatted for the reader's language."""
    percent = min(100, round(100 * job.rows_done / job.phase_total)) if job.phase_total else 0
    rate = job.rate()
    left = job.seconds_left()
    if left is None:
        eta = ""
    elif left < 60:
        eta = _("about %(s)s s left") % {"s": max(int(left), 1)}
    else:
        eta = _("about %(m)s min left") % {"m": round(left / 60)}
    return {
        "percent": percent,
        "rows": _("%(done)s of %(total)s rows")
        % {
            "done": formats.number_format(job.rows_done, force_grouping=True),
            "total": formats.number_format(job.phase_total, force_grouping=True),
        },
        "rate": _("%(rate)s rows/s") % {"rate": formats.number_format(round(rate), force_grouping=True)}
        if rate
        else "",
        "eta": eta,
    }


@login_required
def job_detail(request, pk):
    job = selectors.job_for(request.user, pk)
    show = request.GET.get("show", "")
    problems = selectors.row_problems(job, severity=show if show in Severity.values else None)
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/job_detail.html",
        {
            "job": job,
            "importer": job.importer,
            "page": page,
            "show": show,
            "query": f"show={show}" if show in Severity.values else "",
            "progress": _progress(job),
            "can_confirm": job.state == JobState.VALIDATED and job.confirmed_at is None,
            "can_import_valid": job.state == JobState.INVALID and bool(job.staging),
            "can_cancel": job.state in (JobState.UPLOADED, JobState.VALIDATED, JobState.VALIDATING, JobState.APPLYING)
            or job.is_stale,
            "queued": job.state == JobState.VALIDATED and job.confirmed_at is not None,
            "all_or_nothing": job.mode == ImportMode.ALL_OR_NOTHING,
        },
    )


@login_required
def job_status(request, pk):
    job = selectors.job_for(request.user, pk)
    return JsonResponse(
        {
            "state": job.state,
            "label": str(job.get_state_display()),
            "running": job.is_running or (job.state == JobState.VALIDATED and job.confirmed_at is not None),
            "rows_done": job.rows_done,
            "total": job.phase_total,
            "rate": job.rate(),
            "seconds_left": job.seconds_left(),
            **_progress(job),
        }
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
