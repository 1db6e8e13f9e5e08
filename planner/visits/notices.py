"""The messages a requester gets: the link to the request's page, and each decision."""

from flask import current_app
from flask_babel import force_locale

from planner.calendar.feeds import delegation_calendar
from planner.core import outbox
from planner.core.outbox import Attachment
from planner.delegations.links import manage_url
from planner.visits.links import request_url


def _to_requester(request, kind: str, attachments=(), **context):
    return outbox.queue(
        kind,
        request.contact_email,
        kind,
        language=request.language,
        attachments=attachments,
        visit=request,
        visit_url=request_url(request),
        protocol_contact=current_app.config["PLANNER_PROTOCOL_CONTACT"],
        **context,
    )


def received(request):
    return _to_requester(request, "visit_request_received")


def decided(request):
    """The decision; an accepted or merged request's mail carries the delegation's link and
    its agenda as a calendar file."""
    delegation = request.delegation
    if delegation is None:
        return _to_requester(request, "visit_request_decided")
    with force_locale(request.language):
        calendar = delegation_calendar(delegation).decode()
    return _to_requester(
        request,
        "visit_request_decided",
        attachments=[
            Attachment(f"{delegation.program.slug}-rombongan.ics", "text/calendar", calendar)
        ],
        manage_url=manage_url(delegation),
        program=delegation.program,
    )
