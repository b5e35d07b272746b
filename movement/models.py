"""The movement, its targets and milestones, criteria, unit plans and good practices."""
