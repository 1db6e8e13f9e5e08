"""Registering a delegation and keeping it up to date: the rules every path goes through
(the registration form, the private page, the staff pages and the JSON API)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from planner.audit.log import changes_between, record, snapshot
from planner.core.database import db, utcnow
from planner.core.records import StaleEdit
from planner.delegations import capacity
from planner.delegations.models import (
    SEAT_HOLDING_STATUSES,
    Delegation,
    DelegationStatus,
    Member,
    RequestLetter,
)
from planner.programs.models import AgendaItem, ItemStatus, Program, ProgramStatus

DETAIL_FIELDS = (
    "institution",
    "province",
    "leader_name",
    "leader_title",
    "contact_name",
    "contact_phone",
    "contact_email",
    "request_letter_number",
    "request_letter_date",
    "arrival_notes",
    "departure_notes",
    "arrives_on",
    "departs_on",
)
MEMBER_FIELDS = (
    "full_name",
    "position",
    "nip",
    "rank",
    "gender",
    "phone",
    "email",
    "dietary",
    "role",
)
# Kept out of the audit trail's old/new values: the trail records that they changed.
PERSONAL_FIELDS = frozenset({"leader_name", "contact_name", "contact_phone", "contact_email"})


@dataclass
class MemberData:
    full_name: str
    position: str = ""
    nip: str | None = None
    rank: str = ""
    gender: str | None = None
    phone: str = ""
    email: str | None = None
    dietary: str = ""
    role: str = "member"
    optional_items: list[str] = field(default_factory=list)  # item public ids
    public_id: str | None = None  # an existing member, when editing


@dataclass
class DelegationData:
    institution: str
    province: str
    leader_name: str
    leader_title: str
    contact_name: str
    contact_phone: str
    contact_email: str
    request_letter_number: str = ""
    request_letter_date: date | None = None
    arrival_notes: str = ""
    departure_notes: str = ""
    arrives_on: date | None = None
    departs_on: date | None = None

    def values(self) -> dict:
        return {name: getattr(self, name) for name in DETAIL_FIELDS}


@dataclass
class LetterFile:
    filename: str
    content: bytes


class RegistrationRefused(Exception):
    """Input that breaks a rule; `errors` maps paths (`members.3.optional_items`) to messages."""

    def __init__(self, errors: dict[str, list]):
        super().__init__(errors)
        self.errors = errors


class RegistrationClosed(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def registration_problem(program: Program, now: datetime | None = None):
    """Why the program takes no registrations now, or None when it does."""
    now = now or utcnow()
    if program.status != ProgramStatus.PUBLISHED:
        return _l("Registration for this program is closed.")
    if program.registration_opens_at and now < program.registration_opens_at:
        return _l("Registration for this program has not opened yet.")
    if program.registration_closes_at and now >= program.registration_closes_at:
        return _l("Registration for this program is closed.")
    return None


def _require_open(program: Program) -> None:
    problem = registration_problem(program)
    if problem:
        raise RegistrationClosed(problem)


def _optional_items(program: Program) -> dict[str, AgendaItem]:
    return {
        item.public_id: item
        for item in program.items
        if item.optional and item.status == ItemStatus.SCHEDULED
    }


def _overlap(a: AgendaItem, b: AgendaItem) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def resolve_choices(program: Program, members: list[MemberData]) -> list[list[AgendaItem]]:
    """Each member's optional items, checked: known, not cancelled, not overlapping anything
    else the member attends."""
    available = _optional_items(program)
    required = [
        item for item in program.items if not item.optional and item.status == ItemStatus.SCHEDULED
    ]
    errors: dict[str, list] = {}
    resolved = []
    for index, member in enumerate(members):
        chosen = []
        path = f"members.{index}.optional_items"
        for public_id in dict.fromkeys(member.optional_items):
            item = available.get(public_id)
            if item is None:
                errors.setdefault(path, []).append(
                    _l("This is not an optional item of the program.")
                )
                continue
            clash = next((other for other in chosen + required if _overlap(item, other)), None)
            if clash is not None:
                errors.setdefault(path, []).append(
                    _l(
                        "%(title)s overlaps with %(other)s; choose one of them.",
                        title=item.title,
                        other=clash.title,
                    )
                )
                continue
            chosen.append(item)
        resolved.append(chosen)
    if errors:
        raise RegistrationRefused(errors)
    return resolved


def _choice_counts(choices: list[list[AgendaItem]]) -> dict[AgendaItem, int]:
    counts: dict[AgendaItem, int] = {}
    for items in choices:
        for item in items:
            counts[item] = counts.get(item, 0) + 1
    return counts


def _member_values(member: MemberData) -> dict:
    return {name: getattr(member, name) for name in MEMBER_FIELDS}


def _audit_values(changes: dict) -> dict:
    return {
        name: ["•••", "•••"] if name in PERSONAL_FIELDS else values
        for name, values in changes.items()
    }


def register(
    program: Program,
    details: DelegationData,
    members: list[MemberData],
    letter: LetterFile | None = None,
    actor_label: str = "delegation contact",
) -> Delegation:
    """A new delegation: pending or approved if there is room, waitlisted or refused if not."""
    _require_open(program)
    capacity.check_member_limit(program, len(members))
    choices = resolve_choices(program, members)
    capacity.lock_program(program)
    delegation = Delegation(program=program, **details.values())
    if capacity.program_has_room(program, delegation, len(members)):
        status = (
            DelegationStatus.PENDING if program.requires_approval else DelegationStatus.APPROVED
        )
    elif program.waitlist:
        status = DelegationStatus.WAITLISTED
    else:
        raise capacity.ProgramFull(
            _l("This program is full and takes no waitlist. Please contact the host.")
        )
    delegation.status = status
    if status == DelegationStatus.WAITLISTED:
        delegation.status_reason = str(_l("The program is full; you are on the waitlist."))
    else:
        capacity.check_item_capacity(delegation, _choice_counts(choices))
    for index, (member, items) in enumerate(zip(members, choices, strict=True)):
        delegation.members.append(
            Member(sort_order=index, optional_items=items, **_member_values(member))
        )
    if letter is not None:
        delegation.request_letter = RequestLetter(
            filename=letter.filename, size=len(letter.content), content=letter.content
        )
    db.session.add(delegation)
    record(
        "delegation.registered",
        delegation,
        program=program,
        delegation=delegation,
        actor_label=actor_label,
        changes={"status": [None, str(status)], "members": [None, len(members)]},
    )
    return delegation


def can_contact_edit(delegation: Delegation) -> bool:
    """Contacts edit while registration is open and the delegation is still in the running."""
    return registration_problem(delegation.program) is None and delegation.status in (
        DelegationStatus.PENDING,
        DelegationStatus.APPROVED,
        DelegationStatus.WAITLISTED,
    )


def update_details(
    delegation: Delegation,
    details: DelegationData,
    expected_version: int | None = None,
    actor_label: str | None = None,
) -> dict:
    if expected_version is not None and expected_version != delegation.version:
        raise StaleEdit()
    values = details.values()
    changes = changes_between(snapshot(delegation, values), values)
    for name in changes:
        setattr(delegation, name, values[name])
    if changes:
        record(
            "delegation.updated",
            delegation,
            program=delegation.program,
            delegation=delegation,
            actor_label=actor_label,
            changes=_audit_values(changes),
        )
    return changes


def replace_members(
    delegation: Delegation, members: list[MemberData], actor_label: str | None = None
) -> dict:
    """Make the member list exactly `members` (matched to existing members by public id, so
    their personal links survive), with the same limits and capacity as registration."""
    program = delegation.program
    capacity.check_member_limit(program, len(members))
    choices = resolve_choices(program, members)
    capacity.lock_program(program)
    if delegation.status in SEAT_HOLDING_STATUSES:
        if not capacity.program_has_room(program, delegation, len(members)):
            raise capacity.ProgramFull(
                _l("There are not enough seats left in the program for this many members.")
            )
        capacity.check_item_capacity(delegation, _choice_counts(choices))
    existing = {member.public_id: member for member in delegation.members}
    kept, added, changed = set(), 0, 0
    for index, (data, items) in enumerate(zip(members, choices, strict=True)):
        member = existing.get(data.public_id) if data.public_id else None
        if member is None or member.public_id in kept:
            delegation.members.append(
                Member(sort_order=index, optional_items=items, **_member_values(data))
            )
            added += 1
            continue
        kept.add(member.public_id)
        values = {**_member_values(data), "sort_order": index}
        choices_changed = {item.id for item in member.optional_items} != {item.id for item in items}
        if choices_changed or any(getattr(member, n) != v for n, v in values.items()):
            changed += 1
        for name, value in values.items():
            setattr(member, name, value)
        if choices_changed:
            member.optional_items = items
            member.updated_at = utcnow()  # the member's calendar feed changes with it
    removed = [member for key, member in existing.items() if key not in kept]
    for member in removed:
        delegation.members.remove(member)
    summary = {"added": added, "changed": changed, "removed": len(removed)}
    if added or changed or removed:
        delegation.updated_at = utcnow()
        record(
            "delegation.members_changed",
            delegation,
            program=program,
            delegation=delegation,
            actor_label=actor_label,
            changes={name: [None, count] for name, count in summary.items() if count},
        )
    return summary


def set_letter(delegation: Delegation, letter: LetterFile, actor_label: str | None = None):
    delegation.request_letter = RequestLetter(
        filename=letter.filename, size=len(letter.content), content=letter.content
    )
    record(
        "delegation.letter_uploaded",
        delegation,
        program=delegation.program,
        delegation=delegation,
        actor_label=actor_label,
        changes={"request_letter": [None, letter.filename]},
    )


def cancel_by_contact(delegation: Delegation, reason: str) -> None:
    old = delegation.status
    delegation.status = DelegationStatus.CANCELLED
    delegation.status_reason = reason or str(_l("Cancelled by the delegation."))
    record(
        "delegation.cancelled",
        delegation,
        program=delegation.program,
        delegation=delegation,
        actor_label="delegation contact",
        changes={"status": [str(old), DelegationStatus.CANCELLED.value]},
    )
