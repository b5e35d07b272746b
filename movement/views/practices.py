"""Pages of good practices (/movement/practices/…): the list, proposing and correcting one, its page with the
workflow's steps, its files, and the half-year lists sent to the Emulation Board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from common.xlsx import xlsx_response
from units import policy
from units.roles import Action

from ..forms.practices import CompileForm, EditPracticeForm, PracticeForm, StepForm
from ..models import PracticeKind, PracticeState
from ..selectors import campaign
from ..selectors import practices as selectors
from ..services import practices as services

PAGE_SIZE = 50


@login_required
def practice_list(request):
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    state = state if state in PracticeState.values else ""
    kind = kind if kind in PracticeKind.values else ""
    practices = selectors.filtered_practices(request.user, state=state, kind=kind).order_by("-updated_at", "-pk")
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "movement/practices/practice_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "state": state,
            "kind": kind,
            "states": PracticeState.choices,
            "kinds": PracticeKind.choices,
            "can_propose": bool(selectors.proposing_units(request.user)),
            "can_see_lists": policy.can_anywhere(request.user, Action.STEER)
            or policy.can_anywhere(request.user, Action.APPRAISE)
            or selectors.compilations_for(request.user).exists(),
        },
    )


@login_required
def practice_create(request):
    units = selectors.proposing_units(request.user)
    if not units:
        raise PermissionDenied
    form = PracticeForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        movement = campaign.current_movement(today=timezone.localdate())
        try:
            practice = services.create_practice(
                user=request.user,
                unit=form.cleaned_data["unit"],
                movement=movement,
                files=form.cleaned_data["files"],
                propose="propose" in request.POST,
                **form.practice_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if practice.state == PracticeState.PROPOSED:
                messages.success(request, _("Good practice proposed."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect(practice)
    return render(request, "movement/practices/practice_form.html", {"form": form, "practice": None})


@login_required
def practice_edit(request, pk):
    practice = selectors.practice_for(request.user, pk)
    policy.require(request.user, Action.REPORT, practice.unit)
    if practice.state not in services.EDITABLE_STATES:
        messages.error(request, _("Only a draft or a returned practice can be changed."))
        return redirect(practice)
    initial = {
        "title": practice.title,
        "kind": practice.kind,
        "description": practice.description,
        "results": practice.results,
        "households_out_of_poverty": practice.households_out_of_poverty,
        "people_employed": practice.people_employed,
        "value_mobilised": "" if practice.value_mobilised is None else str(practice.value_mobilised),
        "version": practice.version,
    }
    form = EditPracticeForm(request.POST or None, request.FILES or None, initial=initial, units=[practice.unit])
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.update_practice(
                user=request.user,
                practice=practice,
                version=form.cleaned_data["version"],
                files=form.cleaned_data["files"],
                **form.practice_fields(),
            )
            if "propose" in request.POST:
                practice = services.propose_practice(user=request.user, practice=practice)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if practice.state == PracticeState.PROPOSED:
                messages.success(request, _("Good practice proposed."))
            else:
                messages.success(request, _("Changes saved."))
            return redirect(practice)
    return render(request, "movement/practices/practice_form.html", {"form": form, "practice": practice})


@login_required
def practice_detail(request, pk):
    practice = selectors.practice_for(request.user, pk)
    return render(
        request,
        "movement/practices/practice_detail.html",
        {
            "practice": practice,
            "files": list(practice.files.all()),
            "history": selectors.history(practice),
            "actions": services.PRACTICES.actions(request.user, practice),
            "editable": practice.state in services.EDITABLE_STATES
            and policy.can(request.user, Action.REPORT, practice.unit),
            "step_form": StepForm(),
        },
    )


@login_required
@require_POST
def practice_step(request, pk, name):
    if services.PRACTICES.user_step(name) is None:
        raise Http404
    practice = selectors.practice_for(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["comment"]))
        return redirect(practice)
    try:
        services.transition(user=request.user, practice=practice, name=name, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = services.PRACTICES.transitions[name].label
        messages.success(request, _("Good practice %(action)s.") % {"action": label})
    return redirect(practice)


@login_required
def practice_file(request, pk):
    practice_file = selectors.practice_file_for(request.user, pk)
    return FileResponse(
        practice_file.file.open("rb"),
        as_attachment=not practice_file.is_image,
        filename=practice_file.name,
        content_type=practice_file.content_type,
    )


@login_required
@require_POST
def practice_file_remove(request, pk):
    practice_file = selectors.practice_file_for(request.user, pk)
    practice = practice_file.practice
    try:
        services.remove_practice_file(user=request.user, practice_file=practice_file)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File removed."))
    return redirect("movement:practice_edit", pk=practice.pk)


@login_required
def compilation_list(request):
    today = timezone.localdate()
    movement = campaign.current_movement(today=today)
    can_compile = movement is not None and policy.can(request.user, Action.STEER, movement.lead_unit)
    compilations = selectors.compilations_for(request.user)
    if not can_compile and not compilations.exists() and not policy.can_anywhere(request.user, Action.APPRAISE):
        raise Http404
    return render(
        request,
        "movement/practices/compilation_list.html",
        {
            "compilations": compilations,
            "half_years": selectors.half_years(movement, today) if can_compile else [],
            "can_compile": can_compile,
        },
    )


@login_required
@require_POST
def compilation_create(request):
    movement = campaign.current_movement(today=timezone.localdate())
    form = CompileForm(request.POST)
    if movement is None or not form.is_valid():
        raise Http404
    try:
        compilation = services.compile_half_year(
            user=request.user, movement=movement, year=form.cleaned_data["year"], half=form.cleaned_data["half"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("movement:compilations")
    messages.success(request, _("The list was sent to the Emulation Board."))
    return redirect(compilation)


@login_required
def compilation_detail(request, pk):
    compilation = selectors.compilation_for(request.user, pk)
    return render(
        request,
        "movement/practices/compilation_detail.html",
        {"compilation": compilation, "practices": selectors.compiled_practices(compilation)},
    )


@login_required
def compilation_xlsx(request, pk):
    compilation = selectors.compilation_for(request.user, pk)
    practices = selectors.compiled_practices(compilation)
    lead = compilation.movement.lead_unit
    return xlsx_response(
        filename=f"mo-hinh-cach-lam-hay-{compilation.year}-{compilation.half}.xlsx",
        title=_("Good practices"),
        heading=(
            str(compilation),
            lead.name,
            _("Sent to the Emulation Board on %(day)s")
            % {"day": timezone.localtime(compilation.sent_at).strftime("%d/%m/%Y")},
        ),
        header=(
            _("No. in the list"),
            _("Proposing unit"),
            _("Name of the practice"),
            _("Kind of practice"),
            _("Results achieved"),
            _("Households helped out of poverty"),
            _("People given jobs"),
            _("Value mobilised (VND)"),
            _("Selected on"),
        ),
        widths=(6, 36, 48, 22, 60, 14, 14, 18, 14),
        rows=(
            (
                n,
                practice.unit.name,
                practice.title,
                practice.get_kind_display(),
                practice.results,
                practice.households_out_of_poverty,
                practice.people_employed,
                practice.value_mobilised,
                timezone.localtime(practice.selected_at).date(),
            )
            for n, practice in enumerate(practices, 1)
        ),
    )


urlpatterns = [
    path("practices/", practice_list, name="practices"),
    path("practices/new/", practice_create, name="practice_new"),
    path("practices/<int:pk>/", practice_detail, name="practice"),
    path("practices/<int:pk>/edit/", practice_edit, name="practice_edit"),
    path("practices/<int:pk>/<slug:name>/", practice_step, name="practice_step"),
    path("practices/files/<int:pk>/", practice_file, name="practice_file"),
    path("practices/files/<int:pk>/remove/", practice_file_remove, name="practice_file_remove"),
    path("practices/lists/", compilation_list, name="compilations"),
    path("practices/lists/new/", compilation_create, name="compile"),
    path("practices/lists/<int:pk>/", compilation_detail, name="compilation"),
    path("practices/lists/<int:pk>/xlsx/", compilation_xlsx, name="compilation_xlsx"),
]
