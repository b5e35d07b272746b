"""Unit browser: the tree as of a date, scoped to the user's units."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import policy, selectors
from .forms import AsOfForm
from .roles import Action


@login_required
def unit_list(request):
    form = AsOfForm(request.GET)
    day = form.day()
    roots = list(selectors.visible_roots(request.user, day=day))
    if len(roots) == 1:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(f"{roots[0].get_absolute_url()}{query}")
    return render(request, "units/unit_list.html", {"form": form, "day": day, "roots": roots})


@login_required
def unit_detail(request, pk):
    form = AsOfForm(request.GET)
    day = form.day()
    unit = selectors.unit_for(request.user, pk, day=day)
    context = {
        "form": form,
        "day": day,
        "unit": unit,
        "active": unit.is_active_on(day),
        "ancestors": [(a, policy.can(request.user, Action.VIEW, a)) for a in selectors.ancestors(unit, day=day)],
        "children": selectors.children(unit, day=day),
        "counts": selectors.subtree_counts(unit, day=day),
        "predecessors": unit.predecessors.order_by("name"),
        "members": selectors.members_of(unit),
        "history": selectors.unit_history(unit),
    }
    return render(request, "units/unit_detail.html", context)
