"""The requester's private link, and opening it."""

import hmac

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.core.database import db
from planner.core.links import absolute
from planner.delegations.access import TOKEN_PATTERN
from planner.visits.models import VisitRequest


def request_url(request: VisitRequest) -> str:
    return absolute("visits.request_page", token=request.token)


def request_by_token_or_404(token: str) -> VisitRequest:
    if TOKEN_PATTERN.fullmatch(token) is None:
        abort(404)
    request = db.session.scalar(
        select(VisitRequest)
        .where(VisitRequest.token == token)
        .options(selectinload(VisitRequest.wished_dates), selectinload(VisitRequest.topics))
    )
    if request is None or not hmac.compare_digest(request.token, token):
        abort(404)
    return request
