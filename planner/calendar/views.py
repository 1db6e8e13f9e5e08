"""The calendar feeds, answered with 304 Not Modified whenever nothing changed."""

import hashlib
import hmac
from collections.abc import Callable
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import gettext as _
from sqlalchemy import select

from planner.calendar import feeds
from planner.calendar.builder import Feed, build_calendar, stable_uid
from planner.core.access import public_staff_endpoint
from planner.core.database import db
from planner.core.i18n import DEFAULT_LANGUAGE, current_language
from planner.core.links import absolute
from planner.core.security import private_link_limit
from planner.delegations.access import delegation_by_token_or_404, member_by_token_or_404
from planner.programs.queries import public_program_or_404
from planner.staff.models import StaffUser

bp = Blueprint("calendar", __name__)


@bp.app_context_processor
def calendar_helpers():
    return {"calendar_links": calendar_links}


def calendar_links(endpoint: str, **values) -> dict[str, str]:
    """Download, subscribe (webcal://) and Google Calendar links for a feed, in the page's
    language (calendar apps send no cookie, so the language travels in the URL)."""
    if current_language() != DEFAULT_LANGUAGE:
        values["lang"] = current_language()
    feed = absolute(endpoint, **values)
    webcal = "webcal://" + feed.split("://", 1)[1]
    return {
        "feed": feed,
        "download": absolute(endpoint, **values, download=1),
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
    }


def feed_response(
    version: feeds.Version, render: Callable[[], bytes], filename: str, private: bool
) -> Response:
    """The feed, or 304 when the client's copy is current, decided before rendering."""
    etag = hashlib.sha256(repr((version, current_language())).encode()).hexdigest()[:32]
    modified = feeds.last_modified(version)
    modified = modified.replace(microsecond=0) if modified else None
    if request.if_none_match:
        fresh = request.if_none_match.contains(etag)
    else:
        since = request.if_modified_since
        fresh = bool(since and modified and modified <= since)
    response = (
        Response(status=304)
        if fresh
        else Response(render(), content_type="text/calendar; charset=utf-8")
    )
    response.set_etag(etag)
    if modified:
        response.last_modified = modified
    response.headers["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    response.vary.add("Accept-Language")
    if not fresh:
        disposition = "attachment" if request.args.get("download") else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.get("/programs/<slug>/agenda.ics")
def program_feed(slug: str):
    program = public_program_or_404(slug, with_items=False)
    page = absolute("public.program", slug=program.slug)

    def render() -> bytes:
        return build_calendar(
            Feed(
                name=program.title,
                uid=program.calendar_uid,
                timezone=program.timezone,
                items=feeds.program_items(program),
                url_of=lambda item: page,
                description=program.summary,
            )
        )

    return feed_response(feeds.program_version(program), render, f"{program.slug}.ics", False)


@bp.get("/d/<token>/schedule.ics")
@private_link_limit
def delegation_feed(token: str):
    delegation = delegation_by_token_or_404(token, full=False)
    program = delegation.program

    def render() -> bytes:
        return feeds.delegation_calendar(delegation)

    return feed_response(
        feeds.delegation_version(delegation), render, f"{program.slug}-rombongan.ics", True
    )


@bp.get("/m/<token>/schedule.ics")
@private_link_limit
def member_feed(token: str):
    member = member_by_token_or_404(token, full=False)
    program = member.delegation.program

    def render() -> bytes:
        return feeds.member_calendar(member)

    return feed_response(feeds.member_version(member), render, f"{program.slug}-saya.ics", True)


@bp.get("/staff/calendar.ics")
@public_staff_endpoint
@private_link_limit
def staff_feed():
    token = request.args.get("token", "")
    user = (
        db.session.scalar(
            select(StaffUser).where(StaffUser.calendar_token == token, StaffUser.active.is_(True))
        )
        if token
        else None
    )
    if user is None or not hmac.compare_digest(user.calendar_token, token):
        abort(404)

    def render() -> bytes:
        return build_calendar(
            Feed(
                name=_("All study visits (staff)"),
                uid=stable_uid("staff", user.public_id),
                timezone=current_app.config["PLANNER_TIMEZONE"],
                items=feeds.staff_items(),
                url_of=lambda item: absolute("programs.show", slug=item.program.slug),
            )
        )

    return feed_response(feeds.staff_version(user), render, "kunjungan-kerja-staf.ics", True)
