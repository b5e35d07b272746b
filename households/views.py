"""Registry screens: thin views that parse input, call a service or a selector, and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.params import query_id
from common.xlsx import xlsx_response
from units import policy
from units import selectors as unit_selectors
from units.forms import AsOfForm
from units.roles import Action

from . import exports, rules, selectors, services
from .forms import (
    ArchiveForm,
    BulkForm,
    CommentForm,
    HeadForm,
    HouseholdForm,
    MemberForm,
    ReopenForm,
    ReviewForm,
    YearForm,
    household_filters,
)
from .models import PovertyClass, Review
from .workflow import EDITABLE_STATES, TRANSITIONS

PAGE_SIZE = 50


def _apply_errors(form, exc):
    """Show a service's ValidationError on the form (by field when it names one)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _filtered_households(request):
    form, year, filters = household_filters(request.user, request.GET, today=timezone.localdate())
    return form, year, selectors.household_list(request.user, year=year, **filters)


@login_required
def household_list(request):
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
    _form, year, filters = household_filters(request.user, request.GET, today=timezone.localdate())
    households = selectors.household_list(request.user, year=year, **filters)
    if households.count() > settings.EXPORT_SYNC_MAX_HOUSEHOLDS:
        query = request.GET.copy()
        query.pop("page", None)
        return redirect(f"{reverse('imports:export_households')}?{query.urlencode()}")
    return xlsx_response(
        filename=f"ho-gia-dinh-{year}.xlsx",
        title=_("Households"),
        header=exports.household_header(),
        rows=exports.household_rows(households, year),
    )


@login_required
def household_create(request):
    villages = selectors.villages_for(request.user)
    form = HouseholdForm(request.POST or None, villages=villages)
    head = HeadForm(request.POST or None, prefix="head")
    if request.method == "POST" and form.is_valid() and head.is_valid():
        try:
            household = services.create_household(user=request.user, head=head.cleaned_data, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(head if hasattr(exc, "error_dict") and set(exc.error_dict) & set(head.fields) else form, exc)
        else:
            messages.success(request, _("Household %(code)s registered.") % {"code": household.code})
            return redirect(household)
    return render(request, "households/household_form.html", {"form": form, "head": head})


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
            "history": selectors.household_history(household),
            "archive_form": ArchiveForm(initial={"on": timezone.localdate()}),
        },
    )


@login_required
def household_edit(request, pk):
    household = selectors.household_detail(request.user, pk)
    policy.require(request.user, Action.EDIT_REGISTRY, household.village)
    form = HouseholdForm(
        request.POST or None,
        villages=selectors.villages_for(request.user),
        initial={"village": household.village, "code": household.code, "address": household.address},
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_household(
                user=request.user,
                household=household,
                village=form.cleaned_data["village"],
                address=form.cleaned_data["address"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Household saved."))
            return redirect(household)
    return render(request, "households/household_form.html", {"form": form, "household": household})


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
    member = get_object_or_404(household.members.all(), pk=member_pk) if member_pk else None
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_member(user=request.user, household=household, member=member, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Member saved."))
            return redirect(household)
    return render(request, "households/member_form.html", {"form": form, "household": household, "member": member})


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
    editable = review.state in EDITABLE_STATES and policy.can(
        request.user, Action.EDIT_REGISTRY, review.household.village
    )
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
                _apply_errors(form, exc)
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
            "can_recognise": policy.can(request.user, Action.RECOGNISE, review.household.village),
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
        messages.success(request, _("Review %(action)s.") % {"action": TRANSITIONS[name].label})
    return redirect(review)


@login_required
@require_POST
def review_transition(request, pk, year, name):
    if name not in TRANSITIONS:
        raise Http404
    review = selectors.review_for(request.user, pk, year)
    form = CommentForm(request.POST)
    if form.is_valid():
        response = _transition(request, review, name, form.cleaned_data["comment"])
    else:
        messages.error(request, " ".join(form.errors["comment"]))
        response = redirect(review)
    if name in ("return", "recognise") and request.POST.get("next") == "queue":
        return redirect("households:queue")
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


@login_required
def leader_queue(request):
    reviews = selectors.leader_queue(request.user)
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "households/queue.html", {"page": page, "comment_form": CommentForm()})


@login_required
@require_POST
def bulk_transition(request, name):
    if name not in TRANSITIONS:
        raise Http404
    visible = policy.restrict(request.user, Review.objects.all(), path_field="household__village__path")
    form = BulkForm(request.POST, reviews=visible)
    back = request.POST.get("next") or reverse("households:list")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        with transaction.atomic():
            moved, skipped = services.bulk_transition(
                user=request.user,
                reviews=Review.objects.filter(pk__in=[r.pk for r in form.cleaned_data["reviews"]]),
                name=name,
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.ReviewChanged:
        messages.error(request, _("Some reviews changed meanwhile; nothing was changed. Try again."))
    else:
        text = _("%(moved)s review(s) %(action)s.") % {"moved": moved, "action": TRANSITIONS[name].label}
        if skipped:
            text += " " + _("%(skipped)s skipped: they were not in a state that allows it.") % {"skipped": skipped}
        messages.success(request, text)
    return redirect(back)


@login_required
def review_progress(request):
    today = timezone.localdate()
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else selectors.current_review_year(today)
    roots = list(unit_selectors.visible_roots(request.user, day=today))
    unit_pk = query_id(request.GET, "unit")
    unit = unit_selectors.unit_for(request.user, unit_pk, day=today) if unit_pk else (roots[0] if roots else None)
    rows = selectors.review_progress(request.user, year=year, unit=unit) if unit else []
    return render(request, "households/progress.html", {"year": year, "unit": unit, "rows": rows})


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
            _apply_errors(form, exc)
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
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else selectors.current_review_year(today)
    roots = list(unit_selectors.visible_roots(request.user, day=today))
    unit_pk = query_id(request.GET, "unit")
    if unit_pk:
        unit = unit_selectors.unit_for(request.user, unit_pk, day=today)
    elif roots:
        unit = roots[0]
    else:
        raise Http404
    rows, total = selectors.movement_table(unit, year)
    if request.GET.get("format") == "xlsx":
        return _movement_xlsx(unit, year, rows, total)
    return render(
        request,
        "households/movement.html",
        {
            "unit": unit,
            "year": year,
            "rows": rows,
            "total": total,
            "pending_note": _pending_note(total.pending, year),
            "columns": range(1, 10),
            "as_of": AsOfForm(),
            "years": range(year - 4, year + 1),
        },
    )


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


def _movement_xlsx(unit, year, rows, total):
    header = [_("Unit"), _("Table"), _("Measure")] + [str(c) for c in range(1, 10)]
    tables = (("poor", _("Poor households")), ("near", _("Near-poor households")))
    measures = (("households", _("households")), ("persons", _("persons")))
    body = [
        [str(row.unit.name_then if row.unit else _("Total")), str(table_label), str(measure_label)]
        + [row.get(table, measure, c) for c in range(1, 10)]
        for row in [*rows, total]
        for table, table_label in tables
        for measure, measure_label in measures
    ]
    if total.pending:
        body.append([_pending_note(total.pending, year)])  # the same warning as on the page
    return xlsx_response(
        filename=f"dien-bien-ho-ngheo-{unit.pk}-{year}.xlsx", title=_("Movement"), header=header, rows=body
    )
