"""Load a movement from its data file (movement/data/<code>.json): the campaign, the province's target, the
participant groups with their criteria in the plan's words, and the milestones as deadline rows. Idempotent: a
rerun updates the rows in place, so a corrected file is a data change, and a new movement is a new file."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from deadlines.models import Deadline, DeadlineKind
from units.models import Unit

from .models import Criterion, Milestone, MilestoneKind, Movement, ParticipantGroup, Target

DATA = Path(__file__).resolve().parent / "data"
DEFAULT = DATA / "vi-nguoi-ngheo-2021-2025.json"

DEADLINE_KINDS = {
    MilestoneKind.UNIT_PLAN: DeadlineKind.PLAN_MILESTONE,
    MilestoneKind.MID_TERM_UNITS: DeadlineKind.PLAN_MILESTONE,
    MilestoneKind.MID_TERM: DeadlineKind.PLAN_MILESTONE,
    MilestoneKind.FINAL: DeadlineKind.PLAN_MILESTONE,
    MilestoneKind.UNIT_REPORT: DeadlineKind.UNIT_REPORT,
    MilestoneKind.SUMMARY: DeadlineKind.PROVINCIAL_SUMMARY,
    MilestoneKind.GOOD_PRACTICES: DeadlineKind.GOOD_PRACTICES,
}


def read(path=DEFAULT):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def plan_text(data):
    """The plan's own text, kept beside the data file (the criteria are checked against it)."""
    return (DATA / data["plan_text"]).read_text(encoding="utf-8")


@dataclass
class Loaded:
    movement: Movement
    created: bool
    criteria: int
    milestones: int


def _unit(lookup):
    return Unit.objects.current().get(**lookup)


@transaction.atomic
def load_movement(data):
    """Create or update the movement `data` describes (as `read` returns it)."""
    province = _unit(data["province"])
    lead = _unit(data["lead_unit"])
    numerator, denominator = data["final_share"]
    movement, created = Movement.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "short_name": data["short_name"],
            "plan_number": data["plan_number"],
            "plan_date": date.fromisoformat(data["plan_date"]),
            "plan_issuer": data["plan_issuer"],
            "basis": data["basis"],
            "start_year": data["start_year"],
            "end_year": data["end_year"],
            "province": province,
            "lead_unit": lead,
            "baseline_year": data["baseline_year"],
            "final_share_numerator": numerator,
            "final_share_denominator": denominator,
        },
    )
    # The province's target comes from the plan; one set since (on the targets page) is not overwritten.
    Target.objects.get_or_create(movement=movement, unit=province, defaults=data["province_target"])
    criteria = 0
    for order, spec in enumerate(data["participant_groups"], 1):
        group, _ = ParticipantGroup.objects.update_or_create(
            movement=movement,
            letter=spec["letter"],
            defaults={"title": spec["title"], "unit_kinds": spec["unit_kinds"], "order": order},
        )
        for place, item in enumerate(spec["criteria"], 1):
            Criterion.objects.update_or_create(
                group=group,
                order=place,
                defaults={"text": item["text"], "evidence": item["evidence"], "measure": item["measure"]},
            )
            criteria += 1
        group.criteria.filter(order__gt=len(spec["criteria"])).delete()
    for spec in data["milestones"]:
        _milestone(movement, spec, lead)
    return Loaded(movement, created, criteria, len(data["milestones"]))


def _milestone(movement, spec, lead):
    due_on = date.fromisoformat(spec["due_on"])
    fields = {
        "kind": DEADLINE_KINDS[spec["kind"]],
        "year": spec.get("year") or due_on.year,
        "title": spec["title"],
        "opens_on": date.fromisoformat(spec["opens_on"]) if spec.get("opens_on") else None,
        "due_on": due_on,
        "action": spec["action"],
        "unit_kinds": spec.get("unit_kinds", []),
        # Units of the kinds inside the movement's province owe it; a lead-unit step is owed by that unit alone.
        "within": movement.province if spec.get("unit_kinds") else None,
    }
    milestone = Milestone.objects.filter(movement=movement, key=spec["key"]).select_related("deadline").first()
    if milestone is None:
        deadline = Deadline.objects.create(**fields)
        milestone = Milestone.objects.create(movement=movement, key=spec["key"], kind=spec["kind"], deadline=deadline)
    else:
        deadline = milestone.deadline
        for name, value in fields.items():
            setattr(deadline, name, value)
        deadline.save()
        Milestone.objects.filter(pk=milestone.pk).update(kind=spec["kind"])
    deadline.units.set([lead] if spec.get("lead_unit") else [])
    return milestone
