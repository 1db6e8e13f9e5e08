"""The staff dashboard and the host-wide week calendar of every program's items."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from planner.core.access import staff_blueprint
from planner.core.database import db
from planner.delegations import checkin
from planner.delegations.models import Delegation, DelegationStatus, Member
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.times import host_today
from planner.workspace.clashes import upcoming_clashes

bp = staff_blueprint("dashboard", __name__)

PROGRAM_COLOURS = 8  # .colour-0 ... .colour-7 in the stylesheet


def _status_counts(program_ids) -> dict[int, dict[str, tuple[int, int]]]:
    """{program id: {status: (delegations, participants)}} in one query."""
    rows = db.session.execute(
        select(
            Delegation.program_id,
            Delegation.status,
            func.count(func.distinct(Delegation.id)),
            func.count(Member.id),
        )
        .outerjoin(Member, Member.delegation_id == Delegation.id)
        .where(Delegation.program_id.in_(program_ids))
        .group_by(Delegation.program_id, Delegation.status)
    )
    counts: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for program_id, status, delegations, participants in rows:
        counts[program_id][status] = (delegations, participants)
    return counts


@bp.get("/")
def index():
    today = host_today()
    programs = db.session.scalars(
        select(Program)
        .where(Program.status != ProgramStatus.ARCHIVED, Program.last_day >= today)
        .order_by(Program.first_day)
        .limit(30)
    ).all()
    pending = db.session.scalars(
        select(Delegation)
        .join(Delegation.program)
        .where(Delegation.status == DelegationStatus.PENDING, Program.last_day >= today)
        .options(contains_eager(Delegation.program))
        .order_by(Delegation.created_at)
        .limit(50)
    ).all()
    return render_template(
        "staff/dashboard.html",
        programs=programs,
        counts=_status_counts([program.id for program in programs]),
        pending=pending,
        clashes=upcoming_clashes(today),
        checkin_points=checkin.open_points(),
        today=today,
    )


@dataclass
class Block:
    item: AgendaItem
    start: datetime
    end: datetime
    colour: int
    lane: int = 0
    lanes: int = 1


def _week_start(value: str | None) -> date:
    try:
        day = date.fromisoformat(value) if value else host_today()
    except ValueError:
        day = host_today()
    return day - timedelta(days=day.weekday())


def _assign_lanes(blocks: list[Block]) -> None:
    """Side by side where items overlap, like a desk calendar."""
    blocks.sort(key=lambda block: (block.start, block.end))
    cluster: list[Block] = []
    cluster_end = None
    lane_ends: list[datetime] = []

    def close_cluster():
        for block in cluster:
            block.lanes = len(lane_ends)

    for block in blocks:
        if cluster_end is not None and block.start >= cluster_end:
            close_cluster()
            cluster, lane_ends = [], []
        for index, end in enumerate(lane_ends):
            if end <= block.start:
                block.lane, lane_ends[index] = index, block.end
                break
        else:
            block.lane = len(lane_ends)
            lane_ends.append(block.end)
        cluster.append(block)
        cluster_end = max(cluster_end or block.end, block.end)
    close_cluster()


@bp.get("/calendar")
def calendar():
    zone = ZoneInfo(current_app.config["PLANNER_TIMEZONE"])
    monday = _week_start(request.args.get("week"))
    days = [monday + timedelta(days=offset) for offset in range(7)]
    week_start = datetime.combine(monday, time(0), tzinfo=zone)
    week_end = week_start + timedelta(days=7)
    items = db.session.scalars(
        select(AgendaItem)
        .join(Program)
        .where(
            AgendaItem.starts_at < week_end,
            AgendaItem.ends_at > week_start,
            Program.status != ProgramStatus.ARCHIVED,
        )
        .options(joinedload(AgendaItem.program), joinedload(AgendaItem.venue))
        .order_by(AgendaItem.starts_at)
    ).all()
    colours: dict[int, int] = {}
    per_day: dict[date, list[Block]] = {day: [] for day in days}
    for item in items:
        colour = colours.setdefault(item.program_id, len(colours) % PROGRAM_COLOURS)
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        day = start.date()
        if day in per_day:
            day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
            per_day[day].append(Block(item, start, min(end, day_end), colour))
    for blocks in per_day.values():
        _assign_lanes(blocks)
    hours = [block.start.hour for blocks in per_day.values() for block in blocks]
    ends = [
        block.end.hour + (block.end.minute > 0) for blocks in per_day.values() for block in blocks
    ]
    first_hour = min([6, *hours])
    last_hour = max([20, *ends])
    programs = {item.program for item in items}
    return render_template(
        "staff/calendar.html",
        days=days,
        per_day=per_day,
        first_hour=first_hour,
        last_hour=min(last_hour, 24),
        programs=sorted(programs, key=lambda program: colours[program.id]),
        colours=colours,
        monday=monday,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        today=host_today(),
        timezone=current_app.config["PLANNER_TIMEZONE"],
    )
