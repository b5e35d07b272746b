"""Load the awards catalogue from its data file (awards/catalogue/data/awards.json): the award types, the dated
bonus multiples and base salaries of DOMAIN.md §5, the occasions of Plan 119 and example quotas.

Idempotent and respectful of the administrator: a row is created when missing and never overwritten, so a multiple
an administrator entered for the Decree 98/2023 period (left unknown in the file) survives a rerun. A later decree
or base salary is a new dated row in the file or the admin."""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from movement.models import Movement

from ..models import AwardType, BaseSalary, BonusMultiple, Occasion, Quota

DEFAULT = Path(__file__).resolve().parent / "data" / "awards.json"


def read(path=DEFAULT):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@dataclass
class Loaded:
    created: dict = field(default_factory=dict)

    def count(self, name, created):
        self.created[name] = self.created.get(name, 0) + int(created)


def _day(text):
    return date.fromisoformat(text) if text else None


@transaction.atomic
def load_awards(data):
    """Create what the catalogue lacks; the occasions and quotas only when their movement is loaded."""
    loaded = Loaded()
    types = {}
    for row in data["award_types"]:
        award_type, created = AwardType.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "nominee_kind": row["nominee_kind"],
                "level": row["level"],
                "position": row["position"],
            },
        )
        types[award_type.code] = award_type
        loaded.count("award types", created)
    for row in data["bonus_multiples"]:
        multiple = row["multiple"]
        _, created = BonusMultiple.objects.get_or_create(
            award_type=types[row["award_type"]],
            valid_from=_day(row["valid_from"]),
            defaults={"multiple": Decimal(multiple) if multiple is not None else None, "basis": row["basis"]},
        )
        loaded.count("bonus multiples", created)
    for row in data["base_salaries"]:
        _, created = BaseSalary.objects.get_or_create(
            valid_from=_day(row["valid_from"]), defaults={"amount": row["amount"], "basis": row["basis"]}
        )
        loaded.count("base salaries", created)
    movement = Movement.objects.filter(code=data["occasions"]["movement"]).first()
    if movement is None:
        return loaded
    occasions = {}
    for row in data["occasions"]["rows"]:
        occasion, created = Occasion.objects.get_or_create(
            movement=movement,
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "year": row["year"],
                "closes_on": _day(row["closes_on"]),
                "simplified_dossier": row.get("simplified_dossier", False),
            },
        )
        occasions[occasion.code] = occasion
        loaded.count("occasions", created)
    for row in data["quotas"]:
        _, created = Quota.objects.get_or_create(
            occasion=occasions[row["occasion"]],
            unit=None,
            award_type=types[row["award_type"]],
            defaults={"limit": row["limit"]},
        )
        loaded.count("quotas", created)
    return loaded
