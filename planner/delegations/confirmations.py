"""What the confirmation page says before a delegation's irreversible steps (planner.core.confirm
asks; these say exactly what will happen): the contact's cancellation, a staff decision that
takes the seats away, the deletion, and members removed by an edit."""

from flask_babel import gettext as _

from planner.core.confirm import Question
from planner.core.i18n import ngettext
from planner.delegations.labels import status_label
from planner.delegations.matching import AmbiguousList, match_members
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, DelegationStatus, Member
from planner.delegations.records import MemberFields

# The staff decisions that are asked about: they free the seats and tell the contact.
ENDING = (DelegationStatus.REJECTED.value, DelegationStatus.CANCELLED.value)


def _seats(delegation: Delegation) -> str:
    count = len(delegation.members)
    if delegation.status in SEAT_HOLDING_STATUSES:
        return ngettext(
            "Its %(num)s member loses the seat in the program; others can take it.",
            "Its %(num)s members lose their seats in the program; others can take them.",
            count,
        )
    return _("It leaves the waitlist.")


def cancel(delegation: Delegation) -> Question:
    """The contact cancels their own registration."""
    return Question(
        title=_(
            "Cancel the registration of %(institution)s for %(program)s?",
            institution=delegation.institution,
            program=delegation.program.title,
        ),
        consequences=[
            _seats(delegation),
            _("The members' personal pages will say that the registration is cancelled."),
            _(
                "You cannot undo this yourself: only the host's protocol staff can restore "
                "the registration."
            ),
        ],
        button=_("Yes, cancel the registration"),
    )


def decision(delegation: Delegation, status: str, reason: str | None = None) -> Question:
    """Staff reject or cancel a registration (`reason` None: the one being written)."""
    if status == DelegationStatus.REJECTED.value:
        question = _(
            "Reject the registration of %(institution)s for %(program)s?",
            institution=delegation.institution,
            program=delegation.program.title,
        )
        button = _("Yes, reject")
    else:
        question = _(
            "Cancel the registration of %(institution)s for %(program)s?",
            institution=delegation.institution,
            program=delegation.program.title,
        )
        button = _("Yes, cancel the registration")
    return Question(
        title=question,
        consequences=[
            _seats(delegation),
            _(
                "The contact person is sent the decision (%(status)s) with your reason: "
                "“%(reason)s”.",
                status=status_label(status),
                reason=reason,
            )
            if reason is not None
            else _(
                "The contact person is sent the decision (%(status)s) with your reason.",
                status=status_label(status),
            ),
            _(
                "You can change the decision later, but the seats may be taken by then and "
                "the message cannot be taken back."
            ),
        ],
        button=button,
    )


def delete(delegation: Delegation) -> Question:
    """Staff delete a delegation and its members' personal data."""
    return Question(
        title=ngettext(
            "Delete %(institution)s and the personal data of its %(num)s member?",
            "Delete %(institution)s and the personal data of its %(num)s members?",
            len(delegation.members),
            institution=delegation.institution,
        ),
        consequences=[
            _(
                "Names, NIPs, phone numbers and the request letter are deleted; the history "
                "keeps only that it happened."
            ),
            _("The private link and the members' personal links stop working."),
            _("This cannot be undone."),
        ],
        button=_("Yes, delete"),
    )


def removed_members(delegation: Delegation, rows: list[MemberFields]) -> list[Member]:
    """The members a save of `rows` would remove (matched as replace_members matches them);
    none when the rows cannot be matched, since the save then refuses with its own errors."""
    try:
        matched = match_members(delegation.members, rows)
    except AmbiguousList:
        return []
    kept = {member.id for member in matched if member is not None}
    return [member for member in delegation.members if member.id not in kept]


def removal(removed: list[Member]) -> Question:
    """An edit that removes members who exist."""
    return Question(
        title=ngettext(
            "This member will be removed:",
            "These %(num)s members will be removed:",
            len(removed),
        ),
        removed=[member.full_name for member in removed],
        consequences=[
            ngettext(
                "Their personal link and calendar stop working.",
                "Their personal links and calendars stop working.",
                len(removed),
            ),
            _("The other changes on the form are saved with it. This cannot be undone."),
        ],
        button=_("Yes, remove and save"),
    )
