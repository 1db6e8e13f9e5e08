"""Pages anyone may open: the list of programs, a program's agenda, the health check."""

from flask import Blueprint, jsonify, render_template

from planner.core import health
from planner.core.security import talisman
from planner.delegations.capacity import seats_left
from planner.programs.queries import agenda_by_day, listed_programs, public_program_or_404

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html", programs=listed_programs())


@bp.get("/programs/<slug>")
def program(slug: str):
    program = public_program_or_404(slug)
    return render_template(
        "public/program.html",
        program=program,
        days=agenda_by_day(program),
        seats_left=seats_left(program),
    )


@bp.get("/healthz")
@talisman(force_https=False)  # load balancers ask over plain http on the inside
def healthz():
    """The process answers and its database is reachable."""
    state = health.database()
    return jsonify(status="ok" if state == "ok" else "error", database=state), (
        200 if state == "ok" else 503
    )


@bp.get("/readyz")
@talisman(force_https=False)
def readyz():
    """Whether to send this server traffic: database, schema at head, Redis when configured."""
    answer, ready = health.readiness()
    return jsonify(answer), 200 if ready else 503
