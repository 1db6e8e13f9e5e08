"""Error pages in the site's style, and refusing requests no page can answer."""

from flask import Flask, abort, render_template, request
from werkzeug.exceptions import HTTPException


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
        return render_template("errors/error.html", error=error), error.code
