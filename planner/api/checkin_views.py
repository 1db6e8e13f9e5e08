"""The check-in API the scanner phones use: a point's list of members, and check-ins sent
one by one or in a batch from a phone that was offline (idempotent by the scanner's ids)."""

from flask import g, jsonify
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from planner.api import schemas
from planner.api.common import (
    api_blueprint,
    documented,
    invalid,
    require_staff_token,
    typed_body,
)
from planner.core.database import db, one_or_404, utcnow
from planner.core.i18n import in_zone
from planner.delegations import checkin
from planner.delegations.models import CheckinPoint

bp = api_blueprint("api_checkin", __name__, url_prefix="/api/v1/staff")
bp.before_request(require_staff_token(lambda: None))
CHECKIN = ("check-in",)
REASONS = {
    checkin.Status.EXPECTED: "",
    checkin.Status.NOT_LISTED: checkin.MESSAGES[checkin.Result.NOT_LISTED],
    checkin.Status.REFUSED: checkin.MESSAGES[checkin.Result.REFUSED],
}


def _point(public_id: str) -> CheckinPoint:
    return one_or_404(
        CheckinPoint,
        joinedload(CheckinPoint.program),
        joinedload(CheckinPoint.item),
        public_id=public_id,
    )


def _member(member, delegation) -> dict:
    return {"code": member.checkin_code, "name": member.full_name, "delegation": delegation}


def _point_json(point: CheckinPoint) -> dict:
    entries = checkin.roster(point)
    tz = point.program.timezone
    return {
        "id": point.public_id,
        "title": point.title,
        "open": point.is_open,
        "program": {"slug": point.program.slug, "title": point.program.title},
        "item": {
            "id": point.item.public_id,
            "title": point.item.title,
            "optional": point.item.optional,
        }
        if point.item
        else None,
        "day": point.day.isoformat() if point.day else None,
        "fetched_at": in_zone(utcnow(), tz).isoformat(),
        "members": [
            {
                **_member(entry.member, entry.delegation.institution),
                "position": entry.member.position,
                "phone": entry.member.phone,
                "status": entry.status,
                "reason": str(REASONS[entry.status]),
                "checked_in_at": in_zone(entry.checkin.scanned_at, tz).isoformat()
                if entry.checkin
                else None,
            }
            for entry in entries
        ],
        "counts": [
            {
                "delegation": count.delegation.institution,
                "checked_in": count.checked_in,
                "expected": count.expected,
            }
            for count in checkin.counts(entries)
        ],
    }


@bp.get("/checkin-points/<public_id>")
@documented("HTTP_200", schemas.CheckinPointOut, 404, staff=True, tags=CHECKIN)
def point(public_id: str):
    """A check-in point with its list of members

    Everything a scanner needs to decide on its own while offline: each member's check-in
    code, whether the point expects them (`expected`; `not_listed`: not on this optional
    item's list; `refused`: the delegation is cancelled, rejected or waitlisted) and when they
    were checked in, and the counts per delegation."""
    return jsonify(_point_json(_point(public_id)))


@bp.post("/checkin-points/<public_id>/checkins")
@documented(
    "HTTP_200", schemas.CheckinsOut, 404, 409, json=schemas.CheckinsIn, staff=True, tags=CHECKIN
)
def checkins(public_id: str):
    """Send check-ins

    One scan or a phone's whole queue (at most 500). Idempotent: each check-in carries the
    scanner's own `id`, and one sent again (a batch replayed after a lost answer) is stored
    once and answered as the first time. A member is checked in once per point: of two phones
    scanning the same person, the first is kept and the second is answered `already`. Scans
    made before staff closed the point count; later ones are answered `closed`, and a batch
    of nothing but those is a 409. Each result says what the scanner should show: green for
    `checked_in`, amber for `already` and `not_listed`, red for the rest."""
    point = _point(public_id)
    body = typed_body(schemas.CheckinsIn)
    if body.checkins is None:
        raise invalid({"checkins": [str(checkin.MESSAGES[checkin.Result.INVALID])]})
    ids = [scan.id for scan in body.checkins]
    if len(set(ids)) != len(ids):
        raise invalid({"checkins": [_("Each check-in needs its own id.")]})
    outcomes = checkin.check_in(
        point,
        [checkin.Scan(s.id, s.code, s.at, s.source) for s in body.checkins],
        staff=g.api_user,
        device=body.device or "",
    )
    db.session.commit()
    tz = point.program.timezone
    results = [
        {
            "id": outcome.client_id,
            "result": outcome.result,
            "message": str(outcome.message),
            "checked_in_at": in_zone(outcome.checkin.scanned_at, tz).isoformat()
            if outcome.checkin
            else None,
            "member": _member(outcome.member, outcome.member.delegation.institution)
            if outcome.member
            else None,
        }
        for outcome in outcomes
    ]
    if results and all(r["result"] == checkin.Result.CLOSED for r in results):
        response = jsonify({"message": results[0]["message"], "results": results})
        response.status_code = 409
        return response
    return jsonify({"results": results})
