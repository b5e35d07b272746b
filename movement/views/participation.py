"""Participation pages: a unit's registration, implementation plan and self-assessment, and the milestones'
status (who filed on time, late or not at all). Thin: parse, call a service or a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.params import query_id

from ..forms.participation import AssessmentForm, RegistrationForm, UnitPlanForm
from ..selectors import campaign
from ..selectors import participation as selectors
from ..services import participation as services


def _show_errors(form, exc):
    """A service's ValidationError on the form, by field when it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _unit_url(movement, unit):
    return reverse("movement:participation_unit", args=[movement.pk, unit.pk])


@login_required
def home(request):
    movement = campaign.current_movement(today=timezone.localdate())
    if movement is None:
        raise Http404
    units = list(selectors.my_units(request.user, movement))
    if len(units) == 1:
        return redirect(_unit_url(movement, units[0]))
    return render(request, "movement/participation/home.html", {"movement": movement, "units": units})


@login_required
def unit_page(request, movement, unit):
    movement = selectors.movement_for(movement)
    unit = selectors.unit_for(request.user, movement, unit)
    milestone = selectors.plan_milestone(movement)
    plan = selectors.plan_of(movement, unit)
    now = timezone.now()
    return render(
        request,
        "movement/participation/unit.html",
        {
            "movement": movement,
            "unit": unit,
            "milestone": milestone,
            "registration": selectors.registration_of(movement, unit),
            "registration_open": selectors.registration_open(milestone, unit, now),
            "plan": plan,
            "versions": list(selectors.plan_versions(plan)) if plan else [],
            "delivery": selectors.delivery(milestone, unit),
            "group": selectors.group_for(movement, unit),
            "years": selectors.assessment_years(movement, timezone.localdate()),
        },
    )


@login_required
def registration(request, movement, unit):
    movement = selectors.movement_for(movement)
    unit = selectors.unit_for(request.user, movement, unit)
    existing = selectors.registration_of(movement, unit)
    milestone = selectors.plan_milestone(movement)
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                services.register(user=request.user, movement=movement, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, _("The registration is saved."))
                return redirect(_unit_url(movement, unit))
    else:
        initial = {}
        if existing is not None:
            initial = {
                name: getattr(existing, name)
                for name in ("commitments", "households_to_lift", "support_pledged", "models_planned")
            }
        form = RegistrationForm(initial=initial)
    return render(
        request,
        "movement/participation/registration_form.html",
        {
            "movement": movement,
            "unit": unit,
            "form": form,
            "registration": existing,
            "milestone": milestone,
            "registration_open": existing is None or selectors.registration_open(milestone, unit, timezone.now()),
        },
    )


@login_required
def unit_plan(request, movement, unit):
    movement = selectors.movement_for(movement)
    unit = selectors.unit_for(request.user, movement, unit)
    plan = selectors.plan_of(movement, unit)
    if request.method == "POST":
        form = UnitPlanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.file_plan(user=request.user, movement=movement, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, _("The plan is filed."))
                return redirect(_unit_url(movement, unit))
    else:
        initial = {"number": plan.number, "signed_on": plan.signed_on, "signer": plan.signer} if plan else {}
        form = UnitPlanForm(initial=initial)
    return render(
        request,
        "movement/participation/plan_form.html",
        {
            "movement": movement,
            "unit": unit,
            "form": form,
            "plan": plan,
            "milestone": selectors.plan_milestone(movement),
        },
    )


def _download(field):
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


@login_required
def plan_file(request, movement, unit, version=None):
    movement = selectors.movement_for(movement)
    unit = selectors.filed_unit_for(request.user, movement, unit)
    plan = selectors.plan_of(movement, unit)
    if plan is None:
        raise Http404
    return _download(plan.file if version is None else selectors.plan_version(plan, version).file)


@login_required
def assessment(request, movement, unit, year):
    movement = selectors.movement_for(movement)
    unit = selectors.unit_for(request.user, movement, unit)
    if year not in selectors.assessment_years(movement, timezone.localdate()):
        raise Http404
    group = selectors.group_for(movement, unit)
    if group is None:
        raise Http404
    current = selectors.assessment_of(movement, unit, year)
    criteria = group.criteria.all()
    if request.method == "POST":
        form = AssessmentForm(request.POST, request.FILES, criteria=criteria)
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                services.save_assessment(
                    user=request.user, movement=movement, unit=unit, year=year, answers=form.answers(), submit=submit
                )
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                done = _("The self-assessment is submitted.") if submit else _("The draft is saved.")
                messages.success(request, done)
                return redirect(reverse("movement:assessment", args=[movement.pk, unit.pk, year]))
    else:
        initial = {}
        for answer in current.answers.all() if current else []:
            if answer.met is not None:
                initial[f"met_{answer.criterion_id}"] = "yes" if answer.met else "no"
            initial[f"comment_{answer.criterion_id}"] = answer.comment
        form = AssessmentForm(initial=initial, criteria=criteria)
    rows = selectors.assessment_rows(movement, unit, year, current, group)
    for row in rows:
        row.fields = [form[name] for name in form.fields if name.rsplit("_", 1)[-1] == str(row.criterion.pk)]
    return render(
        request,
        "movement/participation/assessment.html",
        {
            "movement": movement,
            "unit": unit,
            "year": year,
            "group": group,
            "assessment": current,
            "rows": rows,
            "form": form,
        },
    )


@login_required
def assessment_file(request, movement, unit, year, criterion):
    movement = selectors.movement_for(movement)
    unit = selectors.filed_unit_for(request.user, movement, unit)
    current = selectors.assessment_of(movement, unit, year)
    if current is None:
        raise Http404
    return _download(selectors.answer_for(current, criterion).file)


@login_required
def milestone_status(request):
    movement_pk = query_id(request.GET, "movement")
    movement = (
        selectors.movement_for(movement_pk) if movement_pk else campaign.current_movement(today=timezone.localdate())
    )
    if movement is None:
        raise Http404
    unit = selectors.follow_unit(request.user, movement, query_id(request.GET, "unit"))
    milestones = selectors.milestones(movement)
    chosen = query_id(request.GET, "milestone")
    milestone = next((m for m in milestones if m.pk == chosen), None) if chosen else None
    if chosen and milestone is None:
        raise Http404
    milestone = (
        milestone
        or next((m for m in milestones if m.kind == "unit_plan"), None)
        or (milestones[0] if milestones else None)
    )
    status = selectors.milestone_status(milestone, unit) if milestone else None
    parent = unit.parent if unit.parent_id and selectors.may_follow(request.user, unit.parent) else None
    return render(
        request,
        "movement/participation/milestones.html",
        {
            "movement": movement,
            "unit": unit,
            "parent": parent,
            "milestones": milestones,
            "milestone": milestone,
            "status": status,
            "labels": selectors.STATUS_LABELS,
        },
    )


urlpatterns = [
    path("participation/", home, name="participation"),
    path("<int:movement>/units/<int:unit>/", unit_page, name="participation_unit"),
    path("<int:movement>/units/<int:unit>/registration/", registration, name="registration"),
    path("<int:movement>/units/<int:unit>/plan/", unit_plan, name="unit_plan"),
    path("<int:movement>/units/<int:unit>/plan/file/", plan_file, name="plan_file"),
    path("<int:movement>/units/<int:unit>/plan/file/<int:version>/", plan_file, name="plan_version_file"),
    path("<int:movement>/units/<int:unit>/assessment/<int:year>/", assessment, name="assessment"),
    path(
        "<int:movement>/units/<int:unit>/assessment/<int:year>/<int:criterion>/file/",
        assessment_file,
        name="assessment_file",
    ),
    path("milestones/", milestone_status, name="milestones"),
]
