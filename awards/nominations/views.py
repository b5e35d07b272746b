"""Pages of the nominations (/awards/…): a user's lists and the opening of one; a list with its nominees, the
council's vote and its minutes; a nominee's dossier (its fields, claims with their evidence, files, the checks'
findings, its history and the steps the user may take); the inboxes of the district, DOLISA and the Board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.forms import apply_errors
from deadlines.rules import VIETNAM
from units import policy
from units.roles import Action

from ..workflow import NOMINEES
from . import selectors, services
from .forms import ClaimForm, CouncilForm, FileForm, NomineeForm, OpenForm

INBOX_TITLES = {
    selectors.DISTRICT: gettext_lazy("Nominees sent by the communes"),
    selectors.DOLISA: gettext_lazy("Nominees awaiting DOLISA's selection"),
    selectors.BOARD: gettext_lazy("Nominees awaiting the Emulation Board's appraisal"),
}


def _error(request, exc):
    messages.error(request, " ".join(exc.messages))


@login_required
def index(request):
    units = selectors.my_units(request.user)
    inboxes = selectors.inboxes(request.user)
    if not units and not inboxes:
        raise Http404
    today = timezone.now().astimezone(VIETNAM).date()
    form = OpenForm(request.POST or None, occasions=selectors.open_occasions(today), units=units)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.open_nomination(
                user=request.user, occasion=form.cleaned_data["occasion"], unit=form.cleaned_data["unit"]
            )
            return redirect(nomination)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(
        request,
        "awards/nominations/index.html",
        {
            "lists": selectors.my_lists(request.user),
            "form": form if units else None,
            "inboxes": [(stage, INBOX_TITLES[stage]) for stage in inboxes],
        },
    )


@login_required
def nomination_detail(request, pk):
    nomination = selectors.nomination_for(request.user, pk)
    mine = selectors.nominates_for(request.user, nomination.unit)
    collectives = selectors.collectives(nomination)
    form = NomineeForm(request.POST or None, collectives=collectives, prefix="nominee") if mine else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                nominee = services.add_nominee(user=request.user, nomination=nomination, data=form.cleaned_data)
                messages.success(request, _("The nominee was added; now complete the dossier."))
                return redirect(nominee)
            except ValidationError as exc:
                apply_errors(form, exc)
    council = CouncilForm(
        initial={
            "council_date": nomination.council_date,
            "votes_for": nomination.votes_for,
            "votes_total": nomination.votes_total,
        }
    )
    return render(
        request,
        "awards/nominations/nomination.html",
        {
            "nomination": nomination,
            "nominees": selectors.nominees_of(nomination),
            "mine": mine,
            "form": form,
            "council": council if mine else None,
        },
    )


@login_required
@require_POST
def nomination_council(request, pk):
    nomination = selectors.nomination_for(request.user, pk)
    form = CouncilForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(nomination)
    try:
        services.save_council(user=request.user, nomination=nomination, **form.cleaned_data)
        messages.success(request, _("The council's vote was recorded."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(nomination)


@login_required
@require_POST
def nomination_submit(request, pk):
    nomination = selectors.nomination_for(request.user, pk)
    try:
        ids = services.submit_nomination(user=request.user, nomination=nomination)
        messages.success(request, _("%(count)s nominees were submitted.") % {"count": len(ids)})
    except ValidationError as exc:
        _error(request, exc)
    return redirect(nomination)


@login_required
def minutes_file(request, pk):
    nomination = selectors.nomination_for(request.user, pk)
    if not nomination.minutes:
        raise Http404
    return FileResponse(nomination.minutes.open("rb"), filename=nomination.minutes_name)


@login_required
def nominee_detail(request, pk):
    nominee = selectors.nominee_for(request.user, pk)
    nomination = nominee.nomination
    editable = selectors.nominates_for(request.user, nomination.unit) and nominee.state in selectors.EDITABLE
    collectives = selectors.collectives(nomination)
    form = None
    if editable:
        form = NomineeForm(
            request.POST or None, collectives=collectives, prefix="nominee", initial=NomineeForm.initial_for(nominee)
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.update_nominee(user=request.user, nominee=nominee, data=form.cleaned_data)
                messages.success(request, _("The nominee was saved."))
                return redirect(nominee)
            except ValidationError as exc:
                apply_errors(form, exc)
    criteria = selectors.criteria(nomination.occasion)
    return render(
        request,
        "awards/nominations/nominee.html",
        {
            "nominee": nominee,
            "nomination": nomination,
            "form": form,
            "claim_form": ClaimForm(criteria=criteria, prefix="claim") if editable else None,
            "file_form": FileForm(prefix="file") if editable else None,
            "editable": editable,
            "steps": [s for s in NOMINEES.available(request.user, nominee) if s.name in services.STEPS],
            "history": selectors.history(nominee),
            "identity": policy.can(request.user, Action.VIEW_IDENTITY, nomination.unit),
        },
    )


@login_required
@require_POST
def nominee_remove(request, pk):
    nominee = selectors.nominee_for(request.user, pk)
    try:
        services.remove_nominee(user=request.user, nominee=nominee)
    except ValidationError as exc:
        _error(request, exc)
        return redirect(nominee)
    messages.success(request, _("The nominee was removed."))
    return redirect(nominee.nomination)


@login_required
@require_POST
def nominee_claim(request, pk):
    nominee = selectors.nominee_for(request.user, pk)
    form = ClaimForm(request.POST, criteria=selectors.criteria(nominee.nomination.occasion), prefix="claim")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(nominee)
    try:
        claim = services.add_claim(user=request.user, nominee=nominee, **form.cleaned_data)
        if claim.contradicted:
            messages.warning(request, _("The records contradict this claim; it is flagged to the appraiser."))
        else:
            messages.success(request, _("The criterion was claimed."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(nominee)


@login_required
@require_POST
def claim_remove(request, pk, claim_pk):
    nominee = selectors.nominee_for(request.user, pk)
    claim = next((c for c in nominee.claims.all() if c.pk == claim_pk), None)
    if claim is None:
        raise Http404
    try:
        services.remove_claim(user=request.user, claim=claim)
    except ValidationError as exc:
        _error(request, exc)
    return redirect(nominee)


@login_required
@require_POST
def nominee_attach(request, pk):
    nominee = selectors.nominee_for(request.user, pk)
    form = FileForm(request.POST, request.FILES, prefix="file")
    form.is_valid()
    try:
        services.attach(
            user=request.user, nominee=nominee, kind=form.cleaned_data.get("kind"), file=form.cleaned_data.get("file")
        )
        messages.success(request, _("The file was attached."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(nominee)


@login_required
def nominee_file(request, pk):
    attachment = selectors.file_for(request.user, pk)
    return FileResponse(attachment.file.open("rb"), filename=attachment.name)


@login_required
@require_POST
def nominee_file_remove(request, pk):
    attachment = selectors.file_for(request.user, pk)
    try:
        services.remove_file(user=request.user, attachment=attachment)
    except ValidationError as exc:
        _error(request, exc)
    return redirect(attachment.nominee)


@login_required
@require_POST
def nominee_step(request, pk, name):
    nominee = selectors.nominee_for(request.user, pk)
    if name not in services.STEPS:
        raise Http404
    try:
        services.take_step(
            user=request.user,
            nominee=nominee,
            name=name,
            comment=request.POST.get("comment", ""),
            justification=request.POST.get("justification", ""),
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect(request.POST.get("next") if request.POST.get("next") in _inbox_urls() else nominee)
    messages.success(
        request,
        _("“%(name)s” was %(label)s.") % {"name": nominee.display_name, "label": NOMINEES.transition(name).label},
    )
    return redirect(request.POST.get("next") if request.POST.get("next") in _inbox_urls() else nominee)


def _inbox_urls():
    return {reverse("awards:inbox", args=[stage]) for stage in selectors.INBOXES}


@login_required
def inbox(request, stage):
    if stage not in selectors.INBOXES or stage not in selectors.inboxes(request.user):
        raise Http404
    nominees = list(selectors.inbox(request.user, stage))
    rows = [(n, [s for s in NOMINEES.available(request.user, n) if s.name in services.STEPS]) for n in nominees]
    return render(
        request,
        "awards/nominations/inbox.html",
        {"title": INBOX_TITLES[stage], "stage": stage, "rows": rows},
    )


urlpatterns = [
    path("", index, name="index"),
    path("lists/<int:pk>/", nomination_detail, name="nomination"),
    path("lists/<int:pk>/council/", nomination_council, name="nomination_council"),
    path("lists/<int:pk>/submit/", nomination_submit, name="nomination_submit"),
    path("lists/<int:pk>/minutes/", minutes_file, name="nomination_minutes"),
    path("nominees/<int:pk>/", nominee_detail, name="nominee"),
    path("nominees/<int:pk>/remove/", nominee_remove, name="nominee_remove"),
    path("nominees/<int:pk>/claims/", nominee_claim, name="nominee_claim"),
    path("nominees/<int:pk>/claims/<int:claim_pk>/remove/", claim_remove, name="claim_remove"),
    path("nominees/<int:pk>/files/", nominee_attach, name="nominee_attach"),
    path("nominees/<int:pk>/step/<slug:name>/", nominee_step, name="nominee_step"),
    path("files/<int:pk>/", nominee_file, name="nominee_file"),
    path("files/<int:pk>/remove/", nominee_file_remove, name="nominee_file_remove"),
    path("inbox/<slug:stage>/", inbox, name="inbox"),
]
