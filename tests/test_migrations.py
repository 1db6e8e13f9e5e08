"""Migrations build and remove the whole schema, and agree with the models, on both databases."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from planner.core.database import db
from tests.conftest import make_test_app


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    url = sa.engine.make_url(database_url)
    name = f"{url.database}_migrations"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def table_names(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_builds_the_schema_and_downgrade_removes_it(empty_database_url):
    migrations_app = make_test_app(empty_database_url)
    with migrations_app.app_context():
        upgrade()
        model_tables = {table.name for table in db.metadata.sorted_tables}
        assert model_tables <= table_names(db.engine)
        assert {"programs", "agenda_items", "delegations", "members", "member_items"} <= (
            model_tables
        )

        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []

        downgrade(revision="base")
        assert table_names(db.engine) <= {"alembic_version"}
        db.engine.dispose()
