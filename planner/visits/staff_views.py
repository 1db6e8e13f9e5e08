"""The staff inbox of visit requests: what is planned on the wished days, the decisions, the
reply letter."""

from planner.core.access import staff_blueprint

bp = staff_blueprint("requests", __name__)
