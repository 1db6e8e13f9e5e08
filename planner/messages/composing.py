"""The messages planner sends, each queued in the outbox in its recipient's language, with the
calendar file the one calendar builder makes for them."""

from functools import partial

from flask import current_app
from flask_babel import force_locale

from planner.calendar.feeds import delegation_calendar, member_calendar
from planner.core import outbox
from planner.core.outbox import Attachment
from planner.delegations.links import manage_url, personal_url
from planner.delegations.models import Delegation, DelegationStatus, Member
from planner.programs.announcements import ItemChange, describe

CALENDAR = "text/calendar"


def _delegation_file(delegation: Delegation) -> Attachment:
    return Attachment(
        f"{delegation.program.slug}-rombongan.ics",
        CALENDAR,
        delegation_calendar(delegation).decode(),
    )


def _member_file(member: Member) -> Attachment:
    return Attachment(
        f"{member.delegation.program.slug}-saya.ics", CALENDAR, member_calendar(member).decode()
    )


def _about(delegation: Delegation, kind: str, recipient: str, calendar_file=None, **context):
    """A message about a delegation: in the language its contact registered in, with the
    calendar file `calendar_file()` makes in that language, and tied to the delegation (a
    purge takes it along)."""
    with force_locale(delegation.language):
        attachments = [calendar_file()] if calendar_file else []
    return outbox.queue(
        kind,
        recipient,
        kind,
        language=delegation.language,
        attachments=attachments,
        program_id=delegation.program_id,
        delegation_id=delegation.id,
        delegation=delegation,
        program=delegation.program,
        **context,
    )


def _to_contact(delegation: Delegation, kind: str, calendar=True, **context):
    return _about(
        delegation,
        kind,
        delegation.contact_email,
        calendar_file=partial(_delegation_file, delegation) if calendar else None,
        manage_url=manage_url(delegation),
        protocol_contact=current_app.config["PLANNER_PROTOCOL_CONTACT"],
        **context,
    )


def registration_confirmation(delegation: Delegation):
    return _to_contact(delegation, "registration")


def decision(delegation: Delegation, old: DelegationStatus, by_contact: bool = False):
    calendar = delegation.status in (DelegationStatus.APPROVED, DelegationStatus.PENDING)
    return _to_contact(
        delegation,
        "decision",
        calendar=calendar,
        old=old,
        from_waitlist=old == DelegationStatus.WAITLISTED
        and delegation.status in (DelegationStatus.PENDING, DelegationStatus.APPROVED),
        by_contact=by_contact,
    )


def delegation_link(delegation: Delegation):
    """The private link again, for a contact who asked for it."""
    return _to_contact(delegation, "delegation_link", calendar=False)


def reminder(delegation: Delegation, first_item):
    return _to_contact(delegation, "reminder", first_item=first_item)


def member_links(members: list[Member]) -> list:
    """Each member with an e-mail address gets their personal link and their own calendar."""
    return [
        _about(
            member.delegation,
            "member_link",
            member.email,
            calendar_file=partial(_member_file, member),
            member=member,
            personal_url=personal_url(member),
        )
        for member in members
        if member.email
    ]


def change_notice(
    recipient: str,
    name: str,
    delegation: Delegation,
    changes: list[ItemChange],
    member: Member | None = None,
):
    """One message per person, listing only the changes to items they attend."""
    with force_locale(delegation.language):
        lines = [(change.item, describe(change.item, change.marks)) for change in changes]
    own_file = partial(_member_file, member) if member else partial(_delegation_file, delegation)
    return _about(
        delegation,
        "change_notice",
        recipient,
        calendar_file=own_file,
        name=name,
        changes=lines,
        page_url=personal_url(member) if member else manage_url(delegation),
    )
