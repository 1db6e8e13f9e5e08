"""Benchmark: a 60-item program feed under load, next to a bare Flask endpoint.

Usage: .venv/bin/python scripts/bench_feed.py [--seconds 10] [--connections 16]
           [--database postgresql+psycopg://postgres@127.0.0.1:5432/planner_bench_feed]

Needs `wrk` (Debian: apt-get install wrk). Builds a throw-away database with a 60-item
program (SQLite in a temporary folder, or the PostgreSQL database named, which is created
and dropped again), serves planner and a bare Flask app returning the same bytes with the
same gunicorn settings (2 sync workers, loopback, ports 8321 and 8322), and prints requests
per second for: the full feed, the conditional 304 path, and the bare endpoint, each also as
a percentage of the bare endpoint (the floor).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

from benchkit import postgres_database

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--log-level", "warning"]
BARE_APP = """
import os
from flask import Flask, Response
app = Flask(__name__)
BODY = open(os.environ["BENCH_BODY"], "rb").read()
@app.get("/bare")
def bare():
    return Response(BODY, content_type="text/calendar; charset=utf-8")
"""


def build_database(url: str) -> str:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")
    sys.path.insert(0, str(PROJECT))
    from planner import create_app
    from planner.core.database import db
    from planner.programs.models import AgendaItem, Program, ProgramStatus
    from planner.programs.times import to_utc
    from planner.venues.models import Venue

    app = create_app()
    with app.app_context():
        db.create_all()
        venues = [
            Venue(name=f"Tempat {n}", address="Banyuwangi", latitude=-8.2, longitude=114.3)
            for n in range(5)
        ]
        first = date(2026, 12, 7)
        program = Program(
            slug="bench",
            title="Program uji beban",
            first_day=first,
            last_day=first + timedelta(days=4),
            timezone="Asia/Jakarta",
            status=ProgramStatus.PUBLISHED,
        )
        for n in range(60):
            day = first + timedelta(days=n % 5)
            start = clock(6 + n // 5)
            program.items.append(
                AgendaItem(
                    title=f"Acara nomor {n} dengan judul yang cukup panjang",
                    kind="briefing",
                    starts_at=to_utc(day, start, "Asia/Jakarta"),
                    ends_at=to_utc(day, clock(start.hour, 45), "Asia/Jakarta"),
                    venue=venues[n % 5],
                    presenter="Kepala Dinas",
                    dress_code="PDH",
                    requirements="Bawa kartu identitas; datang 10 menit lebih awal",
                )
            )
        db.session.add_all([*venues, program])
        db.session.commit()
        db.engine.dispose()
    return "/programs/bench/agenda.ics"


def serve(app_spec: str, port: int, env: dict, cwd: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", app_spec], env=env, cwd=cwd
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/healthz"
                if "planner" in app_spec
                else f"http://127.0.0.1:{port}/bare",
                timeout=1,
            )
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app_spec} did not start on port {port}")


def wrk(url: str, seconds: int, connections: int, header: str | None = None) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    try:
        if args.database:
            with postgres_database(args.database) as url:
                results, size = run(url, work, args)
        else:
            results, size = run(f"sqlite:///{work / 'bench.sqlite3'}", work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare_rps = results["bare Flask, same body"]
    print(
        f"{'PostgreSQL' if args.database else 'SQLite'}; feed body: {size:,} bytes; "
        f"gunicorn 2 workers; wrk -t2 -c{args.connections} -d{args.seconds}s"
    )
    for name, rps in results.items():
        print(f"{name:28s} {rps:10.1f} req/s   {rps / bare_rps:7.1%} of bare")


def run(url: str, work: Path, args) -> tuple[dict[str, float], int]:
    path = build_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "PYTHONPATH": str(PROJECT),
        "PLANNER_INSTANCE_PATH": str(work),
    }
    processes = [serve("planner:create_app()", 8321, env, str(PROJECT))]
    try:
        feed_url = f"http://127.0.0.1:8321{path}"
        with urllib.request.urlopen(feed_url) as response:
            body, etag = response.read(), response.headers["ETag"]
        (work / "body.ics").write_bytes(body)
        (work / "bare_app.py").write_text(BARE_APP)
        bare_env = {**env, "BENCH_BODY": str(work / "body.ics")}
        processes.append(serve("bare_app:app", 8322, bare_env, str(work)))
        results = {
            "feed (200, 60 items)": wrk(feed_url, args.seconds, args.connections),
            "feed (304, If-None-Match)": wrk(
                feed_url, args.seconds, args.connections, f"If-None-Match: {etag}"
            ),
            "bare Flask, same body": wrk(
                "http://127.0.0.1:8322/bare", args.seconds, args.connections
            ),
        }
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)
    return results, len(body)


if __name__ == "__main__":
    main()
