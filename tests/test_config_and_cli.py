"""Start-up configuration and the seed-demo / create-user commands."""

import pytest
from sqlalchemy import func, select

from planner import create_app
from planner.config import ConfigError
from planner.core.database import db
from planner.models import AgendaItem, Delegation, Member, MemberItem, Program, StaffUser, Venue


def test_production_without_secret_key_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_the_instance_folder_is_where_the_server_says(monkeypatch, tmp_path):
    state = tmp_path / "var-lib-planner"
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(state))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app()
    assert app.instance_path == str(state)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{state / 'planner.sqlite3'}"
    assert (state / "secret_key").is_file()


def test_a_malformed_database_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url at all")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app()


def test_postgres_urls_use_psycopg_3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example/planner")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/planner"


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PLANNER_BASE_URL", "https://kunjungan.banyuwangikab.go.id/")
    monkeypatch.setenv("PLANNER_TIMEZONE", "Asia/Makassar")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.id")
    app = create_app()
    assert app.config["PLANNER_BASE_URL"] == "https://kunjungan.banyuwangikab.go.id"
    assert app.config["PLANNER_TIMEZONE"] == "Asia/Makassar"
    assert app.config["MAIL_SERVER"] == "smtp.example.id"
    monkeypatch.setenv("PLANNER_TIMEZONE", "WIB")
    with pytest.raises(ConfigError, match="PLANNER_TIMEZONE"):
        create_app()


def row_counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Venue, Program, AgendaItem, Delegation, Member, MemberItem, StaffUser)
    }


def test_seed_demo_is_idempotent(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "protokol@banyuwangikab.go.id" in first.output
    counts = row_counts()
    assert counts["Member"] == 34 and counts["Venue"] == 5 and counts["Program"] == 2
    assert counts["MemberItem"] > 0
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert row_counts() == counts


def test_create_user_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["create-user", "Kepala.Protokol@BanyuwangiKab.go.id", "--role", "admin"],
        input="kata-sandi-panjang\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(StaffUser))
    assert user.email == "kepala.protokol@banyuwangikab.go.id" and user.is_admin
    assert user.check_password("kata-sandi-panjang")
    assert "kata-sandi-panjang" not in user.password_hash


@pytest.mark.parametrize(
    "args, message",
    [
        (["create-user", "not-an-email", "--role", "staff"], "not a valid e-mail"),
        (["create-user", "staf @banyuwangikab.go.id"], "not a valid e-mail"),
        (["create-user", "staf@banyuwangikab.go.id", "--role", "boss"], "boss"),
    ],
)
def test_create_user_refuses_bad_emails_and_roles(runner, args, message):
    result = runner.invoke(args=args, input="kata-sandi-panjang\n")
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_create_user_refuses_a_short_password_and_a_duplicate(runner, make_staff):
    result = runner.invoke(args=["create-user", "baru@banyuwangikab.go.id"], input="pendek\n")
    assert result.exit_code != 0 and "10 characters" in result.output
    existing = make_staff()
    result = runner.invoke(args=["create-user", existing.email], input="kata-sandi-panjang\n")
    assert result.exit_code != 0 and "already exists" in result.output
