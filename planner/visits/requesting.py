"""Requesting a visit: the rules every path goes through (the form, the JSON API)."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from planner.audit.log import record
from planner.core.database import db
from planner.core.i18n import current_language, format_day
from planner.delegations.registration import LetterFile
from planner.visits import host, notices
from planner.visits.models import (
    RequestStatus,
    Topic,
    VisitRequest,
    VisitRequestLetter,
    WishedDates,
)
from planner.visits.records import DateRange, RequestFields

MAX_RANGES = 3
MAX_DAYS_PER_VISIT = 14
MAX_MONTHS_AHEAD = 18


class RequestRefused(Exception):
    """Input that breaks a rule; `errors` maps paths (`wished_dates.1.first_day`) to messages."""

    def __init__(self, errors: dict[str, list]):
        super().__init__(errors)
        self.errors = errors


def active_topics() -> list[Topic]:
    return list(
        db.session.scalars(
            select(Topic).where(Topic.active.is_(True)).order_by(Topic.sort_order, Topic.id)
        )
    )


def date_problems(ranges: list[DateRange], today: date | None = None) -> dict[str, list]:
    """What is wrong with the wished date ranges, by path."""
    today = today or host.today()
    earliest = host.earliest_day(host.profile().lead_working_days, today)
    latest = today + timedelta(days=MAX_MONTHS_AHEAD * 31)
    errors: dict[str, list] = {}
    if not ranges:
        errors["wished_dates"] = [_l("Give at least one date range for the visit.")]
    if len(ranges) > MAX_RANGES:
        errors["wished_dates"] = [
            _l("Give at most %(count)s date ranges.", count=MAX_RANGES),
        ]
    for index, wished in enumerate(ranges[:MAX_RANGES]):
        path = f"wished_dates.{index}"
        if wished.first_day < today:
            errors[f"{path}.first_day"] = [_l("This day has already passed. Choose a later day.")]
        elif wished.first_day < earliest:
            errors[f"{path}.first_day"] = [
                _l(
                    "The host needs %(days)s working days to prepare a visit: choose a day "
                    "from %(day)s.",
                    days=host.profile().lead_working_days,
                    day=format_day(earliest),
                )
            ]
        elif wished.first_day > latest:
            errors[f"{path}.first_day"] = [
                _l(
                    "This day is too far ahead: requests are taken for the coming %(months)s "
                    "months. Choose an earlier day, or send the request later.",
                    months=MAX_MONTHS_AHEAD,
                )
            ]
        if wished.last_day < wished.first_day:
            errors[f"{path}.last_day"] = [
                _l("The last day cannot be before the first day. Check both dates.")
            ]
        elif (wished.last_day - wished.first_day).days >= MAX_DAYS_PER_VISIT:
            errors[f"{path}.last_day"] = [
                _l(
                    "A visit lasts at most %(days)s days. Choose a shorter date range.",
                    days=MAX_DAYS_PER_VISIT,
                )
            ]
    return errors


def size_problems(size: int | None) -> dict[str, list]:
    limit = host.profile().max_size
    if size is None or size < 1:
        return {
            "size": [_l("A delegation has at least 1 person: give the expected number of people.")]
        }
    if size > limit:
        return {
            "size": [
                _l(
                    "The host receives at most %(limit)s people in one visit; for a larger "
                    "group, please contact the protocol office.",
                    limit=limit,
                )
            ]
        }
    return {}


def topic_problems(wanted: list[str], offered: list[Topic]) -> dict[str, list]:
    known = {topic.public_id for topic in offered}
    errors = {
        f"topics.{index}": [_l("This topic is not offered here; choose one from the list.")]
        for index, public_id in enumerate(wanted)
        if public_id not in known
    }
    if not wanted and offered:
        errors["topics"] = [_l("Choose at least one topic you want to learn about.")]
    return errors


def problems(fields: RequestFields, offered: list[Topic]) -> dict[str, list]:
    return {
        **date_problems(fields.wished_dates),
        **size_problems(fields.size),
        **topic_problems(fields.topics, offered),
    }


def submit(fields: RequestFields, letter: LetterFile | None = None) -> VisitRequest:
    """A new request, with its letter; the requester is sent the link to its page."""
    offered = active_topics()
    errors = problems(fields, offered)
    if errors:
        raise RequestRefused(errors)
    by_id = {topic.public_id: topic for topic in offered}
    values = fields.attributes(fields.model_dump(exclude={"wished_dates", "topics"}))
    request = VisitRequest(language=current_language(), **values)
    request.topics = [by_id[public_id] for public_id in dict.fromkeys(fields.topics)]
    request.wished_dates = [
        WishedDates(preference=index + 1, first_day=wished.first_day, last_day=wished.last_day)
        for index, wished in enumerate(fields.wished_dates)
    ]
    if letter is not None:
        request.letter = VisitRequestLetter(
            filename=letter.filename, size=len(letter.content), content=letter.content
        )
    db.session.add(request)
    record(
        "visit_request.submitted",
        request,
        actor_label="requester",
        changes={
            "status": [None, RequestStatus.NEW.value],
            "wished_dates": [
                None,
                "; ".join(f"{w.first_day} – {w.last_day}" for w in fields.wished_dates),
            ],
            "size": [None, fields.size],
        },
    )
    notices.received(request)
    return request
