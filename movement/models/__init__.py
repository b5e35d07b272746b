"""The movement as data: the campaign, its targets and milestones, its participants' criteria (campaign.py), and
what units record in it, each in its own module."""

from .campaign import Criterion, Evidence, Measure, Milestone, MilestoneKind, Movement, ParticipantGroup, Target
from .participation import Answer, Assessment, AssessmentState, Registration, UnitPlan

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentState",
    "Criterion",
    "Evidence",
    "Measure",
    "Milestone",
    "MilestoneKind",
    "Movement",
    "ParticipantGroup",
    "Registration",
    "Target",
    "UnitPlan",
]
