"""What every JSON API endpoint shares: reading JSON, answering errors, staff tokens, and
feeding JSON through the same WTForms forms the HTML pages use (one set of rules)."""

import json
from functools import wraps

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from planner.core.database import db
from planner.core.errors import API_PREFIX
from planner.core.extensions import csrf
from planner.core.security import limiter
from planner.staff import tokens

MAX_DEPTH = 4  # {"members": [{"optional_items": ["..."]}]} is as deep as our bodies go


class ApiError(Exception):
    """An answer other than success: status, a message, and field errors by path."""

    def __init__(self, status: int, message, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = str(message)
        self.errors = {
            path: [str(m) for m in messages] for path, messages in (errors or {}).items()
        }


def api_blueprint(name: str, import_name: str, url_prefix: str = API_PREFIX) -> Blueprint:
    """A JSON blueprint: no CSRF token (no cookie ever authenticates it), JSON errors."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)
    csrf.exempt(bp)
    limiter.limit("300 per minute")(bp)
    bp.register_error_handler(ApiError, _api_error)
    return bp


def _api_error(error: ApiError):
    db.session.rollback()
    body = {"message": error.message}
    if error.errors:
        body["errors"] = error.errors
    response = jsonify(body)
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="planner"'
    return response


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def json_body() -> dict:
    """The request's JSON object, or an ApiError (415, 400, 422) saying what is wrong."""
    if not request.is_json:
        raise ApiError(415, _("Send JSON with Content-Type: application/json."))
    try:
        body = json.loads(request.get_data(cache=True) or b"")
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise ApiError(422, _("The body must be a JSON object."), {"": [_("Expected an object.")]})
    if _depth(body) > MAX_DEPTH:
        raise ApiError(422, _("The body is nested too deeply."), {"": [_("Nested too deeply.")]})
    return body


def to_formdata(body: dict) -> MultiDict:
    """Flatten JSON the way WTForms names fields: contact.name -> contact-name,
    members[3].full_name -> members-3-full_name, lists of values -> repeated keys.
    Unknown fields pass through and are ignored by the form."""
    data = MultiDict()

    def add(key: str, value) -> None:
        if value is None or value is False:
            return
        if value is True:
            data.add(key, "y")
        elif isinstance(value, dict):
            for name, inner in value.items():
                add(f"{key}-{name}", inner)
        elif isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                for inner in value:
                    if inner is not None:
                        data.add(key, str(inner))
            else:
                for index, inner in enumerate(value):
                    add(f"{key}-{index}", inner)
        else:
            data.add(key, str(value))

    for name, value in body.items():
        add(str(name), value)
    return data


def form_errors(form, renames: dict[str, str] | None = None) -> dict[str, list[str]]:
    """WTForms errors keyed by API path: members-3-full_name -> members.3.full_name."""
    renames = renames or {}
    errors: dict[str, list[str]] = {}

    def walk(fields):
        for field in fields:
            if hasattr(field, "entries"):  # FieldList
                walk(entry for entry in field.entries)
            elif hasattr(field, "form") and hasattr(field.form, "_fields"):  # FormField
                walk(field.form)
            elif field.errors:
                path = renames.get(field.id, field.id.replace("-", "."))
                errors.setdefault(path, []).extend(str(message) for message in field.errors)

    walk(form)
    for message in getattr(form, "members_errors", []):
        errors.setdefault("members", []).append(str(message))
    return errors


def require_staff_token(view):
    """Staff endpoints: only `Authorization: Bearer <token>`; a browser session never counts."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _space, secret = header.partition(" ")
        user = tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, _("A valid API token is needed: Authorization: Bearer <token>."))
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper
