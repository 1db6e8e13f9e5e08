"""What a requester sends (the JSON API's field names, a contract) and what staff keep of
topics, templates and the host's profile (one declaration each)."""

import datetime
from typing import Literal

from pydantic import Field

from planner.core.records import Record, WallClock
from planner.delegations.records import ContactFields, LetterFields
from planner.programs.models import ItemKind
from planner.programs.records import KINDS


class DateRange(Record):
    first_day: datetime.date
    last_day: datetime.date


class RequestFields(Record):
    """A visit request as its requester writes it; `topics` are the topics' public ids and
    `wished_dates` come in order of preference."""

    institution: str
    region_code: str = ""
    province: str
    leader_name: str
    leader_title: str
    contact: ContactFields
    request_letter: LetterFields = LetterFields()
    wished_dates: list[DateRange] = Field(default_factory=list)
    size: int
    topics: list[str] = Field(default_factory=list)
    notes: str = ""


class TopicFields(Record):
    derived = frozenset({"venues"})

    title_id: str
    title_en: str = ""
    summary_id: str = ""
    summary_en: str = ""
    unit: str = ""
    duration_minutes: int = 120
    venues: list[str] = Field(default_factory=list)
    unavailable_weekdays: list[int] = Field(default_factory=list)
    unavailable_note: str = ""
    active: bool = True
    sort_order: int = 0

    @classmethod
    def read(cls, topic, name: str):
        return [venue.public_id for venue in topic.venues]


class TemplateFields(Record):
    title: str
    summary: str = ""
    days: int = 1


class TemplateItemFields(Record):
    derived = frozenset({"venue_id", "topic_id"})

    day: int = 1
    starts_at: WallClock
    ends_at: WallClock
    title: str
    kind: KINDS = ItemKind.OTHER.value
    venue_id: str | None = None
    topic_id: str | None = None
    presenter: str = ""
    description: str = ""
    requirements: str = ""
    dress_code: str = ""
    optional: bool = False

    @classmethod
    def read(cls, item, name: str):
        related = item.venue if name == "venue_id" else item.topic
        return related.public_id if related else None


class HostFields(Record):
    name: str = ""
    office: str = ""
    address: str = ""
    place: str = ""
    lead_working_days: int = 5
    max_size: int = 60
    daily_delegations: int = 2
    signing_official_name: str = ""
    signing_official_title: str = ""
    signing_official_nip: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    public_counter: bool = False


DECISIONS = Literal["accept", "merge", "propose", "decline"]
