"""A real server for the tests that need one: gunicorn on loopback, over a SQLite database
holding the Banyuwangi demo."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from planner.core.database import db
from tests.conftest import make_test_app

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(tmp_path: Path, **environment: str):
    """(the app over the same database, the base URL, the access log, what the server wrote
    to its error log and standard error)."""
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    app = make_test_app(url)
    with app.app_context():
        db.create_all()
        from planner.demo import load_demo

        load_demo()
        db.session.commit()
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    output = errors.open("w")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "served-in-a-test",
        "PLANNER_BASE_URL": f"http://127.0.0.1:{port}",
        **environment,
    }
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access),
            "planner:create_app()",
        ],
        env=env,
        cwd=PROJECT,
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield app, base, access, errors
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        output.close()
