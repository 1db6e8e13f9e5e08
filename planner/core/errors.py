"""Error pages in the site's style (JSON ones under /api/), and refusing requests no page can
answer."""

from flask import Flask, abort, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import Conflict, HTTPException, ServiceUnavailable, UnprocessableEntity

from planner.core.database import db
from planner.core.extensions import login_manager
from planner.core.security import retry_after_minutes

API_PREFIX = "/api/v1"


def http_error_as_json(error: HTTPException):
    """Any HTTP error under /api/ answered in the API's shape instead of an HTML page."""
    messages = {
        400: _("The request could not be understood."),
        401: _("A valid API token is needed: Authorization: Bearer <token>."),
        403: _("This token may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        409: _("This conflicts with data that is already saved; nothing was changed."),
        415: _("Send JSON with Content-Type: application/json."),
        422: _("Some fields are not valid."),
        429: _("Too many requests. Please wait and try again."),
        503: _("The service cannot answer at the moment; please try again shortly."),
    }
    response = jsonify(message=messages.get(error.code, _("Something went wrong on our side.")))
    response.status_code = error.code or 500
    return response


def constraint_of(error) -> str:
    """Which rule the database applied, without the values it quotes (they can be a NIP)."""
    diagnostics = getattr(error.orig, "diag", None)  # psycopg names the constraint
    name = getattr(diagnostics, "constraint_name", None)
    if name:
        return name
    # SQLite's message names the columns ("UNIQUE constraint failed: members.nip"), never values.
    message = str(error.orig)
    return (
        message
        if message.startswith(("UNIQUE", "CHECK", "NOT NULL", "FOREIGN KEY"))
        else (type(error.orig).__name__)
    )


def refuse_nul_bytes():
    """No URL of ours contains a NUL byte, and PostgreSQL cannot even compare one."""
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.path.startswith(API_PREFIX + "/"):
            return http_error_as_json(error)
        retry = retry_after_minutes() if error.code == 429 else None
        return render_template("errors/error.html", error=error, retry=retry), error.code

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unreachable(error):
        """The database is down or gone: a page in the site's style, asking to come back."""
        db.session.rollback()
        current_app.logger.error(
            "Database unreachable: %s", type(getattr(error, "orig", error)).__name__
        )
        g._login_user = login_manager.anonymous_user()  # nobody can be looked up now
        response = http_error(ServiceUnavailable())
        response = current_app.make_response(response)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(IntegrityError)
    @app.errorhandler(DataError)
    def refused_by_the_database(error):
        """A rule the forms missed but the schema holds: a clear refusal, nothing written."""
        db.session.rollback()
        current_app.logger.warning("Refused by the database: %s", constraint_of(error))
        code = 409 if isinstance(error, IntegrityError) else 422
        return http_error(Conflict() if code == 409 else UnprocessableEntity())
