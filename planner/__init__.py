"""planner: study-visit programs, delegations, itineraries and calendar feeds."""

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from planner import config as configuration
from planner.core.extensions import babel, csrf, db, login_manager, mail, migrate

PACKAGE = Path(__file__).resolve().parent
# An installed package carries its templates, static files and migrations; a source checkout
# keeps them at the top of the repository.
RESOURCES = PACKAGE if (PACKAGE / "templates").is_dir() else PACKAGE.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(RESOURCES / "templates"),
        static_folder=str(RESOURCES / "static"),
        instance_relative_config=True,
        # An installed package's default (<venv>/var/planner-instance) is not writable on a
        # server: there the service's state directory is named here.
        instance_path=os.environ.get("PLANNER_INSTANCE_PATH") or None,
    )
    app.config.update(configuration.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        configuration.engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["PLANNER_LOCK_TIMEOUT"]
        ),
    )

    from planner import models  # noqa: F401  (registers every table)
    from planner.core import i18n, logs, security, worker
    from planner.delegations import labels as _delegation_words  # noqa: F401
    from planner.programs import labels as _program_words  # noqa: F401
    from planner.staff import auth  # noqa: F401  (registers the user loader)
    from planner.staff import labels as _staff_words  # noqa: F401
    from planner.venues import labels as _venue_words  # noqa: F401  (words for stored codes)
    from planner.visits import labels as _visit_words  # noqa: F401

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(RESOURCES / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    logs.init_app(app)
    mail.init_app(app)
    worker.init_app(app)

    from planner import cli
    from planner.api.checkin_views import bp as api_checkin_bp
    from planner.api.docs_views import bp as api_docs_bp
    from planner.api.public_views import bp as api_public_bp
    from planner.api.staff_views import bp as api_staff_bp
    from planner.audit import display
    from planner.calendar.views import bp as calendar_bp
    from planner.core import errors
    from planner.delegations.import_views import bp as imports_bp
    from planner.delegations.import_views import staff_bp as staff_imports_bp
    from planner.delegations.staff_views import bp as review_bp
    from planner.delegations.views import bp as delegations_bp
    from planner.exports.views import bp as exports_bp
    from planner.figures import counter
    from planner.figures.staff_views import bp as figures_bp
    from planner.messages import subscriptions
    from planner.messages.views import bp as messages_bp
    from planner.messages.views import staff_bp as outbox_bp
    from planner.protocol.checkin_views import bp as checkin_bp
    from planner.protocol.views import bp as protocol_bp
    from planner.public.views import bp as public_bp
    from planner.staff.views import bp as staff_bp
    from planner.venues.views import bp as venues_bp
    from planner.visits.catalog_views import bp as catalog_bp
    from planner.visits.staff_views import bp as requests_bp
    from planner.visits.views import bp as visits_bp
    from planner.workspace.program_views import bp as programs_bp
    from planner.workspace.views import bp as dashboard_bp

    for blueprint in (
        public_bp,
        delegations_bp,
        calendar_bp,
        staff_bp,
        dashboard_bp,
        programs_bp,
        venues_bp,
        visits_bp,
        requests_bp,
        catalog_bp,
        review_bp,
        imports_bp,
        staff_imports_bp,
        exports_bp,
        figures_bp,
        protocol_bp,
        checkin_bp,
        messages_bp,
        outbox_bp,
        api_public_bp,
        api_staff_bp,
        api_checkin_bp,
        api_docs_bp,
    ):
        app.register_blueprint(blueprint)
    errors.init_app(app)
    subscriptions.init_app(app)
    counter.init_app(app)
    app.context_processor(display.helpers)
    cli.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite ignores foreign keys (and so ON DELETE) unless asked on every connection."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
