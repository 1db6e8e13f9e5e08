"""Staff accounts: login, roles, the last admin, invitations, sessions, the login sweep."""

import re

import pytest
from sqlalchemy import select

from planner.core.access import staff_blueprint
from planner.core.database import db
from planner.staff.models import Role, StaffUser
from tests.helpers import csrf_token, login, post, text

STAFF_URL_VALUES = {
    "slug": "x",
    "public_id": "x",
    "closure_id": 1,
    "rule_id": 1,
    "item_id": 1,
    "holiday_id": 1,
    "secret": "x",
    "action": "cancel",
    "what": "participants",
    "extension": "csv",
    "year": 2026,
}


def staff_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff")]


def url_for_rule(rule) -> str:
    url = rule.rule
    for argument in rule.arguments:
        url = re.sub(
            rf"<(?:[^:<>]+:)?{argument}(?:\([^)]*\))?>", str(STAFF_URL_VALUES[argument]), url
        )
    return url


def is_public(app, rule) -> bool:
    return getattr(app.view_functions[rule.endpoint], "public_staff_endpoint", False)


def test_every_staff_route_sends_anonymous_visitors_to_login(app, client):
    token = csrf_token(client)
    checked = 0
    for rule in staff_rules(app):
        if is_public(app, rule):
            continue
        url = url_for_rule(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
            assert response.headers["Location"].startswith("/staff/login"), f"{method} {url}"
            checked += 1
    assert checked >= 20


def test_the_only_staff_routes_open_without_login_carry_their_own_secret(app):
    public = {rule.endpoint for rule in staff_rules(app) if is_public(app, rule)}
    assert public == {
        "staff.login",
        "staff.accept_invitation",
        "staff.request_reset",
        "staff.reset_password",
        "calendar.staff_feed",
    }


def test_a_staff_user_cannot_reach_admin_pages(app, client, make_staff):
    admin_endpoints = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "admin_only", False)
    }
    assert {"staff.users", "staff.invite_user", "staff.change_role", "staff.toggle_active"} <= (
        admin_endpoints
    )
    login(client, make_staff(role=Role.STAFF))
    token = csrf_token(client, "/staff/account")
    for rule in staff_rules(app):
        if rule.endpoint in admin_endpoints:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(
                    url_for_rule(rule), method=method, data={"csrf_token": token}
                )
                assert response.status_code == 403, rule.rule


def test_login_with_a_wrong_password_says_so_at_the_field(client, make_staff):
    user = make_staff()
    response = client.post(
        "/staff/login",
        data={"email": user.email, "password": "salah", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "Alamat e-mail atau kata sandi tidak tepat." in text(response)
    assert f'value="{user.email}"' in text(response)  # what was typed stays


def test_login_logout_and_cookie_flags(client, make_staff):
    user = make_staff()
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/staff/").status_code == 200
    post(client, "/staff/logout")
    assert client.get("/staff/").status_code == 302


def test_session_cookies_are_secure_in_production(monkeypatch, tmp_path):
    from planner.config import from_environment

    monkeypatch.setenv("PLANNER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = from_environment(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


def test_the_last_admin_cannot_be_demoted_or_deactivated(client, make_staff):
    admin = make_staff(role=Role.ADMIN)
    login(client, admin)
    post(client, f"/staff/users/{admin.public_id}/role", {"role": "staff"})
    post(client, f"/staff/users/{admin.public_id}/active")
    db.session.refresh(admin)
    assert admin.is_admin and admin.active
    page = text(client.get("/staff/users"))
    assert "admin aktif terakhir" in page


def test_an_admin_invites_a_user_who_sets_a_password(client, make_staff):
    login(client, make_staff(role=Role.ADMIN))
    response = post(
        client,
        "/staff/users",
        {"email": "Baru@BanyuwangiKab.go.id", "name": "Staf Baru", "role": "staff"},
    )
    link = re.search(r'value="(http[^"]+/staff/invitation/[^"]+)"', text(response)).group(1)
    path = link.split("://", 1)[1].split("/", 1)[1]
    post(client, "/staff/logout")
    other = client.application.test_client()
    page = other.get(f"/{path}")
    assert page.status_code == 200
    response = other.post(
        f"/{path}",
        data={
            "password": "kata-sandi-baru-1",
            "confirm": "kata-sandi-baru-1",
            "csrf_token": csrf_token(other, f"/{path}"),
        },
    )
    assert response.status_code == 303
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "baru@banyuwangikab.go.id"))
    assert user.check_password("kata-sandi-baru-1") and user.invite_token_hash is None
    assert other.get(f"/{path}").status_code == 404  # the link works once


def test_deactivating_a_user_ends_their_session(app, client, make_staff):
    admin, staff = make_staff(role=Role.ADMIN), make_staff()
    staff_client = app.test_client()
    login(staff_client, staff)
    assert staff_client.get("/staff/").status_code == 200
    login(client, admin)
    post(client, f"/staff/users/{staff.public_id}/active")
    assert staff_client.get("/staff/").status_code == 302


def test_changing_the_password_ends_other_sessions(app, client, make_staff):
    user = make_staff()
    elsewhere = app.test_client()
    login(elsewhere, user)
    login(client, user)
    response = post(
        client,
        "/staff/account",
        {
            "current": "rahasia-sekali-123",
            "password": "sandi-baru-sekali",
            "confirm": "sandi-baru-sekali",
        },
    )
    assert response.status_code == 303
    assert client.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/programs/x"])
def test_login_never_redirects_off_the_staff_area(client, make_staff, target):
    user = make_staff()
    response = client.post(
        f"/staff/login?next={target}",
        data={
            "email": user.email,
            "password": "rahasia-sekali-123",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.headers["Location"] == "/staff/"


def test_staff_blueprints_are_made_by_the_guarded_factory(app):
    guarded = {name for name, bp in app.blueprints.items() if bp.url_prefix == "/staff"}
    assert guarded == {
        "staff",
        "dashboard",
        "programs",
        "venues",
        "review",
        "staff_imports",
        "exports",
        "protocol",
        "outbox",
        "requests",
        "catalog",
        "checkin",
        "figures",
    }
    assert staff_blueprint  # every one of them comes from planner.core.access
