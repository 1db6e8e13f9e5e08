"""Error pages in the site's style, and refusing requests no page can answer."""

from flask import Flask, abort, current_app, render_template, request
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import Conflict, HTTPException, UnprocessableEntity

from planner.api.common import http_error_as_json
from planner.database import db
from planner.security import retry_after_minutes


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
        if request.path.startswith("/api/"):
            return http_error_as_json(error)
        retry = retry_after_minutes() if error.code == 429 else None
        return render_template("errors/error.html", error=error, retry=retry), error.code

    @app.errorhandler(IntegrityError)
    @app.errorhandler(DataError)
    def refused_by_the_database(error):
        """A rule the forms missed but the schema holds: a clear refusal, nothing written."""
        db.session.rollback()
        current_app.logger.warning("Refused by the database: %s", error.orig)
        code = 409 if isinstance(error, IntegrityError) else 422
        return http_error(Conflict() if code == 409 else UnprocessableEntity())
