"""A program's life: created as a draft, published, registration closed, archived."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from planner.audit.log import record
from planner.core.database import db
from planner.core.records import apply_changes, changes_between, snapshot
from planner.programs import announcements
from planner.programs.labels import status_label
from planner.programs.models import Program, ProgramStatus

STATUS_ACTIONS = {
    ProgramStatus.PUBLISHED: "program.published",
    ProgramStatus.CLOSED: "program.closed",
    ProgramStatus.ARCHIVED: "program.archived",
}

# Which status may follow which.
TRANSITIONS = {
    ProgramStatus.DRAFT: {ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED},
    ProgramStatus.PUBLISHED: {ProgramStatus.CLOSED, ProgramStatus.ARCHIVED},
    ProgramStatus.CLOSED: {ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED},
    ProgramStatus.ARCHIVED: set(),
}


class TransitionError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def slug_taken(slug: str, program: Program | None = None) -> bool:
    """Whether another program already uses the slug (its web address)."""
    query = select(Program.id).where(Program.slug == slug)
    if program is not None:
        query = query.where(Program.id != program.id)
    return db.session.scalar(query) is not None


def create_program(values: dict) -> Program:
    program = Program(status=ProgramStatus.DRAFT, **values)
    db.session.add(program)
    record(
        "program.created",
        program,
        program=program,
        changes=changes_between({}, snapshot(program, values.keys())),
    )
    return program


def update_program(program: Program, values: dict, expected_version: int | None = None) -> dict:
    changes = apply_changes(program, values, expected_version)
    if changes:
        record("program.updated", program, program=program, changes=changes)
    return changes


def publication_problems(program: Program) -> list:
    problems = []
    if not any(not item.is_cancelled for item in program.items):
        problems.append(
            _l(
                "The program has no agenda items yet. Add at least one item, then publish the "
                "program."
            )
        )
    return problems


def change_status(program: Program, status: ProgramStatus) -> None:
    status = ProgramStatus(status)
    if status not in TRANSITIONS[ProgramStatus(program.status)]:
        raise TransitionError(
            _l(
                "A %(old)s program cannot become %(new)s.",
                old=status_label(program.status),
                new=status_label(status),
            )
        )
    if status == ProgramStatus.PUBLISHED:
        problems = publication_problems(program)
        if problems:
            raise TransitionError(problems[0])
        if program.status == ProgramStatus.DRAFT:
            announcements.announce_all(program)
    old = program.status
    program.status = status
    record(
        STATUS_ACTIONS[status],
        program,
        program=program,
        changes={"status": [str(old), status.value]},
    )
