"""Roles a user can hold in a unit, and what each role may do where: the data behind the one access policy."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import UnitKind


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COMMUNE_LEADER = "commune_leader", _("Commune leader")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    UNIT_REPORTER = "unit_reporter", _("Unit reporter")
    DOLISA_STAFF = "dolisa_staff", _("DOLISA staff")
    EMULATION_BOARD = "emulation_board", _("Emulation Board member")
    ADMIN = "admin", _("Administrator")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    EDIT_REGISTRY = "edit_registry", _("enter households and reviews")
    RECOGNISE = "recognise", _("recognise review results")
    REPORT = "report", _("file unit reports")
    COMPILE = "compile", _("compile the provincial summary")
    APPRAISE = "appraise", _("appraise nominations")
    IMPORT = "import", _("import rosters")
    MANAGE = "manage", _("manage units and users")


class Scope(models.TextChoices):
    SUBTREE = "subtree", _("the unit and the units under it")
    PROVINCE = "province", _("the whole province")


@dataclass(frozen=True)
class RoleRule:
    scope: Scope
    unit_kinds: frozenset
    actions: frozenset


_REPORTING_KINDS = frozenset(
    {
        UnitKind.DEPARTMENT,
        UnitKind.FRONT,
        UnitKind.MASS_ORG,
        UnitKind.ENTERPRISE,
        UnitKind.BANK,
        UnitKind.COOPERATIVE,
        UnitKind.COUNCIL,
        UnitKind.LEADERSHIP,
    }
)
_PROVINCIAL_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DEPARTMENT})

ROLE_RULES = {
    # Commune officers keep the registry, so they may also load their own commune's Excel rosters.
    Role.COMMUNE_OFFICER: RoleRule(
        Scope.SUBTREE,
        frozenset({UnitKind.COMMUNE}),
        frozenset({Action.VIEW, Action.EDIT_REGISTRY, Action.REPORT, Action.IMPORT}),
    ),
    Role.COMMUNE_LEADER: RoleRule(
        Scope.SUBTREE,
        frozenset({UnitKind.COMMUNE}),
        frozenset({Action.VIEW, Action.RECOGNISE, Action.REPORT}),
    ),
    Role.DISTRICT_OFFICER: RoleRule(
        Scope.SUBTREE, frozenset({UnitKind.DISTRICT}), frozenset({Action.VIEW, Action.REPORT, Action.IMPORT})
    ),
    Role.UNIT_REPORTER: RoleRule(Scope.SUBTREE, _REPORTING_KINDS, frozenset({Action.VIEW, Action.REPORT})),
    Role.DOLISA_STAFF: RoleRule(
        Scope.PROVINCE, _PROVINCIAL_KINDS, frozenset({Action.VIEW, Action.COMPILE, Action.IMPORT})
    ),
    Role.EMULATION_BOARD: RoleRule(
        Scope.PROVINCE, _PROVINCIAL_KINDS | {UnitKind.COUNCIL}, frozenset({Action.VIEW, Action.APPRAISE})
    ),
    Role.ADMIN: RoleRule(Scope.PROVINCE, _PROVINCIAL_KINDS, frozenset({Action.VIEW, Action.IMPORT, Action.MANAGE})),
}


def role_fit_problem(role, unit_kind):
    """Why `role` cannot be held in a unit of `unit_kind` (None when it can): the kinds of ROLE_RULES."""
    if unit_kind in ROLE_RULES[role].unit_kinds:
        return None
    return gettext("The role “%(role)s” cannot be held in a unit of this kind.") % {"role": Role(role).label}
