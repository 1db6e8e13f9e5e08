"""The words for visit requests' codes: statuses, audit actions."""

from flask_babel import lazy_gettext as _l

from planner.core import labels
from planner.visits.models import RequestStatus

STATUS_LABELS = {
    RequestStatus.NEW: _l("new"),
    RequestStatus.PROPOSED: _l("other dates proposed"),
    RequestStatus.ACCEPTED: _l("accepted"),
    RequestStatus.MERGED: _l("joined to a planned visit"),
    RequestStatus.DECLINED: _l("declined"),
    RequestStatus.WITHDRAWN: _l("withdrawn"),
}


def status_label(status) -> str:
    return str(STATUS_LABELS.get(status, status))


labels.register(
    "VisitRequest",
    values={"status": STATUS_LABELS},
    fields={
        "status": _l("Status"),
        "reason": _l("Message to the requester"),
        "proposal": _l("Proposal"),
        "program": _l("Program"),
        "template": _l("Program template"),
        "first_day": _l("First day"),
        "reply_number": _l("Letter number"),
        "reply_date": _l("Letter date"),
        "reply_body": _l("Letter text"),
    },
    actions={
        "visit_request.submitted": _l("Visit request received"),
        "visit_request.updated": _l("Visit request details changed"),
        "visit_request.accepted": _l("Visit request accepted"),
        "visit_request.merged": _l("Visit request joined to a planned visit"),
        "visit_request.proposed": _l("Other dates proposed"),
        "visit_request.proposal_withdrawn": _l("Proposal withdrawn"),
        "visit_request.proposal_accepted": _l("Proposal accepted by the requester"),
        "visit_request.proposal_declined": _l("Proposal declined by the requester"),
        "visit_request.declined": _l("Visit request declined"),
        "visit_request.withdrawn": _l("Visit request withdrawn by the requester"),
        "visit_request.delegation_created": _l("Delegation created from the request"),
        "visit_request.reply_saved": _l("Reply letter saved"),
        "visit_request.link_reissued": _l("New private link made"),
    },
)
labels.register(
    "Topic",
    actions={
        "topic.created": _l("Topic created"),
        "topic.updated": _l("Topic changed"),
    },
)
labels.register(
    "ProgramTemplate",
    actions={
        "template.created": _l("Program template created"),
        "template.updated": _l("Program template changed"),
        "template.item_added": _l("Template item added"),
        "template.item_removed": _l("Template item removed"),
    },
)
labels.register(
    "HostProfile",
    actions={
        "host.updated": _l("Host settings changed"),
        "host.holiday_added": _l("Holiday added"),
        "host.holiday_removed": _l("Holiday removed"),
    },
)
