"""Benchmark: delegations of 30 members registering through the JSON API, 4 clients at once.

Usage: .venv/bin/python scripts/bench_registration.py [--seconds 20] [--clients 4]
           [--database postgresql+psycopg://postgres@127.0.0.1:5432/planner_bench_reg]

Builds a throw-away database with one open program that has room for every registration of
the run (the PostgreSQL database named, dropped and created again, and dropped afterwards; or,
without --database, a SQLite file in a temporary folder), serves planner under gunicorn (2 sync
workers, loopback, port 8331, rate limits off through RATELIMIT_ENABLED=false) and lets
`--clients` threads, each on one keep-alive connection, POST registrations of 30 members (half
of them joining the optional item) to /api/v1/programs/<slug>/registrations for `--seconds`.
Prints registrations per second, and the SQL statements one registration of 3 and of 30
members runs (counted in this process with the Flask test client).
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchkit import postgres_database, registration_body, registration_program

PROJECT = Path(__file__).resolve().parent.parent
PORT = 8331
SLUG = "bench-registrations"
SECRET_KEY = "bench-registration-secret"  # noqa: S105 (a throw-away database)
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--log-level", "warning"]


def build_database(url: str) -> list[str]:
    """The open program; returns the public ids of its optional items."""
    from planner import create_app
    from planner.core.database import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        program = registration_program(SLUG)
        db.session.add(program)
        db.session.commit()
        optional = [item.public_id for item in program.items if item.optional]
        db.engine.dispose()
    return optional


def statements_per_registration(url: str, optional: list[str]) -> dict[int, int]:
    """{members: SQL statements of one registration}, through the test client."""
    from planner import create_app
    from planner.core.database import db
    from tests.helpers import count_statements

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    counts = {}
    for members in (3, 30):
        body = registration_body(99_000_000 + members, members, optional)
        counts[members], response = count_statements(
            app, lambda body=body: client.post(f"/api/v1/programs/{SLUG}/registrations", json=body)
        )
        assert response.status_code == 201, response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
    return counts


def serve(env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{PORT}", "planner:create_app()"],
        env=env,
        cwd=str(PROJECT),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"planner did not start on port {PORT}")


def load(seconds: float, clients: int, optional: list[str], run: int) -> tuple[int, dict, float]:
    """(registrations saved, {status: count} of the others, elapsed seconds); `run` keeps the
    NIPs of this run apart from those of other runs."""
    path = f"/api/v1/programs/{SLUG}/registrations"
    headers = {"Content-Type": "application/json"}
    saved, refused = [], {}
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        deadline = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < deadline:
            body = json.dumps(
                registration_body(run * 10_000_000 + number * 1_000_000 + n, 30, optional)
            )
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                if response.status == 201:
                    saved.append(1)
                else:
                    refused[response.status] = refused.get(response.status, 0) + 1
            n += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n + 1,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(saved), refused, time.perf_counter() - started


def run(url: str, work: Path, args) -> None:
    optional = build_database(url)
    statements = statements_per_registration(url, optional)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "PYTHONPATH": str(PROJECT),
        "PLANNER_INSTANCE_PATH": str(work),
        "RATELIMIT_ENABLED": "false",
    }
    server = serve(env)
    try:
        load(2, args.clients, optional, run=1)  # warm-up: imports, connection pools, templates
        saved, refused, elapsed = load(args.seconds, args.clients, optional, run=2)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    print(
        f"{'PostgreSQL' if args.database else 'SQLite'}; gunicorn 2 sync workers; "
        f"{args.clients} clients, keep-alive, {args.seconds} s"
    )
    print(f"registrations of 30 members: {saved / elapsed:8.1f} per second ({saved} saved)")
    if refused:
        print(f"refused: {refused}")
    print(
        "statements per registration: "
        + ", ".join(f"{count} for {members} members" for members, count in statements.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-bench-reg-"))
    os.environ.update(
        SECRET_KEY=SECRET_KEY, PLANNER_INSTANCE_PATH=str(work), RATELIMIT_ENABLED="false"
    )
    sys.path.insert(0, str(PROJECT))
    try:
        if args.database:
            with postgres_database(args.database) as url:
                run(url, work, args)
        else:
            run(f"sqlite:///{work / 'bench.sqlite3'}", work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
