"""Pages of the unit reports (/reports/unit-reports/…): a user's reports by unit and year, a report (pre-filled
figures, narrative, attachments, history, the receiver's steps), a district's inbox of its communes' reports beside
its own figures, and DOLISA's inbox of the other units' reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from deadlines.rules import VIETNAM
from units import policy
from units.models import Unit

from .. import services as report_services
from . import figures, selectors, services
from .forms import AttachmentForm, NarrativeForm


def _today():
    return timezone.now().astimezone(VIETNAM).date()


@login_required
def report_index(request):
    movement = selectors.movement_for(request.user, today=_today())
    milestones = selectors.report_milestones(movement, today=_today())
    return render(
        request,
        "reports/unit_reports/index.html",
        {
            "movement": movement,
            "rows": selectors.my_reports(request.user, movement, today=_today()),
            "district": selectors.my_district(request.user),
            "is_dolisa": selectors.is_dolisa(request.user),
            "years": [m.deadline.year for m in milestones],
        },
    )


@login_required
@require_POST
def report_open(request):
    movement = selectors.movement_for(request.user, today=_today())
    try:
        unit = get_object_or_404(Unit, pk=int(request.POST.get("unit", "")))
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    try:
        report = services.open_report(user=request.user, movement=movement, unit=unit, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:unit_reports")
    return redirect(report)


def _typed_figures(data):
    return {key: data[key] for key in figures.FIGURE_KEYS if key in data}


@login_required
def report_detail(request, pk):
    report = selectors.report_for(request.user, pk)
    mine = selectors.files_for(request.user, report.unit)
    form = NarrativeForm(request.POST or None, instance=report) if mine else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            sections = {name: form.cleaned_data[name] for name in services.SECTIONS}
            try:
                if "submit" in request.POST:
                    services.submit_report(
                        user=request.user, report=report, sections=sections, typed_figures=_typed_figures(request.POST)
                    )
                    messages.success(request, _("The report was submitted."))
                else:
                    services.save_report(
                        user=request.user, report=report, sections=sections, typed_figures=_typed_figures(request.POST)
                    )
                    messages.success(request, _("The report was saved."))
                return redirect(report)
            except ValidationError as exc:
                apply_errors(form, exc)
        report = selectors.report_for(request.user, pk)
    values = selectors.shown_figures(report)
    return render(
        request,
        "reports/unit_reports/detail.html",
        {
            "report": report,
            "form": form if report.is_editable else None,
            "figure_rows": figures.rows(values),
            "live": report.is_editable,
            "actions": services.UNIT_REPORTS.actions(request.user, report),
            "history": selectors.history(report),
            "files": list(report.files.all()),
            "attachment_form": AttachmentForm() if mine and report.is_editable else None,
            "delivery": selectors.delivery(report),
            "receiver": selectors.receiver(report),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def report_step(request, pk, name):
    report = selectors.report_for(request.user, pk)
    if services.UNIT_REPORTS.user_step(name) is None or name == "submit":
        raise Http404
    try:
        services.review_report(user=request.user, report=report, name=name, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(report)
    messages.success(request, _("The report was %(label)s.") % {"label": services.UNIT_REPORTS.transition(name).label})
    return redirect(report)


@login_required
@require_POST
def report_attach(request, pk):
    report = selectors.report_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    form.is_valid()
    try:
        services.attach(user=request.user, report=report, file=form.cleaned_data.get("file"))
        messages.success(request, _("The file was attached."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(report)


@login_required
@require_POST
def report_file_remove(request, pk):
    attachment = selectors.file_for(request.user, pk)
    try:
        services.remove_file(user=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(attachment.report)


@login_required
def report_file(request, pk):
    attachment = selectors.file_for(request.user, pk)
    return FileResponse(attachment.file.open("rb"), filename=attachment.name)


@login_required
def report_pdf(request, pk):
    """The report as a Decree 30 document, for anyone who sees the report (a draft is marked and unnumbered)."""
    report = selectors.report_for(request.user, pk)
    pdf, filename = report_services.render_unit_report(report=report)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _year(request, movement):
    milestones = selectors.report_milestones(movement, today=_today())
    if not milestones:
        raise Http404
    try:
        year = int(request.GET.get("year") or milestones[0].deadline.year)
    except ValueError:
        raise Http404 from None
    return selectors.milestone_for(movement, year, today=_today()), [m.deadline.year for m in milestones]


@login_required
def district_inbox(request, pk):
    district = selectors.district_for(request.user, pk)
    movement = selectors.movement_for(request.user, today=_today())
    milestone, years = _year(request, movement)
    year = milestone.deadline.year
    own, values = selectors.own_figures(movement, district, year)
    return render(
        request,
        "reports/unit_reports/inbox.html",
        {
            "title": _("Reports of the communes of %(district)s") % {"district": district.name},
            "unit": district,
            "year": year,
            "years": years,
            "deadline": milestone.deadline,
            "rows": selectors.district_inbox(milestone.deadline, district),
            "own": own,
            "own_rows": figures.rows(values),
            "may_open_own": selectors.files_for(request.user, district),
        },
    )


@login_required
def dolisa_inbox(request):
    if not selectors.is_dolisa(request.user):
        raise Http404
    movement = selectors.movement_for(request.user, today=_today())
    if not any(policy.can(request.user, a, movement.province) for a in selectors.DOLISA_ACTIONS):
        raise Http404
    milestone, years = _year(request, movement)
    return render(
        request,
        "reports/unit_reports/inbox.html",
        {
            "title": _("Reports addressed to %(unit)s") % {"unit": movement.lead_unit.name},
            "unit": None,
            "year": milestone.deadline.year,
            "years": years,
            "deadline": milestone.deadline,
            "rows": selectors.dolisa_inbox(milestone.deadline, movement),
        },
    )


urlpatterns = [
    path("reports/unit-reports/", report_index, name="unit_reports"),
    path("reports/unit-reports/open/", report_open, name="unit_report_open"),
    path("reports/unit-reports/<int:pk>/", report_detail, name="unit_report"),
    path("reports/unit-reports/<int:pk>/report.pdf", report_pdf, name="unit_report_pdf"),
    path("reports/unit-reports/<int:pk>/step/<slug:name>/", report_step, name="unit_report_step"),
    path("reports/unit-reports/<int:pk>/files/", report_attach, name="unit_report_attach"),
    path("reports/unit-reports/files/<int:pk>/", report_file, name="unit_report_file"),
    path("reports/unit-reports/files/<int:pk>/remove/", report_file_remove, name="unit_report_file_remove"),
    path("reports/unit-reports/district/<int:pk>/", district_inbox, name="unit_report_district"),
    path("reports/unit-reports/inbox/", dolisa_inbox, name="unit_report_inbox"),
]
