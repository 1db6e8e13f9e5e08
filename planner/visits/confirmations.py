"""What the confirmation page says before a visit request's steps that cannot be undone
(planner.core.confirm asks): staff declining it, and the requester withdrawing it."""

from flask_babel import gettext as _

from planner.core.confirm import Question
from planner.visits.models import VisitRequest


def decline(visit: VisitRequest, reason: str | None = None) -> Question:
    """Staff decline a request (`reason` None: the one being written, on the page's dialog)."""
    return Question(
        title=_("Decline the visit request of %(institution)s?", institution=visit.institution),
        consequences=[
            _("The requester is sent the decision with your reason: “%(reason)s”.", reason=reason)
            if reason is not None
            else _("The requester is sent the decision with your reason."),
            _(
                "The request is closed: it can no longer be accepted, joined to a planned "
                "visit or given other dates, and the message cannot be taken back."
            ),
        ],
        button=_("Yes, decline"),
    )


def withdraw(visit: VisitRequest) -> Question:
    """The requester withdraws their own request."""
    return Question(
        title=_("Withdraw the visit request of %(institution)s?", institution=visit.institution),
        consequences=[
            _("The host's protocol office will no longer decide on it."),
            _("You cannot undo this: to visit after all, send a new request."),
        ],
        button=_("Yes, withdraw the request"),
    )
