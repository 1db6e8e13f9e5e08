"""What staff may edit of a program and of an agenda item (one declaration each)."""

from datetime import date
from typing import Literal

from pydantic import AwareDatetime

from planner.core.records import Record
from planner.programs.models import DEFAULT_MEMBERS_PER_DELEGATION, ItemKind

KINDS = Literal[tuple(kind.value for kind in ItemKind)]


class ProgramFields(Record):
    title: str
    slug: str = ""
    summary: str = ""
    description: str = ""
    first_day: date
    last_day: date
    timezone: str = "Asia/Jakarta"
    listed: bool = True
    registration_opens_at: AwareDatetime | None = None
    registration_closes_at: AwareDatetime | None = None
    members_per_delegation: int = DEFAULT_MEMBERS_PER_DELEGATION
    max_delegations: int | None = None
    max_participants: int | None = None
    requires_approval: bool = True
    waitlist: bool = True
    host_official_name: str = ""
    host_official_title: str = ""
    host_official_nip: str = ""
    protocol_contact_name: str = ""
    protocol_contact_phone: str = ""


class ItemFields(Record):
    """An agenda item; its place is the venue's public id. Cancelling is not an edit: it has
    its own action (and the API's status field)."""

    derived = frozenset({"venue_id"})

    title: str
    kind: KINDS = ItemKind.OTHER.value
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue_id: str | None = None
    presenter: str = ""
    description: str = ""
    requirements: str = ""
    dress_code: str = ""
    capacity: int | None = None
    optional: bool = False
    reminder_minutes: int = 60

    @classmethod
    def read(cls, item, name: str):
        return item.venue.public_id if item.venue else None
