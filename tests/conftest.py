"""Fixtures: the app on SQLite and (when TEST_DATABASE_URL is set) on PostgreSQL.

Every test that uses `app`, `client` or `db_session` runs once per database. The
schema is built once per database and emptied after each test, so tests are isolated.
"""

import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

os.environ.setdefault("SECRET_KEY", "test-secret-key")
for name in ("DATABASE_URL", "PLANNER_ENV", "MAIL_SERVER", "PLANNER_BASE_URL", "REDIS_URL"):
    os.environ.pop(name, None)

from planner import create_app  # noqa: E402
from planner.core.database import db  # noqa: E402

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
DATABASES = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])

pytest_plugins = ["tests.factories"]


def postgres_url() -> str:
    return TEST_DATABASE_URL


def pytest_report_header(config):
    if TEST_DATABASE_URL:
        return f"databases: SQLite and PostgreSQL ({TEST_DATABASE_URL})"
    if os.environ.get("PLANNER_REQUIRE_POSTGRES"):
        raise pytest.UsageError("PLANNER_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
    return "databases: SQLite only (set TEST_DATABASE_URL to run on PostgreSQL as well)"


def make_test_app(url: str, **extra):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "PLANNER_BASE_URL": "https://planner.example.id",
        "SERVER_NAME": None,
        "RATELIMIT_ENABLED": False,  # tests of the limits turn them on
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_BACKEND": "locmem",  # Flask-Mailman keeps what is sent in app.extensions["mailman"]
        "PLANNER_QUEUE": "memory",  # wake-ups are enqueued; tests run the delivery themselves
        "FEED_VERSION_SECONDS": 0,  # every request asks the database; one test remembers
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")
    url = postgres_url()
    engine = sa.create_engine(url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        pytest.fail(f"TEST_DATABASE_URL is set but PostgreSQL is unreachable: {exc}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def app(database_url):
    app = make_test_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def mailbox(app) -> list:
    """What the app has sent in this test (Flask-Mailman's memory backend)."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox


@pytest.fixture(autouse=True)
def _app_context(request):
    """Inside a test that uses the app: an app context, and empty tables afterwards."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (own `g`, own database session), as in production,
    even though the test itself holds an app context for its factories and assertions."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


def pytest_terminal_summary(terminalreporter):
    """One line per database, so a CI log shows that both halves of the suite ran."""
    for database in DATABASES:
        counts = {
            outcome: sum(
                1
                for report in terminalreporter.stats.get(outcome, [])
                if f"[{database}" in report.nodeid
            )
            for outcome in ("passed", "failed", "error", "skipped")
        }
        summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        terminalreporter.write_line(f"database {database}: {summary or 'no tests'}")
