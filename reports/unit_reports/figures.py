"""The figures of a unit report, filled in from the records: for a commune or a district its poor and near-poor
households at the start and end of the year with the movement table's columns 2-8 and its reduction against its
target's yearly band; for every unit the support it gave (the ledger), the good practices it proposed, its
registration and plan (filed? on time?) and its self-assessment for the year.

`compute` returns a plain dict (stored as the report's JSON, frozen at submission); `rows` turns it into labelled
rows for a page or a PDF."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from deadlines import rules as deadline_rules
from households import figures as registry
from households.rules import MOVEMENT_COLUMNS
from movement.selectors import ledger, practices
from movement.selectors import participation as participation_selectors
from movement.selectors import targets as target_selectors
from units.choices import UnitKind

# The units with a registry of their own that report on it (the province compiles, it does not report).
TERRITORIAL_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.DISTRICT})
MOVES = range(2, 9)


def compute(movement, unit, year):
    """The report's figures for `unit` in `year`, computed now from the registry, the ledger and the records."""
    values = {"territorial": unit.kind in TERRITORIAL_KINDS}
    if values["territorial"]:
        _rows, total = registry.movement_table(unit, year, below=1)
        poor, near = total.values["poor"]["households"], total.values["near"]["households"]
        target = target_selectors.targets_of(movement, [unit.pk]).get(unit.pk)
        reduction = poor[1] - poor[9]
        values.update(
            poor_start=poor[1],
            poor_end=poor[9],
            near_start=near[1],
            near_end=near[9],
            poor_moves={str(col): poor[col] for col in MOVES},
            near_moves={str(col): near[col] for col in MOVES},
            reduction=reduction,
            target_min=target.yearly_min if target else None,
            target_max=target.yearly_max if target else None,
            target_met=None if target is None or target.yearly_min is None else reduction >= target.yearly_min,
        )
    registration = participation_selectors.registration_of(movement, unit)
    milestone = participation_selectors.plan_milestone(movement)
    plan = participation_selectors.plan_of(movement, unit)
    delivery = participation_selectors.delivery(milestone, unit)
    assessment = participation_selectors.assessment_of(movement, unit, year)
    support = ledger.unit_support(unit, year)
    values.update(
        support_given=support.given_value,
        jobs_given=support.jobs_given,
        good_practices=practices.measure_good_practices(unit, year),
        registered=registration is not None,
        registered_on_time=(
            None
            if registration is None or milestone is None
            else deadline_rules.on_time(registration.registered_at, milestone.deadline.due_on)
        ),
        plan_number=plan.number if plan else "",
        plan_on_time=None if delivery is None else delivery.on_time,
        assessment=assessment.state if assessment else "",
    )
    return values


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: object
    kind: str = "number"  # number, money, yes_no, text


YES_NO_LABELS = {True: _("yes"), False: _("no"), None: "—"}


def _on_time(value, filed):
    if not filed:
        return _("not filed")
    return {True: _("on time"), False: _("late"), None: _("filed")}[value]


def rows(values):
    """The figures as labelled rows, in the report's order."""
    found = []
    if values.get("territorial"):
        found += [
            Row("poor_start", _("Poor households at the start of the year"), values["poor_start"]),
            *(Row(f"poor_{col}", MOVEMENT_COLUMNS["poor"][col], values["poor_moves"][str(col)]) for col in MOVES),
            Row("poor_end", _("Poor households at the end of the year"), values["poor_end"]),
            Row("near_start", _("Near-poor households at the start of the year"), values["near_start"]),
            *(Row(f"near_{col}", MOVEMENT_COLUMNS["near"][col], values["near_moves"][str(col)]) for col in MOVES),
            Row("near_end", _("Near-poor households at the end of the year"), values["near_end"]),
            Row("reduction", _("Poor households fewer in the year"), values["reduction"]),
            Row("target", _("Target: fewer poor households a year"), target_band(values), "text"),
            Row("target_met", _("Target met"), YES_NO_LABELS[values["target_met"]], "text"),
        ]
    found += [
        Row("support_given", _("Support given in the year (VND)"), values["support_given"], "money"),
        Row("jobs_given", _("Jobs and vocational training given"), values["jobs_given"]),
        Row("good_practices", _("Good practices proposed in the year"), values["good_practices"]),
        Row(
            "registration",
            _("Registration for the movement"),
            _on_time(values["registered_on_time"], values["registered"]),
            "text",
        ),
        Row(
            "plan",
            _("Implementation plan"),
            _on_time(values["plan_on_time"], bool(values["plan_number"])),
            "text",
        ),
        Row("plan_number", _("Plan number"), values["plan_number"] or "—", "text"),
        Row("assessment", _("Self-assessment for the year"), assessment_label(values["assessment"]), "text"),
    ]
    return found


def target_band(values):
    low, high = values.get("target_min"), values.get("target_max")
    if low is None and high is None:
        return _("no target set")
    if high is None or low == high:
        return str(low if low is not None else high)
    return f"{low if low is not None else 0}–{high}"


def assessment_label(state):
    return {"submitted": _("submitted"), "draft": _("draft, not submitted")}.get(state, _("not started"))


# The keys a form could try to type over: every computed figure is read-only.
FIGURE_KEYS = frozenset(
    {
        "poor_start",
        "poor_end",
        "near_start",
        "near_end",
        "reduction",
        "support_given",
        "jobs_given",
        "good_practices",
        *(f"poor_{col}" for col in MOVES),
        *(f"near_{col}" for col in MOVES),
    }
)
