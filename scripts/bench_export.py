"""Memory and time of the participants export (.xlsx and .csv) at 5,000 and 50,000 rows.

Not a test. Builds a throw-away SQLite database with three programs, bulk-inserted:
5,000 members in 100 delegations, 50,000 in 100 delegations (ten times the rows, the same
number of sheets) and 50,000 in 1,000 delegations (ten times the sheets too). Then exports
each through the Flask test client, every export in a fresh process so that its peak
resident memory is its own:

    .venv/bin/python scripts/bench_export.py

Prints, per export: rows, bytes, seconds, the peak of Python allocations during the request
(tracemalloc, measured in a second run because tracing slows everything down) and the
process's peak resident memory (ru_maxrss) before and after the request.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

from benchkit import logged_in_client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-secret-key")
for name in ("DATABASE_URL", "PLANNER_ENV", "MAIL_SERVER"):
    os.environ.pop(name, None)

# (members, delegations): the .xlsx has a sheet per delegation.
CASES = ((5_000, 100), (50_000, 100), (50_000, 1_000))
PASSWORD = "bench-rahasia-123"  # noqa: S105 (a throw-away database)
EMAIL = "bench@banyuwangikab.go.id"
FORMATS = ("xlsx", "csv")


def make_app(path: Path):
    from planner import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def slug(members: int, delegations: int) -> str:
    return f"bench-{members}-{delegations}"


def build(path: Path) -> None:
    from sqlalchemy import insert, select

    from planner.core.database import db, new_token
    from planner.delegations.models import Delegation, Member
    from planner.programs.models import Program
    from planner.staff.models import StaffUser

    app = make_app(path)
    with app.app_context():
        db.create_all()
        user = StaffUser(email=EMAIL, name="Bench", role="staff")
        user.set_password(PASSWORD)
        db.session.add(user)
        for members, delegations in CASES:
            db.session.add(
                Program(
                    slug=slug(members, delegations),
                    title=f"Bench {members} / {delegations}",
                    first_day=date(2026, 12, 9),
                    last_day=date(2026, 12, 11),
                    timezone="Asia/Jakarta",
                    status="published",
                )
            )
        db.session.commit()
        now = datetime.now(UTC)
        for members, delegations in CASES:
            program_id = db.session.scalar(
                select(Program.id).where(Program.slug == slug(members, delegations))
            )
            per_delegation = members // delegations
            db.session.execute(
                insert(Delegation),
                [
                    dict(
                        program_id=program_id,
                        status="approved" if n % 4 else "pending",
                        institution=f"Pemerintah Kabupaten Bench {n:05d}",
                        province="Kalimantan Tengah",
                        leader_name=f"Bupati {n}",
                        leader_title="Bupati",
                        contact_name=f"Protokol {n}",
                        contact_phone="+6281234567890",
                        contact_email=f"protokol{n}@bench.go.id",
                        token=new_token(),
                        created_at=now,
                        updated_at=now,
                    )
                    for n in range(delegations)
                ],
            )
            ids = list(
                db.session.scalars(
                    select(Delegation.id)
                    .where(Delegation.program_id == program_id)
                    .order_by(Delegation.id)
                )
            )
            batch = []
            for n in range(members):
                batch.append(
                    dict(
                        delegation_id=ids[n // per_delegation],
                        full_name=f"Peserta Nomor {n:06d}",
                        nip=f"19700101199503{n % 2 + 1}{n % 1000:03d}",
                        position="Kepala Bagian Organisasi",
                        rank="Pembina (IV/a)",
                        gender="L" if n % 2 else "P",
                        phone=f"0812{34560000 + n}",
                        email=f"peserta{n}@bench.go.id",
                        dietary="Vegetarian" if n % 7 == 0 else "",
                        role="leader" if n % per_delegation == 0 else "member",
                        sort_order=n % per_delegation,
                        token=new_token(),
                        created_at=now,
                        updated_at=now,
                    )
                )
                if len(batch) == 10_000:
                    db.session.execute(insert(Member), batch)
                    batch = []
            if batch:
                db.session.execute(insert(Member), batch)
            db.session.commit()


def export(client, url: str) -> int:
    """Fetch the export chunk by chunk, keeping nothing but the byte count."""
    response = client.get(url, buffered=False)
    assert response.status_code == 200, response.status_code
    size = 0
    try:
        for chunk in response.response:
            size += len(chunk)
    finally:
        response.close()
    return size


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(path: Path, members: int, delegations: int, fmt: str) -> None:
    """One export in this (fresh) process; prints one line of figures."""
    app = make_app(path)
    client = logged_in_client(
        app, EMAIL, PASSWORD
    )  # each request pushes its own app context and session
    base = f"/staff/programs/{slug(members, delegations)}/participants"
    export(client, f"{base}.csv?warm=1")  # imports and caches, not measured
    before = maxrss_mb()
    started = time.perf_counter()
    nbytes = export(client, f"{base}.{fmt}")
    seconds = time.perf_counter() - started
    after = maxrss_mb()
    tracemalloc.start()
    export(client, f"{base}.{fmt}")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{members:>7,} rows {delegations:>6,} sheets  .{fmt:<4} {nbytes / 1e6:6.1f} MB "
        f"{seconds:6.2f} s   tracemalloc peak {peak / 1e6:5.1f} MB   "
        f"ru_maxrss {before:6.1f} -> {after:6.1f} MB (+{after - before:.1f})",
        flush=True,
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(Path(argv[1]), int(argv[2]), int(argv[3]), argv[4])
        return
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        path = Path(tmp) / "bench.sqlite3"
        started = time.perf_counter()
        build(path)
        total = sum(members for members, _ in CASES)
        print(f"built {total:,} members in {time.perf_counter() - started:.1f} s", flush=True)
        for members, delegations in CASES:
            for fmt in FORMATS:
                command = [sys.executable, __file__, "--child", str(path)]
                subprocess.run([*command, str(members), str(delegations), fmt], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
