"""Registry screens: thin views that parse input, call a service or a selector, and render."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from common.params import query_id
from common.text import slug
from common.xlsx import xlsx_response
from units import policy
from units import selectors as unit_selectors
from units.roles import Action

from . import exports, figures, privacy, rules, sections, selectors, services
from .forms import (
    ArchiveForm,
    BulkForm,
    CommentForm,
    HeadForm,
    HouseholdForm,
    MemberForm,
    QueueFilterForm,
    ReopenForm,
    ReviewForm,
    YearForm,
    household_filters,
)
from .models import PovertyClass, Review, ReviewState
from .workflow import EDITABLE_STATES, REVIEWS

PAGE_SIZE = 50


def _saved_values(form):
    """(label, saved value as shown) of each field whose saved value differs from what the user typed: a form shown
    again after someone else's save, bound to the user's entries with the saved record as its initial values."""
    saved = []
    for name in form.changed_data:
        field, value = form.fields[name], form[name].initial
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, date):
            value = value.strftime("%d/%m/%Y")
        elif getattr(field, "choices", None) is not None and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        saved.append((field.label, value))
    return saved


def _filtered_households(request):
    form, year, filters = household_filters(request.user, request.GET, today=timezone.localdate())
    return form, year, selectors.household_list(request.user, year=year, **filters)


@login_required
def household_list(request):
    privacy.require_people(request.user)
    form, year, households = _filtered_households(request)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/household_list.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "query": query.urlencode(),
            "can_edit": policy.can_anywhere(request.user, Action.EDIT_REGISTRY),
            "editable_states": EDITABLE_STATES,
        },
    )


@login_required
def household_export(request):
    """The list as shown (one row per household); a list too big for a request is written by the worker."""
    privacy.require_people(request.user)
    _form, year, filters = household_filters(request.user, request.GET, today=timezone.localdate())
    households = selectors.household_list(request.user, year=year, **filters)
    if households.count() > settings.EXPORT_SYNC_MAX_HOUSEHOLDS:
        query = request.GET.copy()
        query.pop("page", None)
        return redirect(f"{reverse('imports:export_households')}?{query.urlencode()}")
    return xlsx_response(
        **exports.household_report(households, year),
        title=_("Households"),
        header=exports.household_header(),
        rows=exports.household_rows(households, year),
    )


@login_required
def household_create(request):
    villages = selectors.villages_for(request.user)
    form = HouseholdForm(
        request.POST or None, villages=villages, initial={"code": selectors.new_household_code(request.user)}
    )
    head = HeadForm(request.POST or None, prefix="head")
    if request.method == "POST" and form.is_valid() and head.is_valid():
        try:
            household = services.create_household(user=request.user, head=head.cleaned_data, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(head if hasattr(exc, "error_dict") and set(exc.error_dict) & set(head.fields) else form, exc)
        else:
            messages.success(request, _("Household %(code)s registered.") % {"code": household.code})
            _warn_member(request, household.members.get(relation="head"))
            return redirect(household)
    return render(request, "households/household_form.html", {"form": form, "head": head})


@login_required
def household_next_code(request):
    """The code to suggest for a new household of a village's commune (the form asks when the village changes)."""
    village = get_object_or_404(selectors.villages_for(request.user), pk=query_id(request.GET, "village") or 0)
    return JsonResponse({"code": selectors.next_household_code(village.parent)})


@login_required
def household_detail(request, pk):
    household = selectors.household_detail(request.user, pk)
    year = selectors.current_review_year(timezone.localdate())
    reviews = list(household.reviews.all())
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "reviews": reviews,
            "year": year,
            "has_this_year": any(r.year == year for r in reviews),
            "can_edit": policy.can(request.user, Action.EDIT_REGISTRY, household.village),
            "history": selectors.household_history(request.user, household),
            "archive_form": ArchiveForm(initial={"on": timezone.localdate()}),
            "sections": sections.for_household(request.user, household),
        },
    )


@login_required
def household_edit(request, pk):
    household = selectors.household_detail(request.user, pk)
    policy.require(request.user, Action.EDIT_REGISTRY, household.village)
    villages = selectors.villages_for(request.user)
    initial = {
        "version": household.version,
        "village": household.village,
        "code": household.code,
        "address": household.address,
    }
    form = HouseholdForm(request.POST or None, villages=villages, household=household, initial=initial)
    conflict, saved = False, []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_household(
                user=request.user,
                household=household,
                village=form.cleaned_data["village"],
                address=form.cleaned_data["address"],
                version=form.cleaned_data["version"],
            )
        except services.HouseholdChanged:
            conflict = True
            household = selectors.household_detail(request.user, pk)
            initial["version"] = household.version
            data = _with_version(request.POST, household.version)
            form = HouseholdForm(data, villages=villages, household=household, initial=initial)
            saved = _saved_values(form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Household saved."))
            return redirect(household)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household, "conflict": conflict, "saved": saved},
    )


@login_required
@require_POST
def household_archive(request, pk):
    household = selectors.household_detail(request.user, pk)
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            services.archive_household(user=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Household archived."))
    else:
        messages.error(request, _("Choose a reason and a date to archive the household."))
    return redirect(household)


@login_required
def member_edit(request, pk, member_pk=None):
    household = selectors.household_detail(request.user, pk)
    policy.require(request.user, Action.EDIT_REGISTRY, household.village)  # the form shows the full ID and birth date
    member = get_object_or_404(household.members.all(), pk=member_pk) if member_pk else None
    form = MemberForm(request.POST or None, instance=member)
    conflict, saved = False, []
    if request.method == "POST" and form.is_valid():
        try:
            saved_member = services.save_member(
                user=request.user, household=household, member=member, **form.cleaned_data
            )
        except services.MemberChanged:
            member = household.members.filter(pk=member_pk).first()
            if member is None:
                messages.error(request, _("Someone else removed this member while you were editing."))
                return redirect(household)
            conflict = True
            form = MemberForm(_with_version(request.POST, member.version), instance=member)
            saved = _saved_values(form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Member saved."))
            _warn_member(request, saved_member)
            return redirect(household)
    return render(
        request,
        "households/member_form.html",
        {"form": form, "household": household, "member": member, "conflict": conflict, "saved": saved},
    )


def _warn_member(request, member):
    """What the saved member's details say against each other (the CCCD, the age): shown, not blocking."""
    for problem in rules.member_problems(
        cccd=member.cccd,
        birth_date=member.birth_date,
        sex=member.sex,
        working_capacity=member.working_capacity,
        schooling=member.schooling,
        today=timezone.localdate(),
    ):
        messages.warning(request, problem)


@login_required
@require_POST
def review_start(request, pk):
    household = selectors.household_detail(request.user, pk)
    form = YearForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        review = services.start_review(
            user=request.user, household=household, year=form.cleaned_data["year"], today=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(household)
    return redirect(review)


@login_required
def review_edit(request, pk, year):
    review = selectors.review_for(request.user, pk, year)
    actions = REVIEWS.actions(request.user, review)
    # The answers can be changed exactly where the user may submit them.
    editable = "submit" in actions
    initial = {
        "version": review.version,
        "income": review.income,
        "deprived": review.deprived,
        "no_working_capacity": review.no_working_capacity,
        "social_protection": review.social_protection,
        "meritorious_service": review.meritorious_service,
        "ethnic_minority": review.ethnic_minority,
        "causes": list(review.causes.all()),
        "class_override": review.class_override,
        "class_reason": review.class_reason,
    }
    form = ReviewForm(request.POST or None, initial=initial, standard=review.standard)
    # A leader here is led on to the next review of the queue, whatever this one's state.
    can_recognise = policy.can(request.user, Action.RECOGNISE, review.household.village)
    conflict = False
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This review can no longer be changed."))
            return redirect(review)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.save_review(user=request.user, review=review, today=timezone.localdate(), **data)
            except services.ReviewChanged:
                conflict = True
                review.refresh_from_db()
                form = ReviewForm(_with_version(request.POST, review.version), standard=review.standard)
                form.is_valid()
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Review saved."))
                if "submit" in request.POST:
                    return _transition(request, review, "submit")
                return redirect(review)
    return render(
        request,
        "households/review_form.html",
        {
            "review": review,
            "household": review.household,
            "form": form,
            "editable": editable,
            "conflict": conflict,
            "actions": actions,
            "next_in_queue": selectors.next_in_queue(request.user, review) if can_recognise else None,
            "previous_class": selectors.previous_recognised_class(review) if "recognise" in actions else None,
            "comment_form": CommentForm(),
            "transitions": list(review.transitions.select_related("by")),
        },
    )


def _with_version(post, version):
    data = post.copy()
    data["version"] = str(version)
    return data


def _transition(request, review, name, comment=""):
    try:
        services.transition(user=request.user, review=review, name=name, comment=comment, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.ReviewChanged:
        messages.error(request, _("Someone changed this review meanwhile; check it and try again."))
    else:
        messages.success(request, _("Review %(action)s.") % {"action": REVIEWS.transitions[name].label})
    return redirect(review)


@login_required
@require_POST
def review_transition(request, pk, year, name):
    step = REVIEWS.user_step(name)
    if step is None:
        raise Http404
    review = selectors.review_for(request.user, pk, year)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["comment"]))
        return redirect(review)
    response = _transition(request, review, name, form.cleaned_data["comment"])
    if step.action == Action.RECOGNISE and review.state != ReviewState.SUBMITTED:
        return redirect(_safe_next(request, review.get_absolute_url()))
    return response


@login_required
@require_POST
def review_classify(request, pk, year):
    """Live class preview for the review form: the same pure rule the service applies."""
    review = selectors.review_for(request.user, pk, year)
    form = ReviewForm(request.POST, standard=review.standard)
    form.is_valid()
    income = form.cleaned_data.get("income")
    deprived = form.cleaned_data.get("deprived") or []
    if income is None:
        return JsonResponse(
            {"class": "", "label": _("Type the income to see the class."), "deprivations": len(deprived)}
        )
    klass = rules.classify(
        income=income, is_urban=review.is_urban, deprivations=len(deprived), standard=review.standard
    )
    return JsonResponse({"class": klass, "label": str(PovertyClass(klass).label), "deprivations": len(deprived)})


def _require_recognise(user):
    """Recognising and returning reviews is a commune leader's act: 403 for anyone holding no such role."""
    if not policy.can_anywhere(user, Action.RECOGNISE):
        raise PermissionDenied


@login_required
def leader_queue(request):
    _require_recognise(request.user)
    form = QueueFilterForm(request.GET, villages=selectors.villages_for(request.user))
    reviews = selectors.leader_queue(request.user, **form.filters())
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "households/queue.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "comment_form": CommentForm(),
            "actions": REVIEWS.offered(request.user, ReviewState.SUBMITTED),
        },
    )


def _safe_next(request, default):
    """The `next` address posted by a form when it stays on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def bulk_transition(request, name):
    step = REVIEWS.user_step(name)
    if step is None:
        raise Http404
    if step.action == Action.RECOGNISE:
        _require_recognise(request.user)
    visible = policy.restrict(request.user, Review.objects.all())
    form = BulkForm(request.POST, reviews=visible)
    back = _safe_next(request, reverse("households:list"))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    selected = Review.objects.filter(pk__in=[r.pk for r in form.cleaned_data["reviews"]])
    if name == "recognise" and not request.POST.get("confirmed"):
        return _confirm_recognition(request, selected, back)
    try:
        with transaction.atomic():
            moved, skipped = services.bulk_transition(
                user=request.user,
                reviews=selected,
                name=name,
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.ReviewChanged:
        messages.error(request, _("Some reviews changed meanwhile; nothing was changed. Try again."))
    else:
        text = _("%(moved)s review(s) %(action)s.") % {"moved": moved, "action": step.label}
        if skipped:
            text += " " + _("%(skipped)s skipped: they were not in a state that allows it.") % {"skipped": skipped}
        messages.success(request, text)
    return redirect(back)


def _confirm_recognition(request, selected, back):
    """Before a bulk recognition: how many households, how many change class from last year, and which."""
    reviews = selectors.leader_queue(request.user).filter(pk__in=selected.values("pk"))
    return render(
        request,
        "households/queue_confirm.html",
        {
            "reviews": reviews,
            "summary": selectors.queue_summary(reviews),
            "skipped": selected.count() - len(reviews),
            "comment": request.POST.get("comment", ""),
            "back": back,
        },
    )


@login_required
def review_progress(request):
    today = timezone.localdate()
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else selectors.current_review_year(today)
    roots = list(unit_selectors.visible_roots(request.user, day=today))
    unit_pk = query_id(request.GET, "unit")
    unit = unit_selectors.unit_for(request.user, unit_pk, day=today) if unit_pk else (roots[0] if roots else None)
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.PROGRESS_SORTS else "name"
    table = selectors.review_progress(request.user, year=year, unit=unit, sort=sort) if unit else None
    if table and request.GET.get("format") == "xlsx":
        return _progress_xlsx(unit, year, table)
    top = next((root for root in roots if unit and unit.path.startswith(root.path)), None)
    return render(
        request,
        "households/progress.html",
        {
            "year": year,
            "unit": unit,
            "table": table,
            "sort": sort,
            "sort_choices": [
                ("name", _("by name")),
                ("done", _("by share complete")),
                ("waiting", _("by households waiting")),
            ],
            "top": top,
            "districts": selectors.progress_districts(request.user, top, year=year) if top else [],
        },
    )


def _progress_header():
    return [
        _("District"),
        _("Commune"),
        _("Households"),
        _("Not started"),
        _("Draft"),
        _("Returned"),
        _("Submitted"),
        _("Recognised"),
        _("Locked"),
        _("Waiting for a result"),
        _("Share complete") + " (%)",
    ]


def _progress_cells(figures):
    return [
        figures["households"],
        figures["not_started"],
        figures["draft"],
        figures["returned"],
        figures["submitted"],
        figures["recognised"],
        figures["locked"],
        figures["waiting"],
        figures["done"],
    ]


def _progress_xlsx(unit, year, table):
    """The progress table as a report: the total, then each district's subtotal followed by its communes."""
    body = [[_("Total"), "", *_progress_cells(table.total)]]
    for group in table.groups:
        district = str(group.unit.name_then) if group.unit else ""
        if group.unit:
            body.append([district, _("All communes"), *_progress_cells(group.subtotal)])
        body += [[district, str(commune.name_then), *_progress_cells(figures)] for commune, figures in group.rows]
    title = _("Progress of the household review %(year)s") % {"year": year}
    return xlsx_response(
        filename=f"tien-do-ra-soat-{year}-{slug(unit.name_then)}.xlsx",
        title=_("Progress"),
        heading=[title, _("Unit: %(unit)s") % {"unit": unit.name_then}, _("Year: %(year)s") % {"year": year}],
        header=_progress_header(),
        rows=body,
    )


@login_required
def reopen(request):
    """An administrator reopens a closed review period for one commune, with a reason kept in history."""
    if not policy.can_anywhere(request.user, Action.MANAGE):
        raise Http404
    communes = policy.restrict(request.user, selectors.communes_for(request.user), action=Action.MANAGE)
    form = ReopenForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_period(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Review entry reopened for %(commune)s until %(until)s.")
                % {"commune": form.cleaned_data["commune"], "until": form.cleaned_data["until"].strftime("%d/%m/%Y")},
            )
            return redirect("households:progress")
    return render(request, "households/reopen.html", {"form": form})


@login_required
def movement(request):
    today = timezone.localdate()
    roots = list(unit_selectors.visible_roots(request.user, day=today))
    unit_pk = query_id(request.GET, "unit")
    if unit_pk:
        unit = unit_selectors.unit_for(request.user, unit_pk, day=today)
    elif roots:
        unit = roots[0]
    else:
        raise Http404
    years = selectors.movement_years(unit, today=today)
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else selectors.default_movement_year(years, today=today)
    finished = next((done for y, done, _results in years if y == year), year < selectors.current_review_year(today))
    rows, total = figures.movement_table(unit, year)
    if request.GET.get("format") == "xlsx":
        return _movement_xlsx(unit, year, finished, rows, total)
    return render(
        request,
        "households/movement.html",
        {
            "unit": unit,
            "year": year,
            "finished": finished,
            "rows": rows,
            "total": total,
            "pending_note": _pending_note(total.pending, year),
            "columns": range(1, 10),
            "labels": rules.MOVEMENT_COLUMNS,
            "years": years,
            "snapshot": selectors.figures_snapshot(year),
            "may_request_figures": services.may_request_figures(request.user),
            "ancestors": [
                a for a in unit_selectors.ancestors(unit, day=today) if policy.can(request.user, Action.VIEW, a)
            ],
        },
    )


@login_required
@require_POST
def figures_request(request):
    """Have the worker compute a year's figures snapshot now (DOLISA, administrators); back to the movement."""
    form = YearForm(request.POST)
    year = form.cleaned_data["year"] if form.is_valid() else None
    try:
        if year is None:
            raise ValidationError(_("Choose the year whose figures to compute."))
        services.request_figures(user=request.user, year=year, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The figures of %(year)s are being computed; reload the page in a minute to see when they were.")
            % {"year": year},
        )
    params = "&".join(
        f"{name}={value}" for name, value in (("unit", query_id(request.POST, "unit")), ("year", year)) if value
    )
    return redirect(reverse("households:movement") + (f"?{params}" if params else ""))


def _pending_note(count, year):
    if not count:
        return ""
    return ngettext(
        "%(n)s household that was on a list at the start of %(year)s has no recognised result for %(year)s yet: "
        "the review is not finished. Until it is recognised, it counts as an other decrease (column 4).",
        "%(n)s households that were on a list at the start of %(year)s have no recognised result for %(year)s yet: "
        "the review is not finished. Until they are recognised, they count as other decreases (column 4).",
        count,
    ) % {"n": count, "year": year}


def _movement_xlsx(unit, year, finished, rows, total):
    header = [_("Unit"), _("Table"), _("Measure")]
    header += [f"{c}. {_movement_heading(c)}" for c in range(1, 10)]
    header += [_("Share of households") + " (%)"]
    tables = (("poor", _("Poor households")), ("near", _("Near-poor households")))
    measures = (("households", _("households")), ("persons", _("persons")))
    body = [
        [str(row.unit.name_then if row.unit else _("Total")), str(table_label), str(measure_label)]
        + [row.get(table, measure, c) for c in range(1, 10)]
        + [row.rates[table] if measure == "households" else None]
        for row in [total, *rows]
        for table, table_label in tables
        for measure, measure_label in measures
    ]
    body.append([_rate_note()])
    if total.pending:
        body.append([_pending_note(total.pending, year)])  # the same warning as on the page
    title = _("Movement of poor and near-poor households, %(year)s") % {"year": year}
    if not finished:
        title += " (" + _("not finished") + ")"
    return xlsx_response(
        filename=f"dien-bien-ho-ngheo-{year}-{slug(unit.name_then)}.xlsx",
        title=_("Movement"),
        heading=[title, _("Unit: %(unit)s") % {"unit": unit.name_then}, _("Year: %(year)s") % {"year": year}],
        header=header,
        rows=body,
    )


def _movement_heading(column):
    """A column's name for both tables at once (the export puts them in one sheet)."""
    return {
        1: _("Start of the period"),
        2: _("Moved to the other list"),
        3: _("Rose above the near-poor line"),
        4: _("Other decreases"),
        5: _("Came from the other list"),
        6: _("Fell back (re-poor, re-near-poor)"),
        7: _("Newly arisen"),
        8: _("Other increases"),
        9: _("End of the period"),
    }[column]


def _rate_note():
    return _(
        "Share of households: households on the list at the end of the year (column 9) out of all households of the "
        "registry in the area that were not archived on 31 December of the year."
    )
