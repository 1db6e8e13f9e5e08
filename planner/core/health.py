"""Whether this app server can serve: its database, the database's schema, and Redis; and
whether the background worker is alive.

The answers name the part that is down, never an exception or a host, so they can be shown
to a load balancer or a monitoring page without telling anything about the installation.
"""

from functools import cache

import redis
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from planner.core import worker
from planner.core.database import db


def database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return "ok"


@cache
def _head_revisions(directory: str) -> frozenset[str]:
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def migrations() -> str:
    """ "ok" when the database is at the newest schema this code knows, else "behind"."""
    directory = current_app.extensions["migrate"].directory
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError:
        return "unreachable"
    return "ok" if current == _head_revisions(directory) else "behind"


def redis_state() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    return "ok"


def readiness() -> tuple[dict, bool]:
    """(what each part says, whether the server should get traffic). A server without Redis
    still serves (limits count per process): it is ready, and says it is degraded."""
    checks = {"database": database()}
    checks["migrations"] = migrations() if checks["database"] == "ok" else "unknown"
    checks["redis"] = redis_state()
    # A stopped worker delays mail; it does not stop this server serving pages.
    checks["worker"] = worker.state() if checks["database"] == "ok" else "unknown"
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    if not ready:
        status = "not ready"
    elif checks["redis"] == "unreachable":
        status = "degraded"
    else:
        status = "ready"
    return {"status": status, "checks": checks}, ready
