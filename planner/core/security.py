"""Security headers (Flask-Talisman), private-page caching, rate limits (Flask-Limiter), and
keeping private-link tokens out of the logs."""

import logging
import math
import re
import time

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Positions in the week calendar are inline style attributes; scripts never are.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
# Pages whose URL carries a secret: the token must not leak through Referer or caches.
PRIVATE_PATHS = re.compile(
    r"^/(d|m)/[^/]+|^/visits/r/|^/staff/invitation/|^/api/v1/(delegations|visit-requests)/"
)
# Every secret we put in a URL is at least 40 URL-safe characters; nothing else in a path is.
TOKEN_IN_PATH = re.compile(r"/[A-Za-z0-9_\-]{40,}")
TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"]+")

talisman = Talisman()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
# Private links: one budget per address for every page and feed a token opens.
private_link_limit = limiter.shared_limit("300 per minute", scope="private-links")


def redact(text: str) -> str:
    text = TOKEN_IN_PATH.sub("/[token]", text)
    return TOKEN_IN_QUERY.sub(r"\1[token]", text)


class RedactTokens(logging.Filter):
    """Rewrites log records so that private-link tokens never reach a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def _private_headers(response):
    path = request.path
    if PRIVATE_PATHS.match(path) or path.startswith("/staff/calendar.ics"):
        response.headers["Referrer-Policy"] = "no-referrer"
    is_feed = path.endswith(".ics")
    if not is_feed and (PRIVATE_PATHS.match(path) or path.startswith("/staff")):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def retry_after_minutes() -> int | None:
    """Minutes until the rate limit that was just hit lets the user try again."""
    limit = limiter.current_limit
    if limit is None:
        return None
    return max(1, math.ceil((limit.reset_at - time.time()) / 60))


def init_app(app: Flask) -> None:
    production = app.config["PLANNER_ENV"] == "production"
    proxies = app.config.get("PLANNER_TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    # Registered before Talisman, so it runs after it and has the last word on these headers.
    app.after_request(_private_headers)
    talisman.init_app(
        app,
        force_https=production,
        strict_transport_security=production,
        session_cookie_secure=production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
    )
    limiter.init_app(app)
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "planner.core.outbox", "huey"):
        logging.getLogger(name).addFilter(RedactTokens())
