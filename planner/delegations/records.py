"""What a delegation's contact (and staff) may edit: the delegation and each member (one
declaration each)."""

import datetime
from typing import Literal

from planner.core.records import Record
from planner.delegations.models import Gender, MemberRole

GENDERS = Literal[tuple(gender.value for gender in Gender)]
ROLES = Literal[tuple(role.value for role in MemberRole)]


class ContactFields(Record):
    name: str
    phone: str
    email: str


class LetterFields(Record):
    number: str = ""
    date: datetime.date | None = None


class DelegationFields(Record):
    institution: str
    # The visiting region's Kemendagri code ("62.07"); "" for a ministry, a university.
    region_code: str = ""
    province: str
    leader_name: str
    leader_title: str
    contact: ContactFields
    request_letter: LetterFields = LetterFields()
    arrival_notes: str = ""
    departure_notes: str = ""
    arrives_on: datetime.date | None = None
    departs_on: datetime.date | None = None


class MemberFields(Record):
    """A member as the contact lists them; `id` (the public id) names an existing member, and
    `optional_items` are the public ids of the optional items they join."""

    derived = frozenset({"id", "optional_items"})

    id: str | None = None
    full_name: str
    position: str = ""
    nip: str | None = None
    rank: str = ""
    gender: GENDERS | None = None
    phone: str = ""
    email: str | None = None
    dietary: str = ""
    role: ROLES = MemberRole.MEMBER.value
    optional_items: list[str] = []

    @classmethod
    def read(cls, member, name: str):
        if name == "id":
            return member.public_id
        return [item.public_id for item in member.optional_items]

    def columns(self) -> dict:
        """The member's own columns (not its id or choices)."""
        return {name: getattr(self, name) for name in MEMBER_COLUMNS}


MEMBER_COLUMNS = tuple(name for name in MemberFields.names() if name not in MemberFields.derived)


class DecisionFields(Record):
    """Staff's decision on a delegation, with the reason the delegation is shown."""

    status: str
    reason: str
