"""Pages anyone may open: the list of programs, a program's agenda, the health check."""

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from planner.core.database import db
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
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return jsonify(status="error", database="unreachable", detail=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")
