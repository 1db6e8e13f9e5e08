"""Exports and lists for protocol staff."""

from planner.staff.access import staff_blueprint

bp = staff_blueprint("exports", __name__)
