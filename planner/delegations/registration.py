"""Registering a delegation and keeping it up to date: the rules every path goes through
(the registration form, the private page, the staff pages and the JSON API)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm.attributes import set_committed_value

from planner.audit.log import record
from planner.core.database import db, utcnow
from planner.core.i18n import current_language
from planner.core.records import apply_changes
from planner.delegations import capacity, events
from planner.delegations.matching import AmbiguousList, match_members
from planner.delegations.models import (
    SEAT_HOLDING_STATUSES,
    Delegation,
    DelegationStatus,
    Member,
    MemberItem,
    RequestLetter,
)
from planner.delegations.records import DelegationFields, MemberFields
from planner.programs.models import AgendaItem, ItemStatus, Program, ProgramStatus

# Kept out of the audit trail's old/new values: the trail records that they changed.
PERSONAL_FIELDS = frozenset(
    {"leader_name", "contact_name", "contact_phone", "contact_email", "nip", "phone", "email"}
)


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
        return _l(
            "Registration for this program is closed. To register late, please contact the host's "
            "protocol staff."
        )
    if program.registration_opens_at and now < program.registration_opens_at:
        return _l(
            "Registration for this program has not opened yet. Please come back later, or ask the "
            "host when it opens."
        )
    if program.registration_closes_at and now >= program.registration_closes_at:
        return _l(
            "Registration for this program is closed. To register late, please contact the host's "
            "protocol staff."
        )
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


def resolve_choices(program: Program, members: list[MemberFields]) -> list[list[AgendaItem]]:
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
                    _l(
                        "This is not an optional item of the program. Reload the page and choose "
                        "from the optional items shown."
                    )
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


def _audit_values(changes: dict) -> dict:
    return {
        name: ["•••", "•••"] if name in PERSONAL_FIELDS else values
        for name, values in changes.items()
    }


def seats_held_elsewhere(
    program: Program, members: list[MemberFields], delegation: Delegation | None = None
) -> None:
    """Refuse a NIP that already holds a seat in the program with another delegation: one
    person, one seat."""
    nips = {member.nip: index for index, member in enumerate(members) if member.nip}
    if not nips:
        return
    query = (
        select(Member.nip, Delegation.institution)
        .join(Delegation, Delegation.id == Member.delegation_id)
        .where(
            Delegation.program_id == program.id,
            Delegation.status.in_(SEAT_HOLDING_STATUSES),
            Member.nip.in_(nips),
        )
    )
    if delegation is not None and delegation.id is not None:
        query = query.where(Delegation.id != delegation.id)
    errors = {
        f"members.{nips[nip]}.nip": [
            _l(
                "This NIP is already registered in this program with %(institution)s; one person "
                "can register only once. Check the NIP; if it is right, contact %(institution)s "
                "or the host.",
                institution=institution,
            )
        ]
        for nip, institution in db.session.execute(query)
    }
    if errors:
        raise RegistrationRefused(errors)


def register(
    program: Program,
    details: DelegationFields,
    members: list[MemberFields],
    letter: LetterFile | None = None,
    actor_label: str = "delegation contact",
    approved_by_host: bool = False,
    language: str | None = None,
) -> Delegation:
    """A new delegation: pending or approved if there is room, waitlisted or refused if not.
    One the host registers itself (from a visit request) is approved when there is room."""
    _require_open(program)
    capacity.check_member_limit(program, len(members))
    choices = resolve_choices(program, members)
    capacity.lock_program(program)
    seats_held_elsewhere(program, members)
    delegation = Delegation(
        program=program,
        language=language or current_language(),
        **details.attributes(details.model_dump()),
    )
    if capacity.program_has_room(program, delegation, len(members)):
        status = (
            DelegationStatus.PENDING
            if program.requires_approval and not approved_by_host
            else DelegationStatus.APPROVED
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
    if letter is not None:
        delegation.request_letter = RequestLetter(
            filename=letter.filename, size=len(letter.content), content=letter.content
        )
    db.session.add(delegation)
    db.session.flush()
    _insert_members(delegation, dict(enumerate(zip(members, choices, strict=True))))
    record(
        "delegation.registered",
        delegation,
        program=program,
        delegation=delegation,
        actor_label=actor_label,
        changes={"status": [None, str(status)], "members": [None, len(members)]},
    )
    db.session.flush()
    if not approved_by_host:  # the host's own answer to the visit request tells the contact
        events.registered.send(delegation)
    return delegation


def _insert_members(
    delegation: Delegation, rows: dict[int, tuple[MemberFields, list[AgendaItem]]]
) -> list[Member]:
    """Add members (by their place in the list: data and chosen items) with one statement for
    the members and one for their choices, whatever their number. The delegation's member list
    is read back once and set as loaded, with the new members' choices, so that the answer and
    the messages built from them read nothing more. Returns the new members.

    The members go in as an executemany without RETURNING: a multi-row INSERT ... RETURNING
    is too long for psycopg's query cache, and parsing it on every registration costs more
    than the SELECT."""
    db.session.execute(
        insert(Member),
        [
            {**data.columns(), "delegation_id": delegation.id, "sort_order": place}
            for place, (data, _items) in rows.items()
        ],
        execution_options={"render_nulls": True},  # the same columns for every row
    )
    everyone = db.session.scalars(
        select(Member).where(Member.delegation_id == delegation.id).order_by(Member.sort_order)
    ).all()
    added = [member for member in everyone if member.sort_order in rows]
    chosen = [
        {"member_id": member.id, "item_id": item.id}
        for member in added
        for item in rows[member.sort_order][1]
    ]
    if chosen:
        db.session.execute(insert(MemberItem), chosen)
    for member in added:
        set_committed_value(member, "optional_items", rows[member.sort_order][1])
        set_committed_value(member, "delegation", delegation)
    set_committed_value(delegation, "members", everyone)
    return added


def can_contact_edit(delegation: Delegation) -> bool:
    """Contacts edit while registration is open and the delegation is still in the running."""
    return registration_problem(delegation.program) is None and delegation.status in (
        DelegationStatus.PENDING,
        DelegationStatus.APPROVED,
        DelegationStatus.WAITLISTED,
    )


def update_details(
    delegation: Delegation,
    details: DelegationFields,
    expected_version: int | None = None,
    actor_label: str | None = None,
) -> dict:
    values = details.attributes(details.model_dump())
    changes = apply_changes(delegation, values, expected_version)
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
    delegation: Delegation, members: list[MemberFields], actor_label: str | None = None
) -> dict:
    """Make the member list exactly `members`, with the same limits and capacity as
    registration. Rows are matched to the existing members (matching.match_members), so kept
    members keep their personal links, feeds and, unless a row changes them, their choices."""
    program = delegation.program
    capacity.check_member_limit(program, len(members))
    try:
        matched = match_members(delegation.members, members)
    except AmbiguousList as ambiguous:
        raise RegistrationRefused(ambiguous.errors) from None
    choices = resolve_choices(program, members)
    capacity.lock_program(program)
    seats_held_elsewhere(program, members, delegation)
    if delegation.status in SEAT_HOLDING_STATUSES:
        if not capacity.program_has_room(program, delegation, len(members)):
            raise capacity.ProgramFull(
                _l(
                    "There are not enough places left in the program for this many members. List "
                    "fewer members, or contact the host."
                )
            )
        capacity.check_item_capacity(delegation, _choice_counts(choices))
    kept = {member.id for member in matched if member is not None}
    removed = [member for member in delegation.members if member.id not in kept]
    changed = _apply_member_changes(delegation, removed, matched, members, choices)
    new_rows = {
        index: (data, items)
        for index, (data, member, items) in enumerate(zip(members, matched, choices, strict=True))
        if member is None
    }
    added = _insert_members(delegation, new_rows) if new_rows else []
    summary = {"added": len(added), "changed": changed, "removed": len(removed)}
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
    if added:
        events.members_added.send(delegation, members=added)
    return summary


def _apply_member_changes(
    delegation: Delegation,
    removed: list[Member],
    matched: list[Member | None],
    members: list[MemberFields],
    choices: list[list[AgendaItem]],
) -> int:
    """Remove and update before anything is added, each step flushed, so a NIP can move from
    one member to another (a swap, or a member removed and the NIP listed again) without the
    database seeing the same NIP twice in the delegation. Returns how many members changed."""
    for member in removed:
        delegation.members.remove(member)
    db.session.flush()
    moving = [
        member
        for member, data in zip(matched, members, strict=True)
        if member is not None and member.nip and member.nip != data.nip
    ]
    for member in moving:
        member.nip = None
    if moving:
        db.session.flush()
    changed = 0
    for index, (member, data, items) in enumerate(zip(matched, members, choices, strict=True)):
        if member is None:
            continue
        values = {**data.columns(), "sort_order": index}
        choices_changed = {item.id for item in member.optional_items} != {i.id for i in items}
        if choices_changed or any(getattr(member, n) != v for n, v in values.items()):
            changed += 1
        for name, value in values.items():
            setattr(member, name, value)
        if choices_changed:
            member.optional_items = items
            member.updated_at = utcnow()  # the member's calendar feed changes with it
    db.session.flush()
    return changed


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
    events.status_changed.send(delegation, old=DelegationStatus(old), by_contact=True)
