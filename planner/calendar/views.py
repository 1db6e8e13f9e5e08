"""The calendar feeds, answered with 304 Not Modified whenever nothing changed."""

import hashlib
import hmac
from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import gettext as _
from sqlalchemy import Row, select

from planner.calendar import feeds
from planner.calendar.builder import Feed, build_calendar, stable_uid
from planner.core.access import public_staff_endpoint
from planner.core.cache import app_cache, remembered
from planner.core.database import db
from planner.core.i18n import DEFAULT_LANGUAGE, current_language
from planner.core.links import absolute
from planner.core.security import private_link_limit
from planner.delegations.access import (
    TOKEN_PATTERN,
    delegation_by_token_or_404,
    member_by_token_or_404,
)
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
    kind: str, version: Sequence, render: Callable[[], bytes], filename: str, private: bool
) -> Response:
    """The feed, or 304 when the client's copy is current, decided before anything is loaded.
    The body is rendered once per version: a new version is a new key."""
    key = hashlib.sha256(
        repr(
            (kind, tuple(version), current_language(), current_app.config["PLANNER_BASE_URL"])
        ).encode()
    ).hexdigest()
    etag = key[:32]
    modified = feeds.last_modified(version)
    modified = modified.replace(microsecond=0) if modified else None
    if request.if_none_match:
        fresh = request.if_none_match.contains(etag)
    else:
        since = request.if_modified_since
        fresh = bool(since and modified and modified <= since)
    if fresh:
        response = Response(status=304)
    else:
        body = app_cache().get("feed:" + key)
        if body is None:
            body = render()
            app_cache().set("feed:" + key, body)
        response = Response(body, content_type="text/calendar; charset=utf-8")
    response.set_etag(etag)
    if modified:
        response.last_modified = modified
    response.headers["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    response.vary.add("Accept-Language")
    if not fresh:
        disposition = "attachment" if request.args.get("download") else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _private_version(kind: str, version_of: Callable[[str], Row | None], token: str) -> Row:
    """A private feed's version from its token, or 404."""
    version = (
        remembered((kind, token), lambda: version_of(token))
        if TOKEN_PATTERN.fullmatch(token)
        else None
    )
    if version is None or not hmac.compare_digest(version.token, token):
        abort(404)
    return version


@bp.get("/programs/<slug>/agenda.ics")
def program_feed(slug: str):
    version = remembered(("program", slug), lambda: feeds.program_version(slug))
    if version is None:
        abort(404)

    def render() -> bytes:
        program = public_program_or_404(slug, with_items=False)
        page = absolute("public.program", slug=program.slug)
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

    return feed_response("program", version, render, f"{slug}.ics", False)


@bp.get("/d/<token>/schedule.ics")
@private_link_limit
def delegation_feed(token: str):
    version = _private_version("delegation", feeds.delegation_version, token)

    def render() -> bytes:
        return feeds.delegation_calendar(delegation_by_token_or_404(token, full=False))

    return feed_response("delegation", version, render, f"{version.slug}-rombongan.ics", True)


@bp.get("/m/<token>/schedule.ics")
@private_link_limit
def member_feed(token: str):
    version = _private_version("member", feeds.member_version, token)

    def render() -> bytes:
        return feeds.member_calendar(member_by_token_or_404(token, full=False))

    return feed_response("member", version, render, f"{version.slug}-saya.ics", True)


@bp.get("/staff/calendar.ics")
@public_staff_endpoint
@private_link_limit
def staff_feed():
    token = request.args.get("token", "")
    found = remembered(("staff", token), lambda: _staff_version(token)) if token else None
    if found is None or not hmac.compare_digest(found[0].calendar_token, token):
        abort(404)
    user, since, version = found

    def render() -> bytes:
        return build_calendar(
            Feed(
                name=_("All study visits (staff)"),
                uid=stable_uid("staff", user.public_id),
                timezone=current_app.config["PLANNER_TIMEZONE"],
                items=feeds.staff_items(since),
                url_of=lambda item: absolute("programs.show", slug=item.program.slug),
                description=feeds.staff_description(since),
            )
        )

    return feed_response("staff", version, render, "kunjungan-kerja-staf.ics", True)


def _staff_version(token: str) -> tuple[Row, date, feeds.Version] | None:
    """The active staff user the calendar token belongs to, the feed's first day and version."""
    user = db.session.execute(
        select(StaffUser.public_id, StaffUser.calendar_token).where(
            StaffUser.calendar_token == token, StaffUser.active.is_(True)
        )
    ).one_or_none()
    if user is None:
        return None
    since = feeds.staff_since()
    return user, since, feeds.staff_version(user.public_id, since)
