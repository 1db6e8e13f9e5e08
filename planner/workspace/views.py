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
LANE_REM = 6.5  # the narrowest lane that still reads "08.00–10.00" and a title's words
DAY_REM = 7.5  # the narrowest day with items
EMPTY_DAY_REM = 6  # the narrowest day without: its date still fits
FITTING_LANES = 4  # more at once than this on one day: the day is also listed below the grid


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
    rank: int = 0  # the program's place in the legend: its column comes in this order
    lane: int = 0
    span: int = 1  # lanes it covers to the right where they are free at its time
    lanes: int = 1

    @property
    def last_lane(self) -> bool:
        return self.lanes > 1 and self.lane + self.span == self.lanes


def _week_start(value: str | None) -> date:
    try:
        day = date.fromisoformat(value) if value else host_today()
    except ValueError:
        day = host_today()
    return day - timedelta(days=day.weekday())


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _clusters(blocks: list[Block]) -> list[list[Block]]:
    """The day's items in groups that overlap one another, earliest first."""
    blocks.sort(key=lambda block: (block.start, block.end))
    clusters: list[list[Block]] = []
    cluster_end = None
    for block in blocks:
        if cluster_end is None or block.start >= cluster_end:
            clusters.append([])
            cluster_end = block.end
        clusters[-1].append(block)
        cluster_end = max(cluster_end, block.end)
    return clusters


def _assign_lanes(blocks: list[Block]) -> int:
    """Side by side where items overlap, each program its own lane in legend order (a
    program's own parallel items side by side within it); an item runs on over the lanes to
    its right that are free while it lasts, so an item nothing overlaps is full width.
    Returns the most lanes the day needs at once."""
    widest = 1
    for cluster in _clusters(blocks):
        lanes: list[list[Block]] = []
        for rank in sorted({block.rank for block in cluster}):
            own: list[list[Block]] = []
            for block in (block for block in cluster if block.rank == rank):
                free = next((lane for lane in own if lane[-1].end <= block.start), None)
                if free is None:
                    own.append(free := [])
                free.append(block)
            lanes.extend(own)
        for index, lane in enumerate(lanes):
            for block in lane:
                block.lane, block.lanes = index, len(lanes)
                while block.lane + block.span < len(lanes) and not any(
                    other.start < block.end and block.start < other.end
                    for other in lanes[block.lane + block.span]
                ):
                    block.span += 1
        widest = max(widest, len(lanes))
    return widest


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
        .order_by(AgendaItem.starts_at, AgendaItem.program_id, AgendaItem.id)  # steady lanes
    ).all()
    ranks: dict[int, int] = {}
    per_day: dict[date, list[Block]] = {day: [] for day in days}
    for item in items:
        rank = ranks.setdefault(item.program_id, len(ranks))
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        day = start.date()
        if day in per_day:
            day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
            block = Block(item, start, min(end, day_end), rank % PROGRAM_COLOURS, rank)
            per_day[day].append(block)
    lanes = {day: _assign_lanes(blocks) for day, blocks in per_day.items()}
    colours = {program_id: rank % PROGRAM_COLOURS for program_id, rank in ranks.items()}
    blocks = [block for day_blocks in per_day.values() for block in day_blocks]
    first_hour = min([6, *(block.start.hour for block in blocks)])
    # In hours after the day's midnight, so an item until 24.00 keeps its last hour.
    ends = [-(-(block.end - _midnight(block.start)) // timedelta(hours=1)) for block in blocks]
    last_hour = min(max([20, *ends]), 24)
    programs = {item.program for item in items}
    # Each day as wide as its lanes need (a lane at least LANE_REM), sharing the rest; a day
    # with nothing planned gives way to the busy ones.
    columns = " ".join(
        f"minmax({max(DAY_REM, lanes[day] * LANE_REM)}rem, {lanes[day]}fr)"
        if per_day[day]
        else f"minmax({EMPTY_DAY_REM}rem, 0.75fr)"
        for day in days
    )
    return render_template(
        "staff/calendar.html",
        days=days,
        per_day=per_day,
        lanes=lanes,
        crowded={day for day in days if lanes[day] > FITTING_LANES},
        columns=columns,
        first_hour=first_hour,
        last_hour=last_hour,
        hour_marks=[datetime.combine(monday, time(hour)) for hour in range(first_hour, last_hour)],
        programs=sorted(programs, key=lambda program: ranks[program.id]),
        colours=colours,
        monday=monday,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        today=host_today(),
        timezone=current_app.config["PLANNER_TIMEZONE"],
    )
