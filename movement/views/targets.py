"""The targets page: DOLISA sets the province's target and its districts' (the province's table) and a district's
communes' (the district's table). Only those who steer the movement (Action.STEER) reach it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.params import query_id
from units import policy
from units import selectors as unit_selectors
from units.roles import Action

from ..forms.targets import TargetTableForm
from ..selectors import targets as selectors
from ..services import targets as services


@login_required
def targets(request):
    if not policy.can_anywhere(request.user, Action.STEER):
        raise Http404
    today = timezone.localdate()
    unit_pk = query_id(request.GET, "unit")
    if unit_pk:
        parent = unit_selectors.unit_for(request.user, unit_pk, day=today)
    else:
        parent = next(iter(unit_selectors.visible_roots(request.user, day=today)), None)
        if parent is None:
            raise Http404
        parent = unit_selectors.unit_for(request.user, parent.pk, day=today)
    if parent.kind not in selectors.CHILD_KIND:
        raise Http404
    policy.require(request.user, Action.STEER, parent)
    movement = selectors.current_movement(parent, today=today)
    rows = selectors.target_table(movement, parent, day=today)
    form = TargetTableForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.set_targets(user=request.user, movement=movement, entries=form.entries)
        except ValidationError as exc:
            form.add_row_errors(exc.message_dict)
        else:
            messages.success(request, _("Targets saved (%(n)s changed).") % {"n": changed})
            return redirect(f"{reverse('movement:targets')}?unit={parent.pk}")
    ancestors = [a for a in unit_selectors.ancestors(parent, day=today) if policy.can(request.user, Action.STEER, a)]
    return render(
        request,
        "movement/targets/targets.html",
        {"movement": movement, "parent": parent, "form": form, "ancestors": ancestors},
    )


urlpatterns = [path("targets/", targets, name="targets")]
