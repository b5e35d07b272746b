"""Reads of the unit tree, already scoped by the access policy and dated."""

from dataclasses import dataclass

import pghistory.models
from django.contrib.auth.tokens import default_token_generator as token_generator
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from common import history

from . import policy
from .choices import URBAN_COMMUNE_CATEGORIES, UnitKind
from .models import Membership, Unit, UnitName, natural_order


def _name_as_of(day):
    """The name in force on `day`: the earliest former name whose last day is on or after it, else the name."""
    former = UnitName.objects.filter(unit=OuterRef("pk"), valid_to__gte=day).order_by("valid_to").values("name")[:1]
    return Coalesce(Subquery(former), F("name"))


def named_as_of(queryset, day):
    """Annotate each unit with `name_then`, the name it carried on `day`."""
    return queryset.annotate(name_then=_name_as_of(day))


def _descendants_count(kind, day):
    below = (
        Unit.objects.active_on(day)
        .filter(kind=kind, path__startswith=OuterRef("path"))
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values(dummy=Value(1))
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(below, output_field=IntegerField()), 0)


def visible_roots(user, *, day):
    """The top units of the user's scope, as of `day`."""
    prefixes = policy.scope_paths(user)
    roots = Unit.objects.active_on(day)
    roots = roots.filter(parent__isnull=True) if prefixes is None else roots.filter(path__in=prefixes)
    return named_as_of(roots, day)


def unit_for(user, pk, *, day):
    return policy.get_or_404(user, named_as_of(Unit.objects.select_related("parent", "successor"), day), pk=pk)


def children(unit, *, day):
    """Sub-units in force on `day`, each with the communes and villages under it."""
    return (
        Unit.objects.active_on(day)
        .filter(parent=unit)
        .annotate(
            name_then=_name_as_of(day),
            commune_count=_descendants_count(UnitKind.COMMUNE, day),
            village_count=_descendants_count(UnitKind.VILLAGE, day),
        )
        .order_by("kind", "code", *natural_order())
    )


def subtree_counts(unit, *, day):
    """How many units of each kind lie under `unit` on `day` (one aggregate query)."""
    kinds = [UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.VILLAGE]
    return (
        Unit.objects.active_on(day)
        .filter(path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .aggregate(**{kind.value: Count("pk", filter=Q(kind=kind)) for kind in kinds})
    )


def communes_by_district(unit, *, day):
    """Communes under `unit` on `day`, grouped by their district: [(district, [commune, ...]), ...]."""
    communes = (
        Unit.objects.active_on(day)
        .filter(kind=UnitKind.COMMUNE, path__startswith=unit.path)
        .select_related("parent")
        .annotate(name_then=_name_as_of(day))
        .order_by("parent__code", "code")
    )
    groups = {}
    for commune in communes:
        groups.setdefault(commune.parent, []).append(commune)
    return list(groups.items())


def ancestors(unit, *, day):
    return list(named_as_of(Unit.objects.filter(pk__in=unit.ancestor_ids), day).order_by("path"))


def unit_history(unit, *, limit=50):
    """Who changed the unit or its memberships, and when (newest first), with readable changes."""
    events = list(
        pghistory.models.MiddlewareEvents.objects.references(unit)
        .filter(Q(pgh_obj_model="units.Membership") | Q(pgh_obj_model="units.Unit", pgh_obj_id=str(unit.pk)))
        .order_by("-pgh_created_at")[:limit]
    )
    return history.describe(events, {"units.Unit": Unit, "units.Membership": Membership}, hidden={"id", "path"})


def members_of(unit):
    return Membership.objects.filter(unit=unit).select_related("user").order_by("role", "user__username")


def scope_label(user):
    """A short line naming the units a user acts for, for the page header."""
    return ", ".join(sorted({m.unit.short_name or m.unit.name for m in policy.memberships(user)}))


def subtree_export(user, unit, *, day):
    """The units under `unit` (itself included) in force on `day`, in tree order, as value tuples for an export:
    kind, type, name then, code, parent's name then, urban or rural, valid from, valid to, successor."""
    parent_former = (
        UnitName.objects.filter(unit=OuterRef("parent_id"), valid_to__gte=day).order_by("valid_to").values("name")[:1]
    )
    urban = list(URBAN_COMMUNE_CATEGORIES)
    units = policy.restrict(user, Unit.objects.active_on(day).filter(path__startswith=unit.path))
    return (
        units.annotate(
            name_then=_name_as_of(day),
            parent_then=Coalesce(Subquery(parent_former), F("parent__name")),
            area=Case(
                When(kind=UnitKind.COMMUNE, category__in=urban, then=Value("urban")),
                When(kind=UnitKind.VILLAGE, parent__category__in=urban, then=Value("urban")),
                When(kind__in=[UnitKind.COMMUNE, UnitKind.VILLAGE], then=Value("rural")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .order_by("path")
        .values_list(
            "kind", "category", "name_then", "code", "parent_then", "area", "valid_from", "valid_to", "successor__name"
        )
    )


@dataclass(frozen=True)
class PasswordLink:
    user: object
    path: str


def password_links(actor, users):
    """For each account in `users` that `actor` administers, the path of a page where its owner sets their own
    password (an imported account has none yet; a forgotten one is replaced the same way). Nothing is written and
    no password is made: Django's reset token works once, until the password changes or the owner signs in, and
    expires after PASSWORD_RESET_TIMEOUT."""
    allowed = (
        policy.manageable_users(actor, users)
        .prefetch_related(None)  # the caller's own prefetches (the admin list's) give way to this one
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("unit").order_by("unit__path")))
        .order_by("last_name", "first_name", "username")
    )
    return [PasswordLink(user, _password_path(user)) for user in allowed]


def _password_path(user):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token_generator.make_token(user)})
