"""The worker process against a real SMTP server on loopback (aiosmtpd): the mail server down,
then up; a refused recipient; a worker killed in the middle of a send; two workers at once;
and the staff and contact journeys that depend on a mail arriving.

Each test runs over a fresh SQLite database with Huey's SQLite queue, and, when
TEST_DATABASE_URL and TEST_REDIS_URL are set, again over a fresh PostgreSQL database with Huey
in Redis (the production set-up).
"""

import asyncio
import email
import os
import re
import signal
import subprocess
import time
from email import policy
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy import select

from planner import create_app
from planner.core import outbox
from planner.core.database import db
from planner.core.outbox import MessageStatus, OutgoingMessage
from planner.delegations.models import Delegation
from planner.demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_STAFF_EMAIL
from planner.programs.models import Program
from tests.helpers import csrf_token, post, register, text
from tests.servers import BIN, PROJECT, free_port

BACKENDS = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL") and os.environ.get("TEST_REDIS_URL"):
    BACKENDS.append("postgresql")
elif os.environ.get("PLANNER_REQUIRE_POSTGRES"):
    raise RuntimeError("PLANNER_REQUIRE_POSTGRES is set: TEST_DATABASE_URL and TEST_REDIS_URL too")


class Inbox:
    """An SMTP server's handler: keeps what it accepts, refuses the addresses in `refused`, and
    can be told to hang after receiving a message (as a server that stops answering)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refused: set[str] = set()
        self.hang = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        if self.hang:
            await asyncio.sleep(60)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


class World:
    """The app, its database, an SMTP server that can be started and stopped, and workers."""

    def __init__(self, tmp: Path, environment: dict, port: int):
        self.tmp, self.environment, self.port = tmp, environment, port
        self.inbox = Inbox()
        self.smtp: Controller | None = None
        self.workers: list[subprocess.Popen] = []
        self.app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})

    def start_smtp(self) -> None:
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.smtp.start()

    def stop_smtp(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None

    def start_worker(self) -> subprocess.Popen:
        log = (self.tmp / f"worker-{len(self.workers)}.log").open("w")
        worker = subprocess.Popen(
            [str(BIN / "flask"), "--app", "planner", "worker"],
            env={**os.environ, **self.environment},
            cwd=PROJECT,
            stdout=log,
            stderr=log,
        )
        self.workers.append(worker)
        return worker

    def messages(self, **filters) -> list[OutgoingMessage]:
        with self.app.app_context():
            return list(
                db.session.scalars(
                    select(OutgoingMessage).filter_by(**filters).order_by(OutgoingMessage.id)
                )
            )

    def wait_until(self, condition, seconds: float = 60) -> float:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            if condition():
                return time.monotonic() - start
            time.sleep(0.2)
        logs = "\n".join(path.read_text()[-2000:] for path in self.tmp.glob("worker-*.log"))
        raise AssertionError(f"not within {seconds} s; the workers said:\n{logs}")

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for worker in self.workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        self.stop_smtp()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def world(request, tmp_path, monkeypatch):
    port = free_port()
    environment = {
        "SECRET_KEY": "mail-delivery-test-" + "k" * 16,
        "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"),
        "PLANNER_BASE_URL": "https://planner.example.id",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_USE_TLS": "0",
        "MAIL_FROM": "Protokol Banyuwangi <planner@banyuwangikab.go.id>",
        "PLANNER_MAIL_RETRY_SECONDS": "1",
        "REDIS_URL": "",
    }
    admin = None
    if request.param == "sqlite":
        environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'mail.sqlite3'}"
    else:
        import redis

        postgres = os.environ["TEST_DATABASE_URL"]
        redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).flushdb()
        admin = sa.create_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text('DROP DATABASE IF EXISTS "planner_outbox" WITH (FORCE)'))
            connection.execute(sa.text('CREATE DATABASE "planner_outbox"'))
        database = sa.engine.make_url(postgres).set(database="planner_outbox")
        environment["DATABASE_URL"] = database.render_as_string(hide_password=False)
        environment["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [str(BIN / "flask"), "--app", "planner", *command],
            env={**os.environ, **environment},
            cwd=PROJECT,
            check=True,
            capture_output=True,
        )
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    world = World(tmp_path, environment, port)
    yield world
    world.close()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(sa.text('DROP DATABASE IF EXISTS "planner_outbox" WITH (FORCE)'))
        admin.dispose()


def demo_program(world) -> Program:
    with world.app.app_context():
        program = db.session.scalar(select(Program).where(Program.slug == DEMO_SLUG))
        db.session.expunge(program)
        return program


def staff_login(client) -> None:
    response = client.post(
        "/staff/login",
        data={
            "email": DEMO_STAFF_EMAIL,
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 303


def link_in(message, prefix="https://planner.example.id") -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(re.escape(prefix) + r"(/\S+)", body).group(1)


def test_mail_waits_while_the_server_is_down_and_goes_within_a_minute_once_it_is_up(world):
    world.start_worker()
    client = world.app.test_client()
    response = register(client, demo_program(world), members=2)
    assert response.status_code == 303  # the dead mail server costs the contact nothing
    world.wait_until(lambda: world.messages(kind="registration")[0].attempts >= 2)
    (waiting,) = world.messages(kind="registration")
    assert waiting.status == MessageStatus.QUEUED
    assert waiting.last_error == "The mail server could not be reached."

    world.start_smtp()
    took = world.wait_until(lambda: world.messages(kind="registration")[0].status == "sent")
    assert took < 60
    (mail,) = world.inbox.to(waiting.recipient)
    assert mail["Message-ID"] == waiting.message_id and mail["Date"]
    assert mail["From"] == "Protokol Banyuwangi <planner@banyuwangikab.go.id>"
    kinds = [part.get_content_type() for part in mail.walk()]
    assert "text/plain" in kinds and "text/html" in kinds
    (calendar,) = [part for part in mail.iter_attachments() if part.get_filename().endswith(".ics")]
    assert calendar.get_content_type() == "text/calendar"
    assert b"BEGIN:VEVENT" in calendar.get_content().encode()


def test_a_refused_recipient_is_marked_failed_and_staff_see_the_servers_answer(world):
    world.inbox.refused.add("tidak-ada@contoh.go.id")
    world.start_smtp()
    world.start_worker()
    client = world.app.test_client()
    register(client, demo_program(world), members=1, **{"contact-email": "tidak-ada@contoh.go.id"})
    world.wait_until(lambda: world.messages(kind="registration")[0].status == "failed")
    (failed,) = world.messages(kind="registration")
    assert failed.attempts == 1 and failed.last_error.startswith("550 5.1.1")
    staff = world.app.test_client()
    staff_login(staff)
    page = text(staff.get("/staff/messages?status=failed"))
    assert "tidak-ada@contoh.go.id" in page and "550 5.1.1 Mailbox does not exist" in page
    assert world.inbox.messages == []


def test_two_workers_started_at_once_send_every_message_once(world):
    world.start_smtp()
    with world.app.app_context(), world.app.test_request_context():
        delegation = db.session.scalar(select(Delegation))
        for n in range(20):
            outbox.queue(
                "link",
                f"kontak{n}@contoh.go.id",
                "delegation_link",
                delegation=delegation,
                program=delegation.program,
                manage_url="https://planner.example.id/d/contoh",
            )
        db.session.commit()
    world.start_worker()
    world.start_worker()
    world.wait_until(lambda: {m.status for m in world.messages()} == {"sent"})
    time.sleep(1)  # anything sent twice would have arrived by now
    ids = [m["Message-ID"] for m in world.inbox.messages]
    assert len(ids) == 20 and len(set(ids)) == 20
    assert set(ids) == {m.message_id for m in world.messages()}


def test_a_worker_killed_in_the_middle_of_a_send_leaves_it_to_go_again_with_its_message_id(
    world,
):
    world.inbox.hang = True
    world.start_smtp()
    first = world.start_worker()
    client = world.app.test_client()
    register(client, demo_program(world), members=1)
    world.wait_until(lambda: len(world.inbox.messages) == 1)
    first.kill()  # SIGKILL while the server holds the DATA answer
    first.wait()
    (claimed,) = world.messages(kind="registration")
    assert claimed.status == MessageStatus.SENDING  # neither sent nor lost
    with world.app.app_context():  # the claim's lease runs out (five minutes, told here)
        db.session.execute(sa.update(OutgoingMessage).values(next_attempt_at=claimed.created_at))
        db.session.commit()
    world.inbox.hang = False
    world.start_worker()
    world.wait_until(lambda: world.messages(kind="registration")[0].status == "sent")
    ids = {m["Message-ID"] for m in world.inbox.messages}
    assert ids == {claimed.message_id} and len(world.inbox.messages) == 2


def test_a_lost_link_arrives_and_opens_the_delegation(world):
    world.start_smtp()
    world.start_worker()
    with world.app.app_context():
        delegation = db.session.scalar(select(Delegation).order_by(Delegation.id))
        address, token = delegation.contact_email, delegation.token
    client = world.app.test_client()
    page = f"/programs/{DEMO_SLUG}"
    client.post(
        f"{page}/lost-link", data={"email": address, "csrf_token": csrf_token(client, page)}
    )
    world.wait_until(lambda: world.inbox.to(address))
    link = link_in(world.inbox.to(address)[0])
    assert link == f"/d/{token}"
    assert "Seruyan" in text(world.app.test_client().get(link))


def test_a_password_reset_and_an_invitation_arrive_and_work(world):
    world.start_smtp()
    world.start_worker()
    admin = world.app.test_client()
    staff_login(admin)
    post(
        admin,
        "/staff/users",
        {"email": "baru@banyuwangikab.go.id", "name": "Staf Baru", "role": "staff"},
        token_page="/staff/users",
    )
    world.wait_until(lambda: world.inbox.to("baru@banyuwangikab.go.id"))
    invitation = link_in(world.inbox.to("baru@banyuwangikab.go.id")[0])
    newcomer = world.app.test_client()
    chosen = {"password": "kata-sandi-pertama", "confirm": "kata-sandi-pertama"}
    assert post(newcomer, invitation, chosen, token_page=invitation).status_code == 303

    forgetful = world.app.test_client()
    post(forgetful, "/staff/password-reset", {"email": DEMO_STAFF_EMAIL}, token_page="/staff/login")
    world.wait_until(lambda: world.inbox.to(DEMO_STAFF_EMAIL))
    reset = link_in(world.inbox.to(DEMO_STAFF_EMAIL)[0])
    new = {"password": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"}
    assert post(forgetful, reset, new, token_page=reset).status_code == 303
    again = world.app.test_client()
    response = again.post(
        "/staff/login",
        data={
            "email": DEMO_STAFF_EMAIL,
            "password": "kata-sandi-baru-1",
            "csrf_token": csrf_token(again),
        },
    )
    assert response.status_code == 303
