"""Configuration read from the environment, as DESIGN.md describes."""

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(RuntimeError):
    """A setting in the environment is missing or malformed; the message names it."""


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "planner.sqlite3")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"DATABASE_URL is not a valid SQLAlchemy database URL ({exc}). "
            "Example: postgresql+psycopg://user:password@localhost/planner"
        ) from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(
            f"DATABASE_URL names the unsupported database {parsed.get_backend_name()!r}; "
            "use sqlite:/// or postgresql+psycopg://"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # psycopg 3 is the driver we install; a bare postgresql:// would look for psycopg2.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _secret_key(instance_path: str, production: bool) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. In production (PLANNER_ENV=production) planner needs a "
            'long random SECRET_KEY, e.g. python -c "import secrets; print(secrets.token_hex(32))"'
        )
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"PLANNER_TIMEZONE={name!r} is not an IANA time zone such as Asia/Jakarta"
        ) from None
    return name


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def engine_options(url: str, lock_seconds: float) -> dict:
    """A dead database is noticed in seconds: connections are checked before use, a connection
    attempt gives up after 5 s, SQLite waits for its write lock no longer than a lock."""
    if url.startswith("sqlite"):
        return {"pool_pre_ping": True, "connect_args": {"timeout": lock_seconds}}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}


def from_environment(instance_path: str) -> dict:
    env = os.environ.get("PLANNER_ENV", "development").strip() or "development"
    if env not in {"development", "production"}:
        raise ConfigError(f"PLANNER_ENV must be development or production, not {env!r}")
    production = env == "production"
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    proxies = os.environ.get("PLANNER_TRUSTED_PROXIES", "0").strip() or "0"
    if not proxies.isdigit():
        raise ConfigError(f"PLANNER_TRUSTED_PROXIES must be a number, not {proxies!r}")
    lock_timeout = os.environ.get("PLANNER_LOCK_TIMEOUT", "5").strip() or "5"
    try:
        lock_seconds = float(lock_timeout)
    except ValueError:
        lock_seconds = -1
    if not 0 < lock_seconds <= 60:
        raise ConfigError(
            f"PLANNER_LOCK_TIMEOUT must be seconds between 0 and 60, not {lock_timeout!r}"
        )
    database_url = _database_url(instance_path)
    mail_port = os.environ.get("MAIL_PORT", "587").strip() or "587"
    if not mail_port.isdigit():
        raise ConfigError(f"MAIL_PORT must be a port number, not {mail_port!r}")
    mail_server = os.environ.get("MAIL_SERVER", "").strip() or None
    redis_url = os.environ.get("REDIS_URL", "").strip() or None
    retry = os.environ.get("PLANNER_MAIL_RETRY_SECONDS", "60").strip() or "60"
    if not retry.isdigit() or not 1 <= int(retry) <= 3600:
        raise ConfigError(
            f"PLANNER_MAIL_RETRY_SECONDS must be seconds between 1 and 3600, not {retry!r}"
        )
    return {
        "PLANNER_ENV": env,
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PLANNER_BASE_URL": os.environ.get("PLANNER_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "PLANNER_TIMEZONE": _timezone(os.environ.get("PLANNER_TIMEZONE", "Asia/Jakarta").strip()),
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": int(mail_port),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", default=True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "planner@localhost"),
        # Flask-Mailman's backend: SMTP with a MAIL_SERVER; in development without one, files
        # in the instance folder; in production without one, none: messages wait in the outbox.
        "MAIL_BACKEND": "smtp" if mail_server else ("" if production else "file"),
        "MAIL_FILE_PATH": str(Path(instance_path) / "mail"),
        "MAIL_TIMEOUT": 30,
        # The first retry of a message the mail server did not take; each next waits twice as
        # long (at most 30 minutes), for 48 hours.
        "PLANNER_MAIL_RETRY_SECONDS": int(retry),
        # Who delegations call on the day, named in the reminder before the visit.
        "PLANNER_PROTOCOL_CONTACT": os.environ.get("PLANNER_PROTOCOL_CONTACT", "").strip(),
        # Huey's queue, which only wakes the worker: in Redis when there is one, else in a
        # SQLite file in the instance folder.
        "PLANNER_QUEUE": "redis" if redis_url else "sqlite",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        # Pages whose URL holds a private link tell browsers to send no Referer, so the forms on
        # them cannot pass Flask-WTF's HTTPS referrer check: the CSRF token (and SameSite
        # cookies) guard them instead.
        "WTF_CSRF_SSL_STRICT": False,
        "PLANNER_TRUSTED_PROXIES": int(proxies),
        # Rate-limit counters: shared between app servers in Redis, else in this process. With
        # Redis down they are counted in each process (with a warning), never a failed page.
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", default=True),
        # How long a request waits for a lock (a program being booked) before it answers
        # "busy, try again" instead of holding a worker.
        "PLANNER_LOCK_TIMEOUT": lock_seconds,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
    }
