"""The API's answers, built from the records' own declarations (api.schemas)."""

from zoneinfo import ZoneInfo

from flask import current_app

from planner.api import schemas
from planner.core.i18n import current_language
from planner.core.links import absolute
from planner.delegations import capacity
from planner.delegations.links import manage_url
from planner.delegations.models import Delegation, Member
from planner.delegations.records import DelegationFields, MemberFields
from planner.programs.models import AgendaItem, Program
from planner.programs.records import ItemFields, ProgramFields
from planner.regions import reference
from planner.venues.models import Venue
from planner.venues.records import VenueFields
from planner.visits.links import request_url
from planner.visits.models import RequestStatus, Topic, VisitRequest
from planner.visits.records import RequestFields


def _in_zone(values: dict, timezone) -> dict:
    """Instants with the program's offset, e.g. 2026-12-09T08:00:00+07:00."""
    return {
        name: value.astimezone(timezone) if hasattr(value, "astimezone") else value
        for name, value in values.items()
    }


def venue_json(venue: Venue) -> dict:
    out = schemas.VenueOut(id=venue.public_id, **VenueFields.of(venue))
    return out.model_dump(mode="json")


def _item(item: AgendaItem, seats_left: dict[int, int]) -> schemas.ItemOut:
    return schemas.ItemOut(
        id=item.public_id,
        **_in_zone(ItemFields.of(item), item.program.tz),
        venue=schemas.VenueOut(id=item.venue.public_id, **VenueFields.of(item.venue))
        if item.venue
        else None,
        status=item.status,
        revision=item.revision,
        seats_left=seats_left.get(item.id),
    )


def item_json(item: AgendaItem, seats_left: dict[int, int]) -> dict:
    return _item(item, seats_left).model_dump(mode="json")


def _program(
    program: Program, seats_left: int | None, items: list[schemas.ItemOut] | None = None
) -> schemas.ProgramOut:
    return schemas.ProgramOut(
        **_in_zone(ProgramFields.of(program), program.tz),
        status=program.status,
        seats_left=seats_left,
        items=items,
    )


def program_json(program: Program) -> dict:
    left = capacity.items_left(program)
    items = [_item(item, left) for item in program.items]
    return _program(program, capacity.seats_left(program), items).model_dump(mode="json")


def programs_json(programs: list[Program]) -> dict:
    left = capacity.seats_left_by_program(programs)
    listed = schemas.ProgramList(
        programs=[_program(program, left[program.id]) for program in programs]
    )
    return listed.model_dump(mode="json", exclude={"programs": {"__all__": {"items"}}})


def member_json(member: Member) -> schemas.MemberOut:
    return schemas.MemberOut(
        **MemberFields.of(member),
        precedence=member.precedence,
        personal_url=absolute("delegations.member", token=member.token),
        calendar_url=absolute("calendar.member_feed", token=member.token),
    )


def region_out(code: str) -> schemas.RegionOut | None:
    found = reference.region(code)
    if found is None:
        return None
    return schemas.RegionOut(
        code=found.code,
        name=found.name,
        province_code=found.province.code,
        province=found.province.name,
        timezone=found.timezone,
        zone_label=found.zone_label,
    )


def _delegation(delegation: Delegation) -> schemas.DelegationOut:
    return schemas.DelegationOut(
        id=delegation.public_id,
        region=region_out(delegation.region_code),
        program=delegation.program.slug,
        status=delegation.status,
        status_reason=delegation.status_reason,
        **DelegationFields.of(delegation),
        members=[member_json(member) for member in delegation.members],
        manage_url=absolute("delegations.delegation", token=delegation.token),
        calendar_url=absolute("calendar.delegation_feed", token=delegation.token),
    )


def delegation_json(delegation: Delegation) -> dict:
    return _delegation(delegation).model_dump(mode="json")


def delegations_json(delegations) -> dict:
    listed = schemas.DelegationList(delegations=[_delegation(d) for d in delegations])
    return listed.model_dump(mode="json")


# --- visit requests ----------------------------------------------------------------------


def topics_json(topics: list[Topic]) -> dict:
    language = current_language()
    listed = schemas.TopicList(
        topics=[
            schemas.TopicOut(
                id=topic.public_id,
                title=topic.title(language),
                summary=topic.summary(language),
                unit=topic.unit,
                duration_minutes=topic.duration_minutes,
            )
            for topic in topics
        ]
    )
    return listed.model_dump(mode="json")


def _proposal(request: VisitRequest) -> schemas.ProposalOut | None:
    if not request.has_proposal:
        return None
    return schemas.ProposalOut(
        first_day=request.proposed_first_day,
        last_day=request.proposed_last_day,
        reason=request.reason,
        answer=request.proposal_answer or None,
    )


def _visit_request(request: VisitRequest, staff: bool) -> schemas.VisitRequestOut:
    language = current_language()
    zone = ZoneInfo(current_app.config["PLANNER_TIMEZONE"])
    values = RequestFields.of(request)
    values["wished_dates"] = [
        {"first_day": wished.first_day, "last_day": wished.last_day}
        for wished in request.wished_dates
    ]
    values["topics"] = [
        schemas.TopicRef(id=topic.public_id, title=topic.title(language))
        for topic in request.topics
    ]
    settled = request.status in (RequestStatus.ACCEPTED, RequestStatus.MERGED)
    program = request.program
    model = schemas.StaffVisitRequestOut if staff else schemas.VisitRequestOut
    extra = {"version": request.version} if staff else {}
    return model(
        id=request.public_id,
        region=region_out(request.region_code),
        status=request.status,
        **values,
        proposal=_proposal(request),
        reason=request.reason,
        created_at=request.created_at.astimezone(zone),
        decided_at=request.decided_at.astimezone(zone) if request.decided_at else None,
        manage_url=request_url(request),
        delegation_url=manage_url(request.delegation)
        if settled and request.delegation is not None
        else None,
        program=schemas.ProgramRef(
            slug=program.slug,
            title=program.title,
            first_day=program.first_day,
            last_day=program.last_day,
        )
        if program is not None
        else None,
        **extra,
    )


def visit_request_json(request: VisitRequest, staff: bool = False) -> dict:
    """The request as its requester sees it; staff also get its version."""
    return _visit_request(request, staff).model_dump(mode="json")


def visit_requests_json(requests, next_page: int | None) -> dict:
    listed = schemas.VisitRequestList(
        visit_requests=[_visit_request(request, staff=True) for request in requests],
        next_page=next_page,
    )
    return listed.model_dump(mode="json")
