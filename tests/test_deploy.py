"""The production kit, used: the systemd units are valid, and two app servers started by
deploy/planner-entrypoint with deploy/gunicorn.conf.py, behind nginx with deploy's site and
sharing PostgreSQL and Redis, serve the main journey whichever of them answers; when one is
killed, the other keeps answering and no acknowledged write is lost."""

import io
import os
import re
import subprocess
import threading
import time
import warnings

import pytest
import requests
import sqlalchemy as sa
import urllib3
from pypdf import PdfWriter

from planner.demo import DEMO_SLUG
from tests.deployment import (
    DEPLOY,
    PROJECT,
    nginx_site,
    require,
    start_app_server,
    start_nginx,
)
from tests.servers import BIN, free_port

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_the_systemd_units_are_valid(tmp_path):
    analyze = require("systemd-analyze")
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text()
        for old, new in {
            "/opt/planner/bin/planner-entrypoint": str(DEPLOY / "planner-entrypoint"),
            "/opt/planner/venv/bin/flask": str(BIN / "flask"),
            "/etc/planner/planner.env": str(tmp_path / "planner.env"),
            "User=planner": "User=root",
            "Group=planner": "Group=root",
        }.items():
            text = text.replace(old, new)
        (tmp_path / unit.name).write_text(text)
    (tmp_path / "planner.env").write_text("PLANNER_ENV=production\n")
    units = sorted(
        str(path) for path in tmp_path.iterdir() if path.suffix in (".service", ".timer")
    )
    verified = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stderr


def test_the_purge_unit_runs_a_command_that_exists(runner):
    unit = (DEPLOY / "systemd" / "planner-purge.service").read_text()
    command = re.search(r"ExecStart=\S+ --app planner (.+)", unit).group(1).split()
    assert runner.invoke(args=command).exit_code == 0


def test_the_worker_unit_runs_the_documented_worker_command(runner):
    unit = (DEPLOY / "systemd" / "planner-worker.service").read_text()
    command = re.search(r"ExecStart=\S+ --app planner (.+)", unit).group(1).split()
    assert command == ["worker"]
    answer = runner.invoke(args=[*command, "--help"])
    assert answer.exit_code == 0 and "delivers the outbox" in answer.output


# --- two app servers behind nginx ------------------------------------------------------------


@pytest.fixture
def cluster(tmp_path):
    """Two app servers and nginx, over a fresh PostgreSQL database and the shared Redis."""
    require("nginx")
    require("openssl")
    postgres, redis_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not (postgres and redis_url):
        if os.environ.get("PLANNER_REQUIRE_POSTGRES"):
            pytest.fail("TEST_DATABASE_URL and TEST_REDIS_URL are needed")
        pytest.skip("needs PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    database = sa.engine.make_url(postgres).set(database="planner_cluster")
    admin = sa.create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text('DROP DATABASE IF EXISTS "planner_cluster" WITH (FORCE)'))
        connection.execute(sa.text('CREATE DATABASE "planner_cluster"'))
    https_port, http_port = free_port(), free_port()
    environment = {
        "DATABASE_URL": database.render_as_string(hide_password=False),
        "REDIS_URL": redis_url,
        "SECRET_KEY": "one-secret-for-every-app-server-" + "k" * 16,
        "PLANNER_ENV": "production",
        "PLANNER_TRUSTED_PROXIES": "1",
        "PLANNER_BASE_URL": f"https://127.0.0.1:{https_port}",
    }
    first = start_app_server(tmp_path, "first", environment)  # migrates the new database
    subprocess.run(
        [str(BIN / "flask"), "--app", "planner", "seed-demo"],
        env={**os.environ, **environment},
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    second = start_app_server(tmp_path, "second", environment)
    nginx = start_nginx(nginx_site(tmp_path, [first.port, second.port], http_port, https_port))
    base = f"https://127.0.0.1:{https_port}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        for _ in range(100):
            try:
                browser().get(f"{base}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base, first, second, tmp_path, sa.create_engine(environment["DATABASE_URL"])
    nginx.terminate()
    nginx.wait(timeout=10)
    for server in (first, second):
        server.stop()
    with admin.connect() as connection:
        connection.execute(sa.text('DROP DATABASE IF EXISTS "planner_cluster" WITH (FORCE)'))
    admin.dispose()


def browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy, no CA bundle from the environment
    session.verify = False  # the test's own certificate
    return session


def csrf(page: requests.Response) -> str:
    return CSRF.search(page.text).group(1)


def a_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def answered_by(log_path, since: int) -> set[str]:
    lines = log_path.read_text().splitlines()[since:]
    return {line.rsplit(" ", 1)[-1] for line in lines}


def test_two_app_servers_serve_one_journey_and_survive_losing_one(cluster):
    base, first, second, tmp, database = cluster
    nginx_log = tmp / "nginx-access.log"
    staff = browser()
    login_page = staff.get(f"{base}/staff/login")
    answer = staff.post(
        f"{base}/staff/login",
        data={
            "email": "protokol@banyuwangikab.go.id",
            "password": "banyuwangi-demo",
            "csrf_token": csrf(login_page),
        },
        allow_redirects=False,
    )
    assert answer.status_code == 303
    for _ in range(6):  # the session and its CSRF token hold on either server
        assert staff.get(f"{base}/staff/").status_code == 200
    account = staff.get(f"{base}/staff/account")
    token_answer = staff.post(
        f"{base}/staff/account/api-tokens", data={"name": "cek", "csrf_token": csrf(account)}
    )
    assert token_answer.status_code == 200 and "pl_" in token_answer.text  # a form with CSRF

    # A contact registers with the letter as a PDF, then imports the member list.
    contact = browser()
    form_page = contact.get(f"{base}/programs/{DEMO_SLUG}/register")
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', form_page.text).group(1)
    registered = contact.post(
        f"{base}/programs/{DEMO_SLUG}/register",
        data={
            "csrf_token": csrf(form_page),
            "idempotency_key": key,
            "institution": "Pemerintah Kabupaten Katingan",
            "province": "Kalimantan Tengah",
            "leader_name": "Drs. Saiful",
            "leader_title": "Bupati Katingan",
            "contact-name": "Nita",
            "contact-phone": "0813 5000 1000",
            "contact-email": "protokol@katingankab.go.id",
            "request_letter-number": "005/88/2026",
            "request_letter-date": "2026-11-20",
            "members-0-full_name": "Drs. Saiful",
            "members-0-position": "Bupati Katingan",
            "members-0-role": "leader",
        },
        files={"request_letter-file": ("surat.pdf", a_pdf(), "application/pdf")},
        allow_redirects=False,
    )
    assert registered.status_code == 303, registered.text[-2000:]
    private = base + registered.headers["Location"]
    upload_page = contact.get(private + "/import")
    csv = "Nama lengkap,Jabatan\nDrs. Saiful,Bupati Katingan\nNita Sari,Kepala Bagian Protokol\n"
    preview = contact.post(
        private + "/import",
        data={"csrf_token": csrf(upload_page)},
        files={"file": ("anggota.csv", csv.encode(), "text/csv")},
    )
    assert preview.status_code == 200 and "Nita Sari" in preview.text
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', preview.text)
    confirmed = contact.post(
        private + "/import", data=[*hidden, ("confirm", "1")], allow_redirects=False
    )
    assert confirmed.status_code == 303, confirmed.text[-2000:]
    page = contact.get(private)
    assert "Nita Sari" in page.text
    assert contact.get(private + "/letter.pdf").content.startswith(b"%PDF-")

    # The member's page and feed: the same ETag from either server, and a 304 from both.
    member = re.search(r'value="(https://[^"]+/m/[^"]+)"', page.text).group(1)
    feed = member.replace(f"https://127.0.0.1:{base.rsplit(':', 1)[1]}", base) + "/schedule.ics"
    etags = {contact.get(feed).headers["ETag"] for _ in range(6)}
    assert len(etags) == 1
    (etag,) = etags
    assert {contact.get(feed, headers={"If-None-Match": etag}).status_code for _ in range(4)} == {
        304
    }
    assert len(answered_by(nginx_log, 0)) == 2  # both app servers answered the journey

    # Rate limits are counted once, in Redis: ten wrong passwords, on whichever server, lock.
    guesser = browser()
    failures = []
    for _ in range(11):
        login = guesser.get(f"{base}/staff/login")
        failures.append(
            guesser.post(
                f"{base}/staff/login",
                data={"email": "tamu@x.go.id", "password": "salah", "csrf_token": csrf(login)},
            ).status_code
        )
    assert failures == [422] * 10 + [429]

    # One app server dies under load: the other answers, nothing acknowledged is lost.
    acknowledged, failed, stop = [], [], threading.Event()

    def load():
        api = browser()
        number = 0
        while not stop.is_set() and number < 14:
            number += 1
            answer = api.post(
                f"{base}/api/v1/programs/{DEMO_SLUG}/registrations",
                json={
                    "institution": f"Pemerintah Kota Uji {number}",
                    "province": "Jawa Timur",
                    "leader_name": f"Pimpinan {number}",
                    "leader_title": "Wali Kota",
                    "contact": {"name": "N", "phone": "0812 3000 4000", "email": "n@uji.go.id"},
                    "members": [{"full_name": f"Pimpinan {number}", "position": "Wali Kota"}],
                },
            )
            (acknowledged if answer.status_code == 201 else failed).append(answer)
            for _ in range(3):
                api.get(f"{base}/api/v1/programs/{DEMO_SLUG}")
            time.sleep(0.05)

    worker = threading.Thread(target=load)
    worker.start()
    while len(acknowledged) < 3 and worker.is_alive():
        time.sleep(0.05)
    lines_before = len(nginx_log.read_text().splitlines())
    second.kill()
    worker.join(timeout=60)
    stop.set()
    assert len(acknowledged) >= 10 and len(failed) <= 1, [f.status_code for f in failed]
    with database.connect() as connection:
        saved = set(
            connection.execute(
                sa.text("SELECT institution FROM delegations WHERE institution LIKE '%Kota Uji%'")
            ).scalars()
        )
    assert {answer.json()["institution"] for answer in acknowledged} <= saved
    after = [browser().get(f"{base}/api/v1/programs").status_code for _ in range(10)]
    assert after == [200] * 10
    # Once nginx saw the dead server fail, everything goes to the living one.
    assert answered_by(nginx_log, lines_before + 8) <= {f"127.0.0.1:{first.port}"}
    ready = browser().get(f"{base}/readyz").json()
    assert ready["status"] == "ready" and ready["checks"]["redis"] == "ok"
