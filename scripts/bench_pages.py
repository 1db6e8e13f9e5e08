"""Benchmark: every GET page and feed on one year and on ten years of history, side by side.

Usage: .venv/bin/python scripts/bench_pages.py [--requests 30] [--only /staff/programs] [--keep]

Drops and recreates the PostgreSQL databases planner_bench_1y and planner_bench_10y (with
--keep, a database that already holds data is reused), sets random_page_cost as the README's
server setup does, migrates them (`flask db upgrade`, also on kept databases, so new indexes
arrive) and seeds them with `flask seed-scale`. Then,
for every GET rule of the app's URL map, with its arguments filled from seeded rows (the
program with the most delegations, an approved delegation of it and one of its members):

- the SQL statements one request runs, counted in this process with the Flask test client;
- p50 and p95 latency over HTTP against gunicorn (2 sync workers, ports 8301 and 8302, both
  running), sequential requests after a warm-up, alternating between the two sizes; staff
  pages with a session cookie from the login form and /api/v1/staff with a token from
  `flask create-api-token`.

Last, registration writes: 4 concurrent clients POST registrations of 30 members to
/api/v1/programs/<slug>/registrations of a program made for the run (removed afterwards):
registrations per second and statements per registration. Rows where the query counts differ
or p95 grows more than 1.5x are flagged with "!".
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import sqlalchemy as sa

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchkit import logged_in_client, registration_body, registration_program  # noqa: E402

from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL  # noqa: E402
from tests.helpers import count_statements  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
SIZES = {1: 8301, 10: 8302}  # years of history: gunicorn port
SECRET_KEY = "bench-pages-secret"  # noqa: S105 (throw-away databases)
FLASK = [sys.executable, "-m", "flask", "--app", "planner"]
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--log-level", "warning"]
WRITE_SLUG = "bench-registrations"
CLIENTS = 4
# GET rules not measured, and why.
SKIPPED = {
    "static": "static files (served by nginx in production)",
    "staff.accept_invitation": "needs the one-time secret of an e-mailed invitation",
    "staff.reset_password": "needs the one-time secret of an e-mailed reset link",
}
ANY = re.compile(r"<any\(([^)]*)\):(\w+)>")


def database_url(years: int) -> str:
    return f"{SERVER}planner_bench_{years}y"


def environment(years: int, instance: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(years),
        "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_ENABLED": "false",
        "PLANNER_INSTANCE_PATH": str(instance),
        "PYTHONPATH": str(PROJECT),
    }


def flask(env: dict, *args: str) -> str:
    done = subprocess.run([*FLASK, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(years: int, keep: bool, env: dict) -> str:
    """Migrate (and unless kept, recreate and seed) one database; what the seeding said."""
    name = f"planner_bench_{years}y"
    server = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
    seeded = False
    if exists and keep:
        engine = sa.create_engine(database_url(years))
        with engine.connect() as connection:
            seeded = bool(
                sa.inspect(connection).has_table("programs")
                and connection.scalar(sa.text("SELECT count(*) FROM programs"))
            )
        engine.dispose()
    with server.connect() as connection:
        if not seeded:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # As the README's server setup does: index reads cost about as much as table reads.
        connection.execute(sa.text(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1'))
    server.dispose()
    flask(env, "db", "upgrade")
    if seeded:
        return f"{name}: kept"
    started = time.perf_counter()
    output = flask(env, "seed-scale", "--years", str(years))
    return f"{name}: seeded in {time.perf_counter() - started:.1f} s (command included)\n{output}"


def make_app(years: int, instance: Path):
    from planner import create_app

    os.environ["PLANNER_INSTANCE_PATH"] = str(instance)
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(years),
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def url_values(app) -> dict:
    """Rows to fill the URL rules with: the largest program and typical rows of it."""
    from sqlalchemy import func, select

    from planner.core.database import db
    from planner.delegations.models import CheckinPoint, Delegation, Member, MemberItem
    from planner.demo import DEMO_STAFF_EMAIL
    from planner.programs.models import AgendaItem, Program
    from planner.programs.times import host_today
    from planner.staff.models import StaffUser
    from planner.venues.models import Venue
    from planner.visits.models import ProgramTemplate, Topic, VisitRequest

    with app.app_context():
        s = db.session
        program = s.scalar(
            select(Program)
            .join(Delegation, Delegation.program_id == Program.id)
            .where(Program.slug != WRITE_SLUG)
            .group_by(Program.id)
            .order_by(func.count(Delegation.id).desc(), Program.id)
            .limit(1)
        )
        sizes = (
            select(Delegation.id, func.count(Member.id).label("size"))
            .join(Member)
            .where(Delegation.program_id == program.id, Delegation.status == "approved")
            .group_by(Delegation.id)
            .order_by(func.count(Member.id), Delegation.id)
        )
        ids = [row.id for row in s.execute(sizes)]
        delegation = s.get(Delegation, ids[len(ids) // 2])
        member = s.scalar(
            select(Member).where(Member.delegation_id == delegation.id).order_by(Member.sort_order)
        )
        # The optional item most members joined: its manifest is as long as the program allows.
        item = s.scalar(
            select(AgendaItem)
            .outerjoin(MemberItem, MemberItem.item_id == AgendaItem.id)
            .where(AgendaItem.program_id == program.id)
            .group_by(AgendaItem.id)
            .order_by(AgendaItem.optional.desc(), func.count(MemberItem.item_id).desc())
            .limit(1)
        )
        point = s.scalar(select(CheckinPoint).where(CheckinPoint.program_id == program.id))
        request = s.scalar(select(VisitRequest).order_by(VisitRequest.id.desc()))
        venue = s.scalar(
            select(Venue)
            .join(AgendaItem, AgendaItem.venue_id == Venue.id)
            .group_by(Venue.id)
            .order_by(func.count(AgendaItem.id).desc())
        )
        staff = s.scalar(select(StaffUser).where(StaffUser.email == DEMO_STAFF_EMAIL))
        return {
            "slug": program.slug,
            "delegation": delegation.public_id,
            "delegation_token": delegation.token,
            "member_token": member.token,
            "item": item.public_id,
            "point": point.public_id if point else None,
            "request": request.public_id,
            "request_token": request.token,
            "venue": venue.public_id,
            "template": s.scalar(select(ProgramTemplate.public_id)),
            "topic": s.scalar(select(Topic.public_id)),
            "calendar_token": staff.calendar_token,
            "code": "id",
            "year": str(host_today().year),  # the figures of this year, next to the year before
        }


def public_id_for(path: str, values: dict):
    for marker, key in (
        ("checkin", "point"),
        ("request", "request"),
        ("/delegations/", "delegation"),
        ("/items/", "item"),
        ("/templates/", "template"),
        ("/topics/", "topic"),
        ("/venues/", "venue"),
    ):
        if marker in path:
            return values[key]
    raise KeyError(path)


def token_for(path: str, values: dict) -> str:
    if path.startswith("/m/"):
        return values["member_token"]
    if "visit" in path:
        return values["request_token"]
    return values["delegation_token"]


def pages(app) -> list[str]:
    """Every GET rule; a rule choosing among words gives a row per word."""
    rows = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        variants = [rule.rule]
        for options, _name in ANY.findall(rule.rule):
            words = [w.strip() for w in options.split(",")]
            pattern = f"<any({options}):{_name}>"
            variants = [v.replace(pattern, word) for v in variants for word in words]
        rows += variants
    return rows


def fill(label: str, values: dict) -> str | None:
    """The URL of a label, with its arguments from the seeded rows (None: no such row)."""
    url = label
    for argument in re.findall(r"<(?:[^:<>]+:)?(\w+)>", label):
        if argument == "public_id":
            value = public_id_for(label, values)
        elif argument == "token":
            value = token_for(label, values)
        else:
            value = values[argument]
        if value is None:
            return None
        url = re.sub(rf"<(?:[^:<>]+:)?{argument}>", value, url)
    if url == "/staff/calendar.ics":
        url += f"?token={values['calendar_token']}"
    return url


def headers_for(url: str, api_token: str) -> dict:
    return {"Authorization": f"Bearer {api_token}"} if url.startswith("/api/v1/staff") else {}


def logged_in_session(base: str) -> requests.Session:
    from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL
    from tests.helpers import CSRF_PATTERN

    session = requests.Session()
    token = CSRF_PATTERN.search(session.get(f"{base}/staff/login").text).group(1)
    data = {"email": DEMO_STAFF_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token}
    response = session.post(f"{base}/staff/login", data=data, allow_redirects=False)
    assert response.status_code == 303, response.status_code
    return session


def serve(port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "planner:create_app()"], env=env, cwd=PROJECT
    )
    for _ in range(150):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn did not start on port {port}")


def latencies(requests_: list[tuple], count: int, budget: float) -> list[list[float] | str]:
    """Seconds per request (after two warm-ups) for each (session, url, headers), or what went
    wrong. The requests alternate between them, so that whatever else the machine does weighs
    on every size alike."""
    timings: list[list[float] | str] = [[] for _ in requests_]
    started = time.perf_counter()
    for n in range(count + 2):
        for index, (session, url, headers) in enumerate(requests_):
            if isinstance(timings[index], str):
                continue
            before = time.perf_counter()
            try:
                response = session.get(url, headers=headers, allow_redirects=False, timeout=60)
            except requests.RequestException as exc:
                timings[index] = type(exc).__name__
                continue
            if response.status_code >= 400:
                timings[index] = f"HTTP {response.status_code}"
            elif n >= 2:
                timings[index].append(time.perf_counter() - before)
        if n >= 7 and time.perf_counter() - started > budget:
            break
    return timings


def percentile(timings: list[float], p: int) -> float:
    if len(timings) == 1:
        return timings[0]
    return statistics.quantiles(timings, n=100, method="inclusive")[p - 1]


def write_program(app) -> str:
    """A fresh open program with room for every registration of the run."""
    from planner.core.database import db

    remove_write_program(app)
    with app.app_context():
        db.session.add(registration_program(WRITE_SLUG))
        db.session.commit()
    return WRITE_SLUG


def remove_write_program(app) -> None:
    from planner.core.database import db

    with app.app_context():
        program = {"slug": WRITE_SLUG}
        db.session.execute(
            sa.text(
                "DELETE FROM audit_events WHERE program_id IN "
                "(SELECT id FROM programs WHERE slug = :slug)"
            ),
            program,
        )
        db.session.execute(
            sa.text(
                "DELETE FROM delegations WHERE program_id IN "
                "(SELECT id FROM programs WHERE slug = :slug)"
            ),
            program,
        )
        db.session.execute(sa.text("DELETE FROM programs WHERE slug = :slug"), program)
        db.session.commit()


def bench_writes(app, base: str, seconds: float) -> tuple[int, float]:
    """(statements per registration, registrations per second with 4 clients)."""
    slug = write_program(app)
    url = f"/api/v1/programs/{slug}/registrations"
    test_client = app.test_client()
    statements, response = count_statements(
        app, lambda: test_client.post(url, json=registration_body(10**6))
    )
    assert response.status_code == 201, response.status_code
    done, failures = [], []

    def client(number: int) -> None:
        session = requests.Session()
        deadline = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < deadline:
            response = session.post(base + url, json=registration_body(number * 100_000 + n))
            (done if response.status_code == 201 else failures).append(response.status_code)
            n += 1

    threads = [threading.Thread(target=client, args=(n + 1,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    remove_write_program(app)
    if failures:
        print(f"  {len(failures)} registrations failed: {sorted(set(failures))}", flush=True)
    return statements, len(done) / elapsed


@dataclass
class Size:
    """One database of `years` of history, under its own gunicorn."""

    years: int
    app: object
    values: dict
    api_token: str
    client: object  # a logged-in Flask test client, to count statements in this process
    base: str
    server: subprocess.Popen
    session: requests.Session  # logged in over HTTP


def open_size(years: int, instance: Path, env: dict) -> Size:
    app = make_app(years, instance)
    token = flask(env, "create-api-token", DEMO_STAFF_EMAIL, "--name", "bench").strip()
    base = f"http://127.0.0.1:{SIZES[years]}"
    server = serve(SIZES[years], env)
    return Size(
        years,
        app,
        url_values(app),
        token,
        logged_in_client(app, DEMO_STAFF_EMAIL, DEMO_PASSWORD),
        base,
        server,
        logged_in_session(base),
    )


def measure(sizes: list[Size], args) -> dict[int, dict]:
    """{years: {label: (statements, timings) or what went wrong}}, pages measured side by side."""
    results: dict[int, dict] = {size.years: {"values": size.values} for size in sizes}
    for label in pages(sizes[0].app):
        if args.only and args.only not in label:
            continue
        timed = []
        for size in sizes:
            url = fill(label, size.values)
            if url is None:
                results[size.years][label] = "no seeded row"
                continue
            headers = headers_for(url, size.api_token)
            statements, response = count_statements(
                size.app, lambda s=size, u=url, h=headers: s.client.get(u, headers=h)
            )
            if response.status_code >= 400:
                results[size.years][label] = f"HTTP {response.status_code}"
                continue
            results[size.years][label] = statements
            timed.append((size, (size.session, size.base + url, headers)))
        timings = latencies([request for _, request in timed], args.requests, args.budget)
        for (size, _), measured in zip(timed, timings, strict=True):
            statements = results[size.years][label]
            results[size.years][label] = (
                measured if isinstance(measured, str) else (statements, measured)
            )
        counts = [results[size.years][label] for size in sizes]
        print(f"  {label}: " + " / ".join(str(c[0] if isinstance(c, tuple) else c) for c in counts))
    if not args.only or args.only in "registrations":
        for size in sizes:
            results[size.years]["POST registrations"] = bench_writes(
                size.app, size.base, args.write_seconds
            )
    return results


def table(small: dict, large: dict) -> None:
    labels = [label for label in small if label not in ("values", "POST registrations")]
    print()
    print(
        f"{'page (URL rule)':72s} {'queries 1y/10y':>14s} {'p50 ms 1y/10y':>15s} "
        f"{'p95 ms 1y/10y':>15s} {'p95 x':>6s}"
    )
    for label in labels:
        one, ten = small[label], large.get(label, "not measured")
        if isinstance(one, str) or isinstance(ten, str):
            print(f"{label:72s} {'':>14s} 1y: {one if isinstance(one, str) else 'ok'}, "
                  f"10y: {ten if isinstance(ten, str) else 'ok'}  !")  # fmt: skip
            continue
        (q1, t1), (q10, t10) = one, ten
        p50 = [percentile(t, 50) * 1000 for t in (t1, t10)]
        p95 = [percentile(t, 95) * 1000 for t in (t1, t10)]
        ratio = p95[1] / p95[0]
        flag = " !" if q1 != q10 or ratio > 1.5 else ""
        print(
            f"{label:72s} {f'{q1} / {q10}':>14s} {f'{p50[0]:.1f} / {p50[1]:.1f}':>15s} "
            f"{f'{p95[0]:.1f} / {p95[1]:.1f}':>15s} {ratio:6.2f}{flag}"
        )
    if "POST registrations" in small:
        (s1, r1), (s10, r10) = small["POST registrations"], large["POST registrations"]
        print(
            f"\nregistrations of 30 members, {CLIENTS} concurrent clients: "
            f"1y {r1:.1f}/s, 10y {r10:.1f}/s; statements per registration 1y {s1}, 10y {s10}"
            + (" !" if s1 != s10 else "")
        )
    print("\nskipped GET rules: " + "; ".join(f"{e} ({why})" for e, why in SKIPPED.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--budget", type=float, default=20, help="seconds per page before stopping (at least 5)"
    )
    parser.add_argument("--only", default="", help="only the pages whose rule contains this")
    parser.add_argument("--keep", action="store_true", help="reuse already seeded databases")
    parser.add_argument("--write-seconds", type=float, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        sizes = []
        try:
            for years in SIZES:
                instance = Path(tmp) / f"{years}y"
                instance.mkdir()
                env = environment(years, instance)
                print(prepare(years, args.keep, env), flush=True)
                sizes.append(open_size(years, instance, env))
            results = measure(sizes, args)
        finally:
            for size in sizes:
                size.server.send_signal(signal.SIGTERM)
                size.server.wait(timeout=30)
        print(f"\nlargest program 1y: {results[1]['values']['slug']}; "
              f"10y: {results[10]['values']['slug']}")  # fmt: skip
        print(
            f"{args.requests} requests per page after 2 warm-ups, alternating between the two "
            "sizes; gunicorn 2 sync workers each"
        )
        table(results[1], results[10])


if __name__ == "__main__":
    main()
