"""Nominations, their workflow, decisions and the award registry."""
