"""A program built from a template: its agenda on the chosen days, with the parts the request's
topics pick."""

from datetime import date, timedelta

from flask import current_app

from planner.audit.log import record
from planner.core.database import db
from planner.core.text import slugify
from planner.programs import lifecycle
from planner.programs.models import DEFAULT_MEMBERS_PER_DELEGATION, AgendaItem, Program
from planner.programs.times import to_utc
from planner.visits.models import ProgramTemplate, TemplateItem, Topic


def items_for(template: ProgramTemplate, topics: list[Topic]) -> list[TemplateItem]:
    """The template's items that a visit with these topics has: every item not tied to a
    topic, and each item tied to one of them."""
    wanted = {topic.id for topic in topics}
    return [item for item in template.items if item.topic_id is None or item.topic_id in wanted]


def free_slug(base: str) -> str:
    slug, number = base[:80], 2
    while lifecycle.slug_taken(slug):
        suffix = f"-{number}"
        slug, number = base[: 80 - len(suffix)] + suffix, number + 1
    return slug


def build_program(
    template: ProgramTemplate,
    first_day: date,
    title: str,
    topics: list[Topic],
    members_per_delegation: int,
    official: dict,
) -> Program:
    """A published, unlisted program (reachable by its link only) made from the template."""
    timezone = current_app.config["PLANNER_TIMEZONE"]
    program = Program(
        slug=free_slug(slugify(f"{title} {first_day.isoformat()}")),
        title=title,
        summary=template.summary,
        first_day=first_day,
        last_day=first_day + timedelta(days=template.days - 1),
        timezone=timezone,
        listed=False,
        members_per_delegation=max(members_per_delegation, DEFAULT_MEMBERS_PER_DELEGATION),
        requires_approval=True,
        waitlist=False,
        **official,
    )
    for item in items_for(template, topics):
        day = first_day + timedelta(days=item.day - 1)
        end_day = day if item.ends_at > item.starts_at else day + timedelta(days=1)
        program.items.append(
            AgendaItem(
                title=item.title,
                kind=item.kind,
                starts_at=to_utc(day, item.starts_at, timezone),
                ends_at=to_utc(end_day, item.ends_at, timezone),
                venue=item.venue,
                presenter=item.presenter,
                description=item.description,
                requirements=item.requirements,
                dress_code=item.dress_code,
                optional=item.optional,
            )
        )
    program.last_day = max(
        [program.last_day, *(item.ends_at.astimezone(program.tz).date() for item in program.items)]
    )
    db.session.add(program)
    record(
        "program.created",
        program,
        program=program,
        changes={"template": [None, template.title], "first_day": [None, first_day.isoformat()]},
    )
    lifecycle.change_status(program, "published")
    return program
