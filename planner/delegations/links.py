"""The private links of a delegation and its members, and the download of its letter."""

from urllib.parse import quote

from flask import Response

from planner.core.links import absolute


def personal_url(member) -> str:
    return absolute("delegations.member", token=member.token)


def manage_url(delegation) -> str:
    return absolute("delegations.delegation", token=delegation.token)


def letter_response(letter) -> Response:
    response = Response(letter.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(letter.filename)}"
    )
    return response
