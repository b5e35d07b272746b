"""Nominations for the Chairman's Bằng khen, their workflow, decisions and the award registry.

- catalogue: award types, dated bonus multiples and base salaries, occasions and quotas (data, not code);
- nominations: a unit's list for an occasion, its nominees (a collective, an individual or a family), their
  dossiers, claims, attachments and steps;
- decisions: DOLISA's and the Board's proposals (tờ trình), the Chairman's decisions and the award registry.
"""

from .catalogue import AwardLevel, AwardType, BaseSalary, BonusMultiple, NomineeKind, Occasion, OccasionKind, Quota
from .decisions import Award, AwardMethod, Decision, Proposal, ProposalStage
from .nominations import (
    Claim,
    Nomination,
    NominationState,
    Nominee,
    NomineeFile,
    NomineeFileKind,
    NomineeState,
    NomineeTransition,
)

__all__ = [
    "Award",
    "AwardLevel",
    "AwardMethod",
    "AwardType",
    "BaseSalary",
    "BonusMultiple",
    "Claim",
    "Decision",
    "Nomination",
    "NominationState",
    "Nominee",
    "NomineeFile",
    "NomineeFileKind",
    "NomineeKind",
    "NomineeState",
    "NomineeTransition",
    "Occasion",
    "OccasionKind",
    "Proposal",
    "ProposalStage",
    "Quota",
]
