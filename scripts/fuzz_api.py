"""Fuzz the JSON API with schemathesis against a live server, bounded in examples and time.

Usage: .venv/bin/python scripts/fuzz_api.py [--max-examples 20] [--max-time 240]

Builds a throw-away SQLite database with the Banyuwangi demo and a staff API token, serves
planner with gunicorn on loopback, and runs schemathesis against /api/v1/openapi.json,
failing on any 5xx and on any answer that contradicts the document.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 5103

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--max-time", type=int, default=240)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-fuzz-"))
    base = f"http://127.0.0.1:{PORT}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'fuzz.sqlite3'}",
        "SECRET_KEY": "fuzz",
        "PLANNER_BASE_URL": base,
        "FLASK_APP": "planner",
        # The fuzzer tests the API's logic; rate limits have their own tests.
        "RATELIMIT_ENABLED": "false",
    }
    flask = [str(BIN / "flask"), "--app", "planner"]

    def run(*command, **kwargs):
        return subprocess.run(command, env=env, cwd=PROJECT, check=True, **kwargs)

    run(*flask, "db", "upgrade", capture_output=True)
    run(*flask, "seed-demo", capture_output=True)
    run(
        *flask,
        "create-user",
        "fuzz@banyuwangikab.go.id",
        "--role",
        "staff",
        input=b"fuzzing-password\n",
        capture_output=True,
    )
    token = (
        run(
            *flask,
            "create-api-token",
            "fuzz@banyuwangikab.go.id",
            "--name",
            "fuzz",
            capture_output=True,
        )
        .stdout.decode()
        .strip()
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "planner:create_app()",
        ],
        env=env,
        cwd=PROJECT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        result = subprocess.run(
            [
                str(BIN / "st"),
                "run",
                base + "/api/v1/openapi.json",
                "--checks",
                CHECKS,
                "--max-examples",
                str(args.max_examples),
                "--max-time",
                str(args.max_time),
                "--header",
                f"Authorization: Bearer {token}",
                "--workers",
                "1",
                "--seed",
                "1",
            ],
            env=env,
            cwd=PROJECT,
        )
        return result.returncode
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
