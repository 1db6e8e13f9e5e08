"""The words for delegations' and members' codes: statuses, roles, audit actions, fields."""

from flask_babel import lazy_gettext as _l

from planner.core import labels
from planner.delegations.models import DelegationStatus, Gender, MemberRole

STATUS_LABELS = {
    DelegationStatus.PENDING: _l("waiting for approval"),
    DelegationStatus.APPROVED: _l("approved"),
    DelegationStatus.WAITLISTED: _l("on the waitlist"),
    DelegationStatus.REJECTED: _l("rejected"),
    DelegationStatus.CANCELLED: _l("cancelled"),
}
ROLE_LABELS = {
    MemberRole.LEADER: _l("Leader"),
    MemberRole.MEMBER: _l("Member"),
    MemberRole.STAFF: _l("Staff / aide"),
}
GENDER_LABELS = {Gender.MALE: _l("Male (L)"), Gender.FEMALE: _l("Female (P)")}

labels.register(
    "Delegation",
    actions={
        "delegation.registered": _l("Delegation registered"),
        "delegation.updated": _l("Delegation details changed"),
        "delegation.members_changed": _l("Member list changed"),
        "delegation.letter_uploaded": _l("Request letter uploaded"),
        "delegation.cancelled": _l("Cancelled by the delegation"),
        "delegation.status_changed": _l("Status decided"),
        "delegation.link_reissued": _l("New private link made"),
        "delegation.deleted": _l("Delegation and its personal data deleted"),
        "delegation.precedence_set": _l("Places in the order of precedence set by hand"),
        "delegation.precedence_confirmed": _l("Order of precedence confirmed"),
    },
    fields={
        "status": _l("Status"),
        "reason": _l("Reason"),
        "members": _l("Members"),
        "added": _l("Added"),
        "changed": _l("Changed"),
        "removed": _l("Removed"),
        "request_letter": _l("Request letter"),
        "placed_by_hand": _l("Members placed by hand"),
    },
    values={"status": STATUS_LABELS},
)
labels.register(
    "Member",
    actions={"member.link_reissued": _l("New personal link made")},
    values={"role": ROLE_LABELS, "gender": GENDER_LABELS},
)


def status_label(status) -> str:
    return str(STATUS_LABELS[DelegationStatus(status)])
