"""The JSON API's request and response models (field names are a contract: DESIGN.md).

Requests are the areas' own record types (one declaration per record), plus what only the
API sends; responses are the same records with what the server adds. The OpenAPI document is
generated from these models.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.core.records import Record
from planner.delegations.models import DelegationStatus
from planner.delegations.records import DecisionFields, DelegationFields, MemberFields
from planner.programs.models import ItemStatus, ProgramStatus
from planner.programs.records import ItemFields, ProgramFields
from planner.venues.records import VenueFields

ITEM_STATUSES = Literal[tuple(status.value for status in ItemStatus)]
PROGRAM_STATUSES = Literal[tuple(status.value for status in ProgramStatus)]
DELEGATION_STATUSES = Literal[tuple(status.value for status in DelegationStatus)]


ANSWER = ConfigDict(strict=False, extra="forbid")


class Answer(BaseModel):
    """A response: built from the server's own values, so types are coerced, not refused."""

    model_config = ANSWER


class Error(Answer):
    message: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by field path, e.g. members.30.full_name."
    )


# --- requests ------------------------------------------------------------------------------


class IdempotencyHeader(BaseModel):
    idempotency_key: str | None = Field(
        default=None,
        alias="Idempotency-Key",
        max_length=200,
        description="Any unique value (a UUID): the same key within 24 hours gets the first "
        "answer and creates nothing new; the same key with another body is a 422. Only a "
        "request that succeeded spends its key.",
    )


class VenueIn(VenueFields):
    """A new venue; opening hours in local time (HH:MM)."""


class ProgramIn(ProgramFields):
    """A new program (a draft). The registration window is ISO 8601 with offset."""


ProgramPatch = ProgramFields.partial()
ProgramPatch.__doc__ = "Only the fields sent change; the rest stay as they are."


class ItemIn(ItemFields):
    """An agenda item: it starts and ends on one of the program's days, in whole minutes."""

    status: ITEM_STATUSES = ItemStatus.SCHEDULED.value


class ItemPatch(ItemFields.partial()):
    """Only the fields sent change. A change of time, place, title or status raises the
    revision once the program is published; {"status": "cancelled"} cancels the item."""

    status: ITEM_STATUSES | None = None


class MemberIn(MemberFields):
    """A member. A row that names an existing member (by id, else NIP, else full name) keeps
    their personal link, calendar feed and choices; fields the row leaves out keep their
    current values."""


class RegistrationIn(DelegationFields):
    members: list[MemberIn] = Field(min_length=1)


class MembersIn(Record):
    members: list[MemberIn] = Field(min_length=1)


class StatusIn(DecisionFields):
    status: DELEGATION_STATUSES


# --- responses -----------------------------------------------------------------------------


class VenueOut(VenueFields, Answer):
    model_config = ANSWER

    id: str


class ItemOut(ItemFields, Answer):
    model_config = ANSWER

    id: str
    venue: VenueOut | None
    status: ITEM_STATUSES
    revision: int
    seats_left: int | None = Field(description="Places left when the item has a capacity.")


class ProgramOut(ProgramFields, Answer):
    model_config = ANSWER

    status: PROGRAM_STATUSES
    seats_left: int | None = Field(description="Participant seats left, if the program caps them.")
    items: list[ItemOut] | None = Field(default=None, description="In the program's own answer.")


class ProgramList(Answer):
    programs: list[ProgramOut]


class MemberOut(MemberFields, Answer):
    model_config = ANSWER

    id: str
    precedence: int | None
    personal_url: str
    calendar_url: str


class DelegationOut(DelegationFields, Answer):
    model_config = ANSWER

    id: str
    program: str
    status: DELEGATION_STATUSES
    status_reason: str
    members: list[MemberOut]
    manage_url: str
    calendar_url: str


class DelegationList(Answer):
    delegations: list[DelegationOut]
