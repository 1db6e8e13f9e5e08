"""Staff pages for what the host offers: topics, program templates, the host's settings."""

from planner.core.access import staff_blueprint

bp = staff_blueprint("catalog", __name__)
