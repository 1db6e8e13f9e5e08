"""The member's page as a travel companion: what changed since they first opened it, and during
the visit what they are at now and what comes next."""

import re
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from sqlalchemy import update

from planner.core.database import db, utcnow
from planner.delegations.models import Member
from planner.programs import announcements
from planner.programs.models import AgendaItem, Program

# Apps that fetch a link to show its preview when it is sent in a chat, before anyone opens it.
# A crawler names itself "…bot/2.1" or "…bot;"; a bare "bot" also ends a phone's name (CUBOT).
PREVIEW_AGENTS = re.compile(
    r"whatsapp|facebookexternalhit|telegrambot|twitterbot|slackbot|discordbot|linkedinbot"
    r"|skypeuripreview|googlebot|bingbot|bot(?:[/;)+]|$)|crawler|spider|preview",
    re.IGNORECASE,
)


def is_preview(method: str, user_agent: str) -> bool:
    """Whether a request for the page is a link preview or a robot rather than the member."""
    return method == "HEAD" or not user_agent or PREVIEW_AGENTS.search(user_agent) is not None


def mark_seen(member: Member) -> None:
    """Record the member's first visit, once even for two at the same moment. Their calendar
    feed is versioned by updated_at, and a visit changes nothing in it."""
    db.session.execute(
        update(Member)
        .where(Member.id == member.id, Member.first_seen_at.is_(None))
        .values(first_seen_at=utcnow(), updated_at=Member.updated_at)
        .execution_options(synchronize_session=False)
    )


def changes_since_seen(member: Member, items: list[AgendaItem]) -> dict[int, list[str]]:
    """The marks of the items whose change was announced after the member first opened their
    page, by item id: none on the first visit, when everything is new to them."""
    seen_at = member.first_seen_at
    if seen_at is None:
        return {}
    return {
        item.id: announcements.describe(item, item.announced_change)
        for item in items
        if item.announced_at is not None
        and item.announced_at > seen_at
        and announcements.marked(item)
    }


@dataclass
class NowAndNext:
    running: list[AgendaItem]
    next: AgendaItem | None
    today: date  # the host's: the page names the next item's day when it is another


def now_and_next(program: Program, items: list[AgendaItem]) -> NowAndNext | None:
    """On the visit days (the host's today from the first day to the last): the items running at
    this moment and the next one to start, never a cancelled one. None on other days."""
    moment = utcnow()
    today = moment.astimezone(program.tz).date()
    if not program.first_day <= today <= program.last_day:
        return None
    going = [item for item in items if not item.is_cancelled]
    return NowAndNext(
        running=[item for item in going if item.starts_at <= moment < item.ends_at],
        next=min(
            (item for item in going if item.starts_at > moment),
            key=attrgetter("starts_at"),
            default=None,
        ),
        today=today,
    )
