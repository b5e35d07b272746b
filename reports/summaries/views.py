"""Pages of the yearly summary (/reports/summaries/…): DOLISA's years with their summaries and the Board's
received summaries; a summary (tables, narrative, compile again, submit, the Board's steps, history, its PDFs and
Excel annexes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from deadlines.rules import VIETNAM

from ..unit_reports import selectors as report_selectors
from . import exports, selectors, services
from .forms import SummaryNarrativeForm
from .tables import ANNEX_FILES


def _today():
    return timezone.now().astimezone(VIETNAM).date()


@login_required
def summary_index(request):
    movement = report_selectors.movement_for(request.user, today=_today())
    compiles = selectors.compiles(request.user, movement.lead_unit)
    receives = selectors.receives(request.user, movement.lead_unit)
    if not compiles and not receives:
        raise Http404
    summaries = selectors.summaries_of(movement)
    years = (
        [(m.deadline, summaries.get(m.deadline.year)) for m in selectors.summary_milestones(movement, today=_today())]
        if compiles
        else []
    )
    return render(
        request,
        "reports/summaries/index.html",
        {
            "movement": movement,
            "compiles": compiles,
            "years": years,
            "received": list(selectors.received(request.user)) if receives else [],
        },
    )


@login_required
@require_POST
def summary_open(request):
    movement = report_selectors.movement_for(request.user, today=_today())
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    try:
        summary = services.open_summary(user=request.user, movement=movement, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:summaries")
    return redirect(summary)


def _sections(form):
    return {name: form.cleaned_data[name] for name in services.SECTIONS}


@login_required
def summary_detail(request, pk):
    summary = selectors.summary_for(request.user, pk)
    compiles = selectors.compiles(request.user, summary.issuer)
    form = SummaryNarrativeForm(request.POST or None, instance=summary) if compiles and summary.is_editable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if "submit" in request.POST:
                    services.submit_summary(user=request.user, summary=summary, sections=_sections(form))
                    messages.success(request, _("The summary was submitted to the Emulation Board."))
                else:
                    summary = services.save_summary(user=request.user, summary=summary, sections=_sections(form))
                    if "compile" in request.POST:
                        services.compile_summary(user=request.user, summary=summary)
                        messages.success(request, _("The narrative was saved and the tables compiled again."))
                    else:
                        messages.success(request, _("The summary was saved."))
                return redirect(summary)
            except ValidationError as exc:
                apply_errors(form, exc)
        summary = selectors.summary_for(request.user, pk)
    return render(
        request,
        "reports/summaries/detail.html",
        {
            "summary": summary,
            "form": form,
            "tables": selectors.shown_tables(summary),
            "annexes": [
                (name, summary.figures.get("annexes", {}).get(name, {}).get("title", "")) for name in ANNEX_FILES
            ],
            "actions": services.SUMMARIES.actions(request.user, summary),
            "history": selectors.history(summary),
            "delivery": selectors.delivery(summary),
            "documents": selectors.documents(summary),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def summary_step(request, pk, name):
    summary = selectors.summary_for(request.user, pk)
    if services.SUMMARIES.user_step(name) is None or name == "submit":
        raise Http404
    try:
        services.review_summary(user=request.user, summary=summary, name=name, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(summary)
    messages.success(request, _("The summary was %(label)s.") % {"label": services.SUMMARIES.transition(name).label})
    return redirect(summary)


@login_required
@require_POST
def summary_document(request, pk):
    """The summary's Decree 30 PDF, rendered by the worker; its page shows progress and the download."""
    summary = selectors.summary_for(request.user, pk)
    return redirect(services.request_pdf(user=request.user, summary=summary))


@login_required
def summary_annex(request, pk, name):
    summary = selectors.summary_for(request.user, pk)
    return exports.annex_xlsx(summary, name, selectors.annex(summary, name))


urlpatterns = [
    path("reports/summaries/", summary_index, name="summaries"),
    path("reports/summaries/open/", summary_open, name="summary_open"),
    path("reports/summaries/<int:pk>/", summary_detail, name="summary"),
    path("reports/summaries/<int:pk>/step/<slug:name>/", summary_step, name="summary_step"),
    path("reports/summaries/<int:pk>/document/", summary_document, name="summary_document"),
    path("reports/summaries/<int:pk>/annex/<slug:name>.xlsx", summary_annex, name="summary_annex"),
]
