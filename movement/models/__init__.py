"""The movement as data: the campaign, its targets and milestones, its participants' criteria (campaign.py), and
what units record in it, each in its own module."""

from .campaign import Criterion, Evidence, Measure, Milestone, MilestoneKind, Movement, ParticipantGroup, Target
from .ledger import MAX_SUPPORT_VALUE, Support, SupportKind
from .participation import Answer, Assessment, AssessmentState, Registration, UnitPlan
from .practices import (
    Compilation,
    GoodPractice,
    Half,
    PracticeFile,
    PracticeKind,
    PracticeState,
    PracticeTransition,
)
from .snapshots import SupportYear, UnitSupport

__all__ = [
    "MAX_SUPPORT_VALUE",
    "Answer",
    "Assessment",
    "AssessmentState",
    "Compilation",
    "Criterion",
    "Evidence",
    "GoodPractice",
    "Half",
    "Measure",
    "Milestone",
    "MilestoneKind",
    "Movement",
    "ParticipantGroup",
    "PracticeFile",
    "PracticeKind",
    "PracticeState",
    "PracticeTransition",
    "Registration",
    "Support",
    "SupportKind",
    "SupportYear",
    "Target",
    "UnitPlan",
    "UnitSupport",
]
