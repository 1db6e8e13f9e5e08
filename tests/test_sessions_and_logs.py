"""Sessions end on the server, no private link reaches an access log, private API answers are
not cached, and neither the login limits nor the time a login takes give anyone away."""

import contextlib
import re
import time
import urllib.error
import urllib.request

import pytest

from planner.core.database import db
from planner.staff import accounts
from tests.conftest import make_test_app
from tests.helpers import csrf_token, login
from tests.servers import gunicorn
from tests.test_security import failed_logins, limited_app


def test_a_copied_cookie_opens_nothing_after_logout(app, client, make_staff):
    user = make_staff()
    login(client, user)
    cookie = client.get_cookie("session")
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/account")})
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/staff/").status_code == 302
    assert "/staff/login" in thief.get("/staff/programs/x/participants.csv").headers["Location"]


def test_the_private_api_answer_is_neither_cached_nor_referred(
    client, make_program, make_delegation
):
    delegation = make_delegation(make_program())
    response = client.get(f"/api/v1/delegations/{delegation.token}")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_api_registrations_are_limited_like_the_form(tmp_path):
    app = limited_app(tmp_path)
    client = app.test_client()
    answers = [
        client.post("/api/v1/programs/nope/registrations", json={}).status_code for _ in range(21)
    ]
    assert answers[:20] == [404] * 20 and answers[20] == 429


def test_guesses_from_one_address_do_not_lock_the_real_user_out(tmp_path):
    app = limited_app(tmp_path)
    with app.app_context():
        from planner.staff.models import StaffUser

        user = StaffUser(email="staf@banyuwangikab.go.id", name="Staf")
        user.set_password("rahasia-sekali-123")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    guesses = failed_logins(client, "staf@banyuwangikab.go.id", 11, address="10.9.9.9")
    assert guesses[-1].status_code == 429  # the guessing address is stopped
    token = csrf_token(client)
    real = client.post(
        "/staff/login",
        data={
            "email": "staf@banyuwangikab.go.id",
            "password": "rahasia-sekali-123",
            "csrf_token": token,
        },
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert real.status_code == 303  # the real user, from the office, gets in


def test_successful_logins_do_not_count_towards_a_lock_out(tmp_path):
    app = limited_app(tmp_path)
    with app.app_context():
        from planner.staff.models import StaffUser

        user = StaffUser(email="rajin@banyuwangikab.go.id", name="Rajin")
        user.set_password("rahasia-sekali-123")
        db.session.add(user)
        db.session.commit()
    for _ in range(12):
        client = app.test_client()
        answer = client.post(
            "/staff/login",
            data={
                "email": "rajin@banyuwangikab.go.id",
                "password": "rahasia-sekali-123",
                "csrf_token": csrf_token(client),
            },
        )
        assert answer.status_code == 303


@pytest.mark.parametrize("case", ["no account", "deactivated", "wrong password", "right"])
def test_every_login_answer_costs_one_password_check(app, make_staff, monkeypatch, case):
    user = make_staff(email="ada@banyuwangikab.go.id", active=case != "deactivated")
    checks = []
    real = accounts.check_password_hash

    def counted(*args):
        checks.append(args)
        return real(*args)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    monkeypatch.setattr("planner.staff.models.check_password_hash", counted)
    email = "tidak-ada@banyuwangikab.go.id" if case == "no account" else user.email
    password = "salah-sekali-123" if case == "wrong password" else "rahasia-sekali-123"
    found = accounts.authenticate(email, password)
    assert len(checks) == 1
    assert (found is not None) == (case == "right")


# --- the access log of a real server ------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    with gunicorn(tmp_path, RATELIMIT_ENABLED="false") as (app, base, access, _errors):
        yield app, base, access


def test_no_private_link_reaches_the_access_log(served):
    app, base, log = served
    with app.app_context():
        from sqlalchemy import select

        from planner.delegations.models import Delegation
        from planner.staff.models import StaffUser

        delegation = db.session.scalar(select(Delegation).where(Delegation.status == "approved"))
        member = delegation.members[0]
        staff = db.session.scalar(select(StaffUser))
        secrets = {
            "delegation": delegation.token,
            "member": member.token,
            "calendar": staff.calendar_token,
        }
        secrets["invitation"] = "i" * 43
        private = [
            rule
            for rule in app.url_map.iter_rules()
            if {"token", "secret"} & rule.arguments or "calendar.ics" in rule.rule
        ]
    assert len(private) >= 14
    for rule in private:
        token = secrets["member"] if rule.rule.startswith("/m/") else secrets["delegation"]
        path = rule.rule.replace("<token>", token).replace("<secret>", secrets["invitation"])
        if "calendar.ics" in rule.rule:
            path += f"?token={secrets['calendar']}"
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        request = urllib.request.Request(
            base + path, method=method, data=b"" if method != "GET" else None
        )
        with contextlib.suppress(urllib.error.HTTPError):  # refusals are logged too
            urllib.request.urlopen(request, timeout=10)
    time.sleep(0.5)
    written = log.read_text()
    assert written.count("\n") >= len(private)
    for name, secret in secrets.items():
        assert secret not in written, name
    assert "[token]" in written


def test_forms_on_private_pages_work_over_https_without_a_referer(monkeypatch, tmp_path):
    """Private pages tell browsers to send no Referer; their forms must still be accepted
    in production (over HTTPS), guarded by the CSRF token."""
    monkeypatch.setenv("PLANNER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    app = make_test_app(f"sqlite:///{tmp_path / 'https.sqlite3'}")
    with app.app_context():
        db.create_all()
        from planner.staff.models import StaffUser

        user = StaffUser(email="staf@banyuwangikab.go.id", name="Staf")
        user.set_password("rahasia-sekali-123")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    https = "https://planner.example.id"
    page = client.get("/staff/login", base_url=https)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    answer = client.post(
        "/staff/login",
        base_url=https,
        data={
            "email": "staf@banyuwangikab.go.id",
            "password": "rahasia-sekali-123",
            "csrf_token": token.group(1),
        },
    )
    assert answer.status_code == 303
    assert client.post("/staff/logout", base_url=https).status_code == 400  # no token: refused
