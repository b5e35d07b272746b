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
    VIEW_PEOPLE = "view_people", _("see households' personal information")
    VIEW_IDENTITY = "view_identity", _("see citizen ID numbers and full dates of birth")
    EDIT_REGISTRY = "edit_registry", _("enter households and reviews")
    RECOGNISE = "recognise", _("recognise review results")
    REPORT = "report", _("file unit reports")
    COMPILE = "compile", _("compile the provincial summary")
    STEER = "steer", _("steer the movement: targets, good practices, compilations")
    RECORD_SUPPORT = "record_support", _("record support given to households")
    NOMINATE = "nominate", _("nominate for awards")
    SELECT = "select", _("select nominations for the Emulation Board")
    APPRAISE = "appraise", _("appraise nominations and record decisions")
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

# Personal data (Decree 13/2023/NĐ-CP): only the roles whose work needs them see people. VIEW covers figures
# (progress, movement tables, home counts); VIEW_PEOPLE the household pages and registry exports (names, members,
# reviews); VIEW_IDENTITY citizen ID numbers and full dates of birth, which only the commune, which keeps the
# registry and checks papers, needs; everyone else sees the year of birth and a masked ID (households.privacy).
# The district and DOLISA follow progress down to the household but identify nobody; the Emulation Board, unit
# reporters and administrators (who keep units and accounts and load rosters) work with figures only.
ROLE_RULES = {
    # Commune officers keep the registry, so they may also load their own commune's Excel rosters.
    Role.COMMUNE_OFFICER: RoleRule(
        Scope.SUBTREE,
        frozenset({UnitKind.COMMUNE}),
        frozenset(
            {
                Action.VIEW,
                Action.VIEW_PEOPLE,
                Action.VIEW_IDENTITY,
                Action.EDIT_REGISTRY,
                Action.REPORT,
                Action.RECORD_SUPPORT,
                Action.NOMINATE,
                Action.IMPORT,
            }
        ),
    ),
    Role.COMMUNE_LEADER: RoleRule(
        Scope.SUBTREE,
        frozenset({UnitKind.COMMUNE}),
        frozenset(
            {Action.VIEW, Action.VIEW_PEOPLE, Action.VIEW_IDENTITY, Action.RECOGNISE, Action.REPORT, Action.NOMINATE}
        ),
    ),
    Role.DISTRICT_OFFICER: RoleRule(
        Scope.SUBTREE,
        frozenset({UnitKind.DISTRICT}),
        frozenset(
            {Action.VIEW, Action.VIEW_PEOPLE, Action.REPORT, Action.RECORD_SUPPORT, Action.NOMINATE, Action.IMPORT}
        ),
    ),
    # A giver (a department, the Front, a bank, an enterprise) records the support it gives by a household's
    # registry code; it sees the households it supported and never the registry (movement.selectors.ledger).
    Role.UNIT_REPORTER: RoleRule(
        Scope.SUBTREE,
        _REPORTING_KINDS,
        frozenset({Action.VIEW, Action.REPORT, Action.RECORD_SUPPORT, Action.NOMINATE}),
    ),
    Role.DOLISA_STAFF: RoleRule(
        Scope.PROVINCE,
        _PROVINCIAL_KINDS,
        frozenset({Action.VIEW, Action.VIEW_PEOPLE, Action.COMPILE, Action.STEER, Action.SELECT, Action.IMPORT}),
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
