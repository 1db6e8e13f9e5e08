"""What every JSON API endpoint shares: typed bodies, errors in the contract's shape, staff
tokens, the generated OpenAPI document, and passing values through the same WTForms forms the
pages use (one set of rules, the same translated messages)."""

import json
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

from planner.api.schemas import Error
from planner.core.database import db
from planner.core.errors import API_PREFIX
from planner.core.extensions import csrf
from planner.core.forms import formdata_of
from planner.core.records import Record
from planner.core.security import limiter
from planner.staff import tokens

Model = TypeVar("Model", bound=Record)
MAX_DEPTH = 4  # {"members": [{"optional_items": ["..."]}]} is as deep as our bodies go
STAFF_SECURITY = {"bearerAuth": []}

# The OpenAPI document is generated from the models each view declares with `documented`.
# spectree only describes here: bodies are validated by `typed_body` (strict JSON types, the
# contract's 400 and 422 answers, translated messages).
spec = SpecTree(
    "flask",
    mode="strict",
    title="planner JSON API",
    version="1",
    description="Study-visit programs, delegations and their members. Times are ISO 8601 with "
    "the program's offset; ids are public ids; booleans, integers and dates must have their "
    "JSON types. Error messages follow Accept-Language (Indonesian by default). Unknown fields "
    "in a body are ignored. Every operation may answer 429 when an address sends too many "
    "requests (see Retry-After).",
    annotations=False,
    page_templates={},
    validation_error_model=Error,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[
        SecurityScheme(name="bearerAuth", data=SecuritySchemeData(type="http", scheme="bearer"))
    ],
)


def documented(
    ok: str,
    model=None,
    *errors: int,
    json=None,
    headers=None,
    query=None,
    staff: bool = False,
    tags=(),
) -> Callable:
    """Describe a view in the OpenAPI document: its body, query, answers and security."""
    codes = {ok: model}
    for code in (
        *errors,
        429,
        *((400, 415, 422) if json else ()),
        *((400, 422) if query else ()),  # 400: a query no page can answer (a NUL byte)
        *((401,) if staff else ()),
    ):
        codes[f"HTTP_{code}"] = Error
    return spec.validate(
        query=query,
        json=json,
        headers=headers,
        resp=Response(**codes),
        skip_validation=True,
        security=STAFF_SECURITY if staff else None,
        tags=tags,
    )


class ApiError(Exception):
    """An answer other than success: status, a message, and field errors by path."""

    def __init__(self, status: int, message, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = str(message)
        self.errors = {
            path: [str(m) for m in messages] for path, messages in (errors or {}).items()
        }


def invalid(errors: dict) -> ApiError:
    return ApiError(422, _("Some fields are not valid."), errors)


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
    if error.status == 503:
        response.headers["Retry-After"] = "5"
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
        raise invalid({"": [_("Expected an object.")]})
    if _depth(body) > MAX_DEPTH:
        raise invalid({"": [_("Nested too deeply.")]})
    return body


# What a wrong JSON value is told, by pydantic's error type.
TYPE_MESSAGES = {
    "missing": _l("This field is required."),
    "string_type": _l("Give text (a JSON string)."),
    "bool_type": _l("Give true or false."),
    "int_type": _l("Give a whole number."),
    "int_from_float": _l("Give a whole number."),
    "float_type": _l("Give a number."),
    "date_type": _l("Give a date as YYYY-MM-DD."),
    "date_parsing": _l("Give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _l("Give a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": _l("Give a date as YYYY-MM-DD."),
    "datetime_type": _l(
        "Give the time in ISO 8601 with its offset, e.g. 2026-12-09T08:00:00+07:00."
    ),
    "datetime_parsing": _l(
        "Give the time in ISO 8601 with its offset, e.g. 2026-12-09T08:00:00+07:00."
    ),
    "datetime_from_date_parsing": _l(
        "Give the time in ISO 8601 with its offset, e.g. 2026-12-09T08:00:00+07:00."
    ),
    "timezone_aware": _l(
        "Give the time in ISO 8601 with its offset, e.g. 2026-12-09T08:00:00+07:00."
    ),
    "time_type": _l("Give a time of day as HH:MM."),
    "time_parsing": _l("Give a time of day as HH:MM."),
    "literal_error": _l("Not a valid choice."),
    "list_type": _l("Give a list."),
    "too_short": _l("List at least one."),
    "model_type": _l("Expected an object."),
    "model_attributes_type": _l("Expected an object."),
    "dict_type": _l("Expected an object."),
}


def typed_body(model: type[Model]) -> Model:
    """The body as the model's typed values; 422 at each path whose value has the wrong type.

    A body whose only fault is a missing field is passed on without it, so that the form
    reports it together with every other rule the body breaks."""
    json_body()
    raw = request.get_data(cache=True)
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as error:
        problems = error.errors(include_url=False)
    if all(problem["type"] == "missing" for problem in problems):
        return model.partial().model_validate_json(raw, strict=True)
    errors: dict[str, list] = {}
    for problem in problems:
        path = ".".join(str(part) for part in problem["loc"])
        message = TYPE_MESSAGES.get(problem["type"], _l("This value is not valid here."))
        errors.setdefault(path, []).append(message)
    raise invalid(errors)


def through_form(
    make_form: Callable, values: dict | None, members: list | None = None, renames=None
):
    """The form a page would show for these values (and member rows), posted back as a
    browser posts it and checked by the form's own rules: the API meets exactly the rules and
    messages of the pages. `make_form(formdata=...)` builds the form."""
    shown = make_form(formdata=None)
    if values is not None:
        shown.load(values)
    if members is not None:
        shown.load_members(members)
    form = make_form(formdata=formdata_of(shown))
    if not form.validate():
        raise invalid(form_errors(form, renames))
    return form


def through_plain_form(make_form: Callable, values: dict):
    """As `through_form`, for a form that shows plain values by field name (no record type):
    the values are shown, posted back as a browser posts them, and checked by the form."""
    shown = make_form(formdata=None, data=values)
    form = make_form(formdata=formdata_of(shown))
    if not form.validate():
        raise invalid(form_errors(form))
    return form


# Errors a form keeps about a whole list of rows (not one field), by the list's API path.
LIST_ERRORS = {"members_errors": "members", "dates_errors": "wished_dates"}


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
    for attribute, path in LIST_ERRORS.items():
        for message in getattr(form, attribute, []):
            errors.setdefault(path, []).append(str(message))
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
