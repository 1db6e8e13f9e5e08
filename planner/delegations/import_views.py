"""Importing members from a spreadsheet, on the delegation's private page and for staff."""

from flask import Blueprint

from planner.staff.access import staff_blueprint

bp = Blueprint("imports", __name__)
staff_bp = staff_blueprint("staff_imports", __name__)
