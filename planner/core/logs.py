"""Where the app's own messages go (a warning that Redis is down, a refused database write):
to standard error, one line each, private-link tokens redacted, unless the server (or a test)
already set up logging."""

import logging
import sys

from flask import Flask

from planner.core.security import RedactTokens

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def init_app(app: Flask) -> None:
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactTokens())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # /readyz reads the schema's version
    # Flask-Limiter gives its logger a handler that drops everything; ours should be heard.
    limiter_log = logging.getLogger("flask-limiter")
    limiter_log.handlers = [
        h for h in limiter_log.handlers if not isinstance(h, logging.NullHandler)
    ]
