"""The JSON API's request and response models (field names are a contract: DESIGN.md).

Requests are the areas' own record types (one declaration per record), plus what only the
API sends; responses are the same records with what the server adds. The OpenAPI document is
generated from these models.
"""

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.core.records import Record
from planner.delegations.models import DelegationStatus
from planner.delegations.records import DecisionFields, DelegationFields, MemberFields
from planner.programs.models import ItemStatus, ProgramStatus
from planner.programs.records import ItemFields, ProgramFields
from planner.venues.records import VenueFields
from planner.visits.models import ProposalAnswer, RequestStatus
from planner.visits.records import DECISIONS, DateRange, RequestFields
from planner.visits.requesting import MAX_RANGES

ITEM_STATUSES = Literal[tuple(status.value for status in ItemStatus)]
PROGRAM_STATUSES = Literal[tuple(status.value for status in ProgramStatus)]
DELEGATION_STATUSES = Literal[tuple(status.value for status in DelegationStatus)]
REQUEST_STATUSES = Literal[tuple(status.value for status in RequestStatus)]
PROPOSAL_ANSWERS = Literal[tuple(answer.value for answer in ProposalAnswer if answer.value)]


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


REGION_CODE = Field(
    default="",
    description="The Kemendagri code of the visiting province or regency/city (e.g. 62.07, "
    "Kabupaten Seruyan), or empty for another institution. When given, the province follows "
    "from it, and so does the institution when left empty (a DPRD keeps its own name).",
    examples=["62.07"],
)
FROM_REGION = "Required unless region_code is given."


class RegistrationIn(DelegationFields):
    institution: str = Field(default="", description=FROM_REGION)
    region_code: str = REGION_CODE
    province: str = Field(default="", description=FROM_REGION)
    members: list[MemberIn] = Field(min_length=1)


class MembersIn(Record):
    members: list[MemberIn] = Field(min_length=1)


class StatusIn(DecisionFields):
    status: DELEGATION_STATUSES


class VisitRequestIn(RequestFields):
    """A visit request, with the same rules and messages as the request form. The request
    letter's PDF is not part of the JSON API: give its number and date here (a request with
    its PDF goes through the request form, /visits/request)."""

    institution: str = Field(default="", description=FROM_REGION)
    region_code: str = REGION_CODE
    province: str = Field(default="", description=FROM_REGION)
    wished_dates: list[DateRange] = Field(
        default_factory=list,
        description=f"1 to {MAX_RANGES} date ranges, in order of preference. The first day must "
        "be at least the host's lead time (in working days) ahead.",
        json_schema_extra={"minItems": 1, "maxItems": MAX_RANGES},
    )
    topics: list[str] = Field(
        default_factory=list, description="Public ids of active topics (GET /api/v1/topics)."
    )


MAX_PAGE = 10_000


class VisitRequestQuery(BaseModel):
    status: REQUEST_STATUSES | None = Field(
        default=None, description="Only requests in this status."
    )
    page: int = Field(
        default=1, ge=1, le=MAX_PAGE, description="Which page (100 requests a page), newest first."
    )


class VisitDecisionIn(Record):
    """Staff's decision on a visit request, with the reason the requester is shown.

    `accept` makes a new program from `template` (its first day `first_day`, by default the
    agreed or first wished day; `title`, by default "Studi tiru <institution>") with the
    requester's delegation in it; `merge` adds the delegation to the published `program`
    (slug); `propose` offers other dates (`first_day`, `last_day`); `decline` refuses.
    With `version` (the request's version the caller saw), a request that changed since is
    a 409."""

    decision: DECISIONS
    reason: str
    version: int | None = None
    template: str | None = Field(default=None, description="Template public id (accept).")
    first_day: datetime.date | None = Field(default=None, description="accept, propose")
    last_day: datetime.date | None = Field(default=None, description="propose")
    title: str | None = Field(default=None, description="The new program's title (accept).")
    program: str | None = Field(default=None, description="Program slug (merge).")


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


class RegionOut(Answer):
    """The visiting region of the Kemendagri list, and its time zone."""

    code: str
    name: str
    province_code: str
    province: str
    timezone: str = Field(description="IANA time zone, e.g. Asia/Makassar.")
    zone_label: str = Field(description="How it is written after a time: WIB, WITA or WIT.")


class DelegationOut(DelegationFields, Answer):
    model_config = ANSWER

    id: str
    region: RegionOut | None = Field(description="The region of region_code, if given.")
    program: str
    status: DELEGATION_STATUSES
    status_reason: str
    members: list[MemberOut]
    manage_url: str
    calendar_url: str


class DelegationList(Answer):
    delegations: list[DelegationOut]


class TopicOut(Answer):
    id: str
    title: str = Field(description="In the request's language (Accept-Language).")
    summary: str
    unit: str = Field(description="Who presents it.")
    duration_minutes: int


class TopicList(Answer):
    topics: list[TopicOut]


class TopicRef(Answer):
    id: str
    title: str


class ProposalOut(Answer):
    """Other dates the host proposed, and the requester's answer (null: not answered)."""

    first_day: datetime.date
    last_day: datetime.date
    reason: str
    answer: PROPOSAL_ANSWERS | None


class ProgramRef(Answer):
    slug: str
    title: str
    first_day: datetime.date
    last_day: datetime.date


class VisitRequestOut(RequestFields, Answer):
    model_config = ANSWER

    id: str
    region: RegionOut | None = Field(description="The region of region_code, if given.")
    status: REQUEST_STATUSES
    topics: list[TopicRef]
    proposal: ProposalOut | None = Field(description="While other dates are proposed.")
    reason: str = Field(description="The reason given with the last decision.")
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    manage_url: str = Field(description="The request's private page.")
    delegation_url: str | None = Field(
        description="The delegation's private page, once accepted or merged."
    )
    program: ProgramRef | None = Field(description="The program it was accepted or merged into.")


class StaffVisitRequestOut(VisitRequestOut):
    model_config = ANSWER

    version: int = Field(description="Send it back with a decision to catch concurrent ones.")


class VisitRequestList(Answer):
    visit_requests: list[StaffVisitRequestOut]
    next_page: int | None = Field(description="The page of older requests, if there is one.")


# --- check-in ------------------------------------------------------------------------------


class ScanIn(Record):
    """One check-in as a scanner made it."""

    id: str = Field(
        min_length=8,
        max_length=64,
        description="The scanner's own id for this check-in (a UUID): sent again, it is "
        "stored once and answered as the first time.",
    )
    code: str = Field(max_length=100, description='The QR\'s text ("CK:…") or the code.')
    at: datetime.datetime = Field(description="When it was scanned (ISO 8601 with offset).")
    source: Literal["scan", "name"] = "scan"


class CheckinsIn(Record):
    device: str = Field(default="", max_length=100, description="The scanner's name.")
    checkins: list[ScanIn] = Field(max_length=500)


class CheckinMember(Answer):
    code: str
    name: str
    delegation: str


class RosterMember(CheckinMember):
    position: str
    phone: str
    status: Literal["expected", "not_listed", "refused"]
    reason: str
    checked_in_at: datetime.datetime | None


class DelegationCount(Answer):
    delegation: str
    checked_in: int
    expected: int


class PointProgram(Answer):
    slug: str
    title: str


class PointItem(Answer):
    id: str
    title: str
    optional: bool


class CheckinPointOut(Answer):
    id: str
    title: str
    open: bool
    program: PointProgram
    item: PointItem | None
    day: datetime.date | None
    fetched_at: datetime.datetime
    members: list[RosterMember]
    counts: list[DelegationCount]


class CheckinResult(Answer):
    id: str
    result: Literal[
        "checked_in", "already", "not_listed", "refused", "unknown", "invalid", "closed"
    ]
    message: str
    checked_in_at: datetime.datetime | None
    member: CheckinMember | None


class CheckinsOut(Answer):
    results: list[CheckinResult]


# --- figures (staff) -------------------------------------------------------------------


class FiguresQuery(BaseModel):
    year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="The year (2000 to 2100); by default the host's current year.",
    )


class FigureCount(Answer):
    delegations: int
    participants: int


class FigureMonth(Answer):
    """`delegations`, `participants`: the month's visits (approved delegations of programs
    starting in the month). The others: the month's delegations in that status now."""

    month: int = Field(ge=1, le=12)
    delegations: int
    participants: int
    pending: FigureCount
    waitlisted: FigureCount
    rejected: FigureCount
    cancelled: FigureCount


class FigurePlace(Answer):
    """A province or a regional government; `code` "" holds visits without a region code."""

    code: str
    name: str
    delegations: int
    participants: int


class FigureRegion(FigurePlace):
    province: str


class FigureProgram(Answer):
    slug: str
    title: str
    first_day: datetime.date
    last_day: datetime.date
    delegations: int
    participants: int


class FigureTopic(Answer):
    id: str
    title: str
    requested: int = Field(description="Visit requests received in the year naming the topic.")
    visited: int = Field(description="The year's visits that came from a request naming it.")


class FigureLeadTime(Answer):
    """Days from the request (the visit request, else the registration) to the first day."""

    visits: int
    median_days: float | None
    average_days: float | None
    shortest_days: int | None
    longest_days: int | None


class FigureRepeatVisitor(Answer):
    code: str
    name: str
    province: str
    years: list[int]


class FigureVenue(Answer):
    name: str
    items: int
    delegations: int
    participants: int


class FigureDay(Answer):
    day: datetime.date
    delegations: int
    participants: int


class FigureOptionalItem(Answer):
    program: str = Field(description="The program's slug.")
    program_title: str
    title: str
    day: datetime.date
    joined: int
    capacity: int | None
    cancelled: bool


class FigureTotals(Answer):
    year: int
    delegations: int
    participants: int
    provinces: int
    regions: int


class FiguresOut(FigureTotals):
    """A year's visits: approved delegations of programs whose first day is in the year, and
    their members (participants)."""

    average_size: float
    by_month: list[FigureMonth]
    by_province: list[FigurePlace]
    by_region: list[FigureRegion]
    by_program: list[FigureProgram]
    by_topic: list[FigureTopic]
    lead_time: FigureLeadTime
    repeat_visitors: list[FigureRepeatVisitor]
    busiest_venues: list[FigureVenue]
    busiest_days: list[FigureDay]
    optional_items: list[FigureOptionalItem]
    previous: FigureTotals | None = Field(description="The year before, for comparison.")
