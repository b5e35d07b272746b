"""Unit browser: the tree as of a date, scoped to the user's units; the page behind a password-setting link."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.text import slug
from common.xlsx import xlsx_response

from . import policy, selectors, services
from .choices import UnitCategory, UnitKind
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


@login_required
def unit_export(request, pk):
    """The unit's subtree in force on the as-of date, one row per unit, in tree order."""
    day = AsOfForm(request.GET).day()
    unit = selectors.unit_for(request.user, pk, day=day)
    kinds, categories = dict(UnitKind.choices), dict(UnitCategory.choices)
    areas = {"urban": _("urban"), "rural": _("rural")}
    rows = (
        (
            str(kinds.get(kind, kind)),
            str(categories.get(category, "")),
            name,
            code,
            parent,
            str(areas.get(area, "")),
            valid_from,
            valid_to,
            successor,
        )
        for kind, category, name, code, parent, area, valid_from, valid_to, successor in selectors.subtree_export(
            request.user, unit, day=day
        ).iterator(chunk_size=2000)
    )
    header = [
        _("Kind"),
        _("Type"),
        _("Name"),
        _("Code"),
        _("Parent unit"),
        _("Urban or rural"),
        _("Valid from"),
        _("Valid to"),
        _("Successor"),
    ]
    return xlsx_response(
        filename=f"don-vi-{slug(unit.name_then)}-{day:%Y%m%d}.xlsx",
        title=_("Units"),
        heading=[
            _("Administrative units of %(unit)s") % {"unit": unit.name_then},
            _("As of %(day)s") % {"day": day.strftime("%d/%m/%Y")},
        ],
        header=header,
        rows=rows,
        widths=[16, 18, 36, 10, 36, 12, 12, 12, 30],
    )


class SetPasswordView(PasswordResetConfirmView):
    """The page behind an administrator's password-setting link; a new password also lifts a login lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.forgive_failed_logins(form.user)
        return response
