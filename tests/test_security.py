"""Each defence, proven: CSRF on every form, headers, rate limits, escaping, formula-safe
exports, tokens kept out of logs, deleting personal data."""

import logging
import os
import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.core.security import RedactTokens
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberItem
from planner.models import (
    AgendaItem,
    ApiToken,
    Holiday,
    HostProfile,
    PrecedenceRule,
    Program,
    ProgramTemplate,
    StaffUser,
    TemplateItem,
    Topic,
    Venue,
    VenueClosure,
    VisitRequest,
)
from planner.staff.models import Role
from tests.conftest import make_test_app
from tests.helpers import csrf_token, login, post, register, text

MODELS = (
    Program,
    VisitRequest,
    Topic,
    ProgramTemplate,
    TemplateItem,
    Holiday,
    HostProfile,
    AgendaItem,
    Venue,
    VenueClosure,
    Delegation,
    Member,
    MemberItem,
    StaffUser,
    ApiToken,
    AuditEvent,
)


def state() -> dict:
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}
    counts["versions"] = db.session.scalar(select(func.sum(Program.version)))
    counts["items"] = db.session.scalar(select(func.sum(AgendaItem.version)))
    counts["delegations"] = db.session.scalar(select(func.sum(Delegation.version)))
    return counts


@pytest.fixture
def world(make_program, make_item, make_venue, make_delegation, make_staff, make_visit_request):
    admin = make_staff(role=Role.ADMIN)
    other = make_staff()
    program = make_program()
    venue = make_venue()
    item = make_item(program, venue=venue)
    delegation = make_delegation(program, members=2)
    closure = VenueClosure(
        venue=venue, kind="dates", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2)
    )
    db.session.add(closure)
    db.session.commit()
    rule = PrecedenceRule(keyword="bupati", rank=10)
    topic = Topic(title_id="Mal Pelayanan Publik")
    template = ProgramTemplate(
        title="Studi tiru",
        items=[TemplateItem(starts_at=time(8), ends_at=time(9), title="Paparan")],
    )
    holiday = Holiday(day=date(2026, 12, 25), name="Hari Raya Natal")
    db.session.add_all([rule, topic, template, holiday])
    db.session.commit()
    visit = make_visit_request()
    values = {
        "slug": program.slug,
        "token": delegation.token,
        "closure_id": closure.id,
        "rule_id": rule.id,
        "item_id": template.items[0].id,
        "holiday_id": holiday.id,
        "secret": "x" * 43,
        "action": "cancel",
    }
    public_ids = {
        "programs": item.public_id,
        "venues": venue.public_id,
        "review": delegation.public_id,
        "staff": other.public_id,
        "requests": visit.public_id,
        "catalog": template.public_id,
        "catalog.edit_topic": topic.public_id,
    }
    return admin, values, public_ids, delegation


def test_every_html_form_refuses_a_post_without_csrf_token(app, client, world):
    admin, values, public_ids, delegation = world
    login(client, admin)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = rule.rule
        for argument in rule.arguments:
            value = (
                values.get(argument)
                if argument != "public_id"
                else public_ids.get(
                    rule.endpoint,
                    public_ids.get(rule.endpoint.split(".")[0], delegation.members[0].public_id),
                )
            )
            url = re.sub(rf"<(?:[^:<>]+:)?{argument}(?:\([^)]*\))?>", str(value), url)
        before = state()
        response = client.post(url, data={"reason": "x", "status": "approved", "name": "x"})
        assert response.status_code == 400, f"POST {url} answered {response.status_code}"
        assert state() == before, url
        checked += 1
    assert checked >= 25


def test_security_headers_on_every_page(client, make_program, make_delegation):
    program = make_program()
    delegation = make_delegation(program)
    for url in (
        "/",
        f"/programs/{program.slug}",
        f"/d/{delegation.token}",
        f"/m/{delegation.members[0].token}",
        "/staff/login",
    ):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "unsafe-inline" not in script_src and "'self'" in script_src
        assert "frame-ancestors 'none'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for url in (f"/d/{delegation.token}", f"/m/{delegation.members[0].token}"):
        response = client.get(url)
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get("/staff/login").headers["Cache-Control"] == "private, no-store"
    assert client.get("/").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_hsts_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    app = make_test_app(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    secure = client.get("/healthz", base_url="https://planner.example.id")
    assert "max-age=" in secure.headers["Strict-Transport-Security"]
    assert client.get("/").status_code == 302  # plain http is sent to https
    # ...except the health checks, which load balancers ask over plain http on the inside.
    assert client.get("/healthz").status_code == 200


def limited_app(tmp_path, storage="memory://"):
    app = make_test_app(
        f"sqlite:///{tmp_path / 'limits.sqlite3'}",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=storage,
    )
    with app.app_context():
        db.create_all()
    return app


def failed_logins(client, email: str, times: int, address="10.0.0.1"):
    token = csrf_token(client)
    answers = []
    for _ in range(times):
        answers.append(
            client.post(
                "/staff/login",
                data={
                    "email": email,
                    "password": "salah",
                    "csrf_token": token,
                },
                environ_base={"REMOTE_ADDR": address},
            )
        )
    return answers


def test_login_is_limited_per_account_and_says_when_to_try_again(tmp_path):
    app = limited_app(tmp_path)
    client = app.test_client()
    answers = failed_logins(client, "staf@banyuwangikab.go.id", 11)
    assert [a.status_code for a in answers[:10]] == [422] * 10
    locked = answers[10]
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "Coba lagi dalam" in text(locked)
    # Another account from another address is not locked out.
    assert failed_logins(client, "lain@banyuwangikab.go.id", 1, "10.0.0.2")[0].status_code == 422


def test_login_is_limited_per_address(tmp_path):
    client = limited_app(tmp_path).test_client()
    answers = [failed_logins(client, f"staf{n}@x.go.id", 1)[0] for n in range(31)]
    assert answers[29].status_code == 422 and answers[30].status_code == 429


def test_registration_and_send_my_link_are_limited(tmp_path):
    app = limited_app(tmp_path)
    client = app.test_client()
    with app.app_context():
        from planner.programs.models import Program

        program = Program(
            slug="p",
            title="P",
            first_day=date(2026, 12, 9),
            last_day=date(2026, 12, 9),
            timezone="Asia/Jakarta",
            status="published",
        )
        db.session.add(program)
        db.session.commit()
        answers = [
            register(client, program, members=1, institution=f"Kab {n}").status_code
            for n in range(21)
        ]
        assert answers[:20] == [303] * 20 and answers[20] == 429
        token = db.session.scalar(select(Delegation.token))
    page_token = csrf_token(client, f"/d/{token}")
    sent = [
        client.post(f"/d/{token}/send-link", data={"csrf_token": page_token}).status_code
        for _ in range(6)
    ]
    assert sent == [303] * 5 + [429]


def test_private_link_lookups_and_the_api_are_limited(tmp_path):
    client = limited_app(tmp_path).test_client()
    answers = [client.get(f"/m/{'x' * 43}").status_code for _ in range(301)]
    assert answers[:300] == [404] * 300 and answers[300] == 429
    api = client.get("/api/v1/programs")
    assert api.headers["X-RateLimit-Limit"] == "300"


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_with_redis_the_counters_are_shared_between_app_servers(tmp_path):
    import redis

    url = os.environ["TEST_REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    first, second = limited_app(tmp_path, url), limited_app(tmp_path, url)
    failed_logins(first.test_client(), "bersama@x.go.id", 10)
    assert failed_logins(second.test_client(), "bersama@x.go.id", 1)[0].status_code == 429


def test_html_in_any_field_is_shown_escaped(client, make_program, make_staff):
    program = make_program()
    attack = '<script>alert("x")</script>'
    register(client, program, members=2, institution=attack, **{"members-1-full_name": attack})
    delegation = db.session.scalar(select(Delegation))
    assert delegation.institution == attack
    login(client, make_staff())
    for url in (
        f"/d/{delegation.token}",
        f"/staff/delegations/{delegation.public_id}",
        f"/staff/programs/{program.slug}/delegations",
        "/staff/",
    ):
        page = text(client.get(url))
        assert attack not in page and "&lt;script&gt;" in page, url


def test_spreadsheet_exports_cannot_carry_formulas(
    client, make_program, make_delegation, make_staff
):
    program = make_program()
    delegation = make_delegation(program, members=4, institution='=HYPERLINK("x")')
    for member, name in zip(delegation.members, ["=1+1", "+62 812", "-5", "@SUM(A1)"], strict=True):
        member.full_name = name
    db.session.commit()
    login(client, make_staff())
    body = client.get(f"/staff/programs/{program.slug}/participants.csv").get_data(as_text=True)
    for cell in ("'=1+1", "'+62 812", "'-5", "'@SUM(A1)", "'=HYPERLINK"):
        assert cell in body
    assert ",=1+1" not in body and not re.search(r"(^|,)[=+\-@]", body.lstrip("\ufeff"), re.M)


def test_tokens_never_reach_the_logs(app):
    token = "dKBBYnUGweVCqa0WwW4qN6874GF0YailfwzQgQgZ1To"
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '127.0.0.1 - - "GET /m/%s/schedule.ics HTTP/1.1" 200 -',
        (token,),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "/m/[token]" in record.getMessage()
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        "GET /staff/calendar.ics?token=%s",
        (token,),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage()
    for name in ("werkzeug", "gunicorn.access", "planner.core.outbox", "huey"):
        assert any(isinstance(f, RedactTokens) for f in logging.getLogger(name).filters)


def test_staff_delete_a_delegation_and_its_personal_data(
    client, make_program, make_delegation, make_staff
):
    program = make_program()
    delegation = make_delegation(program, members=3, contact_phone="+6281299990000")
    delegation.members[0].nip = "197001011995031001"
    db.session.commit()
    delegation_id, token = delegation.id, delegation.token
    login(client, make_staff())
    post(
        client,
        f"/staff/delegations/{delegation.public_id}/status",
        {"status": "approved", "reason": "Lengkap"},
    )
    deleted = post(client, f"/staff/delegations/{delegation.public_id}/delete", {"confirm": "1"})
    assert deleted.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Member)) == 0
    assert client.get(f"/d/{token}").status_code == 404
    events = db.session.scalars(select(AuditEvent)).all()
    assert any(
        e.action == "delegation.deleted" and e.changes["members"] == [3, None] for e in events
    )
    dump = repr([(e.changes, e.actor_label) for e in events])
    assert "197001011995031001" not in dump and "6281299990000" not in dump
    assert all(e.delegation_id != delegation_id for e in events)


def test_purge_deletes_delegations_of_programs_that_ended(runner, make_program, make_delegation):
    old = make_program(first_day=date(2025, 6, 1))
    current = make_program(first_day=date(2026, 12, 9))
    make_delegation(old, members=2, status=DelegationStatus.APPROVED)
    make_delegation(current, members=2)
    result = runner.invoke(args=["purge", "--before", "2026-01-01", "--yes"])
    assert result.exit_code == 0 and "Deleted 1 delegation" in result.output
    remaining = db.session.scalars(select(Delegation)).all()
    assert [d.program_id for d in remaining] == [current.id]
    assert runner.invoke(args=["purge", "--before", "kemarin", "--yes"]).exit_code != 0


def test_purge_deletes_the_mail_sent_before_the_day_and_keeps_what_waits(runner, make_staff):
    from planner.core.outbox import MessageStatus, OutgoingMessage

    def message(n, status, created):
        return OutgoingMessage(
            kind="invitation", recipient=f"staf{n}@banyuwangikab.go.id", subject="Undangan",
            body_text="https://planner.example.id/staff/invitation/rahasia", body_html="",
            message_id=f"<{n}@planner>", status=status, created_at=created,
        )  # fmt: skip

    old = datetime(2025, 6, 1, tzinfo=UTC)
    db.session.add_all(
        [
            message(1, MessageStatus.SENT, old),
            message(2, MessageStatus.FAILED, old),
            message(3, MessageStatus.QUEUED, old),
            message(4, MessageStatus.SENT, datetime(2026, 6, 1, tzinfo=UTC)),
        ]
    )
    db.session.commit()
    result = runner.invoke(args=["purge", "--before", "2026-01-01", "--yes"])
    assert result.exit_code == 0 and "Deleted 2 e-mail(s)" in result.output
    left = db.session.scalars(select(OutgoingMessage.message_id).order_by(OutgoingMessage.id))
    assert list(left) == ["<3@planner>", "<4@planner>"]
