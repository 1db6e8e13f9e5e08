"""JSON shapes of the API (field names are a contract: DESIGN.md, "JSON API")."""

from zoneinfo import ZoneInfo

from planner.core.links import absolute
from planner.delegations import capacity
from planner.delegations.models import Delegation, Member
from planner.programs.models import AgendaItem, Program
from planner.venues.models import Venue


def iso(moment, timezone: str | None = None) -> str | None:
    """ISO 8601 with the program's offset, e.g. 2026-12-09T08:00:00+07:00."""
    if moment is None:
        return None
    if timezone is not None:
        moment = moment.astimezone(ZoneInfo(timezone))
    return moment.isoformat(timespec="seconds")


def venue_json(venue: Venue) -> dict:
    return {
        "id": venue.public_id,
        "name": venue.name,
        "address": venue.address,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "seats": venue.seats,
        "notes": venue.notes,
    }


def item_json(item: AgendaItem, seats_left: dict[int, int]) -> dict:
    tz = item.program.timezone
    return {
        "id": item.public_id,
        "title": item.title,
        "kind": item.kind,
        "starts_at": iso(item.starts_at, tz),
        "ends_at": iso(item.ends_at, tz),
        "venue_id": item.venue.public_id if item.venue else None,
        "venue": venue_json(item.venue) if item.venue else None,
        "presenter": item.presenter,
        "description": item.description,
        "requirements": item.requirements,
        "dress_code": item.dress_code,
        "capacity": item.capacity,
        "optional": item.optional,
        "status": item.status,
        "revision": item.revision,
        "seats_left": seats_left.get(item.id),
    }


def program_json(program: Program, with_items: bool = True) -> dict:
    data = {
        "slug": program.slug,
        "title": program.title,
        "summary": program.summary,
        "description": program.description,
        "first_day": program.first_day.isoformat(),
        "last_day": program.last_day.isoformat(),
        "timezone": program.timezone,
        "status": program.status,
        "listed": program.listed,
        "members_per_delegation": program.members_per_delegation,
        "max_delegations": program.max_delegations,
        "max_participants": program.max_participants,
        "requires_approval": program.requires_approval,
        "waitlist": program.waitlist,
        "registration_opens_at": iso(program.registration_opens_at, program.timezone),
        "registration_closes_at": iso(program.registration_closes_at, program.timezone),
        "seats_left": capacity.seats_left(program),
    }
    if with_items:
        left = capacity.items_left(program)
        data["items"] = [item_json(item, left) for item in program.items]
    return data


def member_json(member: Member) -> dict:
    return {
        "id": member.public_id,
        "full_name": member.full_name,
        "nip": member.nip,
        "position": member.position,
        "rank": member.rank,
        "gender": member.gender,
        "phone": member.phone,
        "email": member.email,
        "dietary": member.dietary,
        "role": member.role,
        "precedence": member.precedence,
        "optional_items": [item.public_id for item in member.optional_items],
        "personal_url": absolute("delegations.member", token=member.token),
        "calendar_url": absolute("calendar.member_feed", token=member.token),
    }


def delegation_json(delegation: Delegation) -> dict:
    return {
        "id": delegation.public_id,
        "program": delegation.program.slug,
        "status": delegation.status,
        "status_reason": delegation.status_reason,
        "institution": delegation.institution,
        "province": delegation.province,
        "leader_name": delegation.leader_name,
        "leader_title": delegation.leader_title,
        "contact": {
            "name": delegation.contact_name,
            "phone": delegation.contact_phone,
            "email": delegation.contact_email,
        },
        "request_letter": {
            "number": delegation.request_letter_number,
            "date": delegation.request_letter_date.isoformat()
            if delegation.request_letter_date
            else None,
        },
        "arrival_notes": delegation.arrival_notes,
        "departure_notes": delegation.departure_notes,
        "members": [member_json(member) for member in delegation.members],
        "manage_url": absolute("delegations.delegation", token=delegation.token),
        "calendar_url": absolute("calendar.delegation_feed", token=delegation.token),
    }
