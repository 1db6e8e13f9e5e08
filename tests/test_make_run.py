"""`make run`, the README's first command: the web server and the background worker start
together, the worker delivers, and Ctrl+C stops both."""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import PROJECT


def readiness() -> dict | None:
    try:
        with urllib.request.urlopen("http://127.0.0.1:5000/readyz", timeout=2) as answer:  # noqa: S310
            return json.load(answer)
    except OSError:
        return None


def test_make_run_serves_with_the_worker_and_ctrl_c_stops_both(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if readiness() is not None:
        pytest.fail("something already answers on 127.0.0.1:5000, where make run serves")
    environment = {**os.environ, "PLANNER_INSTANCE_PATH": str(tmp_path)}
    for name in ("DATABASE_URL", "REDIS_URL", "MAIL_SERVER"):
        environment.pop(name, None)
    run = subprocess.Popen(
        ["make", "run"],
        cwd=PROJECT,
        env=environment,
        stdout=(tmp_path / "run.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    try:
        state = None
        for _ in range(300):
            state = readiness()
            if state and state["checks"]["worker"] == "ok":
                break
            time.sleep(0.2)
        assert state and state["checks"]["worker"] == "ok", (tmp_path / "run.log").read_text()
    finally:
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl+C sends
        run.wait(timeout=30)
    time.sleep(1)
    assert readiness() is None
    assert started_here(tmp_path) == []


def started_here(instance) -> list[str]:
    """The flask processes still running with this test's instance folder."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            folder = Path("/proc", entry.name)
            command = (folder / "cmdline").read_bytes().replace(b"\0", b" ")
            environment = (folder / "environ").read_bytes()
        except OSError:
            continue
        if b"flask" in command and str(instance).encode() in environment:
            found.append(command.decode(errors="replace"))
    return found
