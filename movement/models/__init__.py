"""The movement as data: the campaign, its targets and milestones, its participants' criteria (campaign.py), and
what units record in it, each in its own module."""

from .campaign import Criterion, Evidence, Measure, Milestone, MilestoneKind, Movement, ParticipantGroup, Target
from .practices import (
    Compilation,
    GoodPractice,
    Half,
    PracticeFile,
    PracticeKind,
    PracticeState,
    PracticeTransition,
)

__all__ = [
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
    "Target",
]
