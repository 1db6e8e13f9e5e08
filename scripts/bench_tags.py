"""Time of a large program's name tags: 2,000 members in 67 delegations.

Not a test. Builds a throw-away SQLite database with one program whose 67 approved
delegations hold 2,000 members, bulk-inserted, and renders the program's name-tag pages
(every part the first page links to) through the Flask test client, logged in as staff:

    .venv/bin/python scripts/bench_tags.py

Prints the parts, the tags, the SQL statements and the time of three rounds: the first
requests of the process (every QR code drawn), the same again (every QR code from the cache)
and once more after emptying the cache. Goal: 2,000 tags in under 2 s.
"""

import os
import re
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchkit import logged_in_client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-secret-key")
for name in ("DATABASE_URL", "PLANNER_ENV", "MAIL_SERVER"):
    os.environ.pop(name, None)

MEMBERS = 2_000
DELEGATIONS = 67
SLUG = "bench-tags"
PASSWORD = "bench-rahasia-123"  # noqa: S105 (a throw-away database)
EMAIL = "bench@banyuwangikab.go.id"
POSITIONS = ("Bupati", "Sekretaris Daerah", "Kepala Dinas Kominfo", "Kepala Bagian Umum", "Staf")
PART_LINK = re.compile(r'href="([^"]*name-tags\?part=\d+)"')


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


def build(app) -> None:
    from sqlalchemy import insert, select

    from planner.core import checkcodes
    from planner.core.database import db, new_public_id, new_token
    from planner.delegations.models import Delegation, Member
    from planner.programs.models import Program
    from planner.protocol.models import PrecedenceRule
    from planner.staff.models import StaffUser

    with app.app_context():
        db.create_all()
        user = StaffUser(email=EMAIL, name="Bench", role="staff")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.add_all(
            PrecedenceRule(keyword=keyword, rank=rank)
            for keyword, rank in (("bupati", 10), ("sekretaris daerah", 14), ("kepala dinas", 22))
        )
        db.session.add(
            Program(
                slug=SLUG,
                title="Bench name tags",
                first_day=date(2026, 12, 9),
                last_day=date(2026, 12, 11),
                timezone="Asia/Jakarta",
                status="published",
            )
        )
        db.session.commit()
        program_id = db.session.scalar(select(Program.id).where(Program.slug == SLUG))
        now = datetime.now(UTC)
        db.session.execute(
            insert(Delegation),
            [
                dict(
                    program_id=program_id,
                    status="approved",
                    institution=f"Pemerintah Kabupaten Bench {n:03d}",
                    province="Kalimantan Tengah",
                    leader_name=f"Bupati {n}",
                    leader_title="Bupati",
                    contact_name=f"Protokol {n}",
                    contact_phone="+6281234567890",
                    contact_email=f"protokol{n}@bench.go.id",
                    token=new_token(),
                    public_id=new_public_id(),
                    created_at=now,
                    updated_at=now,
                )
                for n in range(DELEGATIONS)
            ],
        )
        ids = list(db.session.scalars(select(Delegation.id).order_by(Delegation.id)))
        db.session.execute(
            insert(Member),
            [
                dict(
                    delegation_id=ids[n * DELEGATIONS // MEMBERS],
                    full_name=f"Peserta Nomor {n:06d}",
                    nip=f"19700101199503{n % 2 + 1}{n % 1000:03d}",
                    position=POSITIONS[n % len(POSITIONS)],
                    rank="Pembina (IV/a)",
                    gender="L" if n % 2 else "P",
                    phone=f"0812{34560000 + n}",
                    email=f"peserta{n}@bench.go.id",
                    role="member",
                    sort_order=n,
                    token=new_token(),
                    public_id=new_public_id(),
                    checkin_code=checkcodes.new_code(),
                    created_at=now,
                    updated_at=now,
                )
                for n in range(MEMBERS)
            ],
        )
        db.session.commit()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def render_all(client) -> tuple[int, int]:
    """Every part of the program's tags: (parts, tags)."""
    first = page(client, f"/staff/programs/{SLUG}/name-tags")
    parts = [first] + [page(client, url) for url in dict.fromkeys(PART_LINK.findall(first))]
    return len(parts), sum(html.count('<article class="tag">') for html in parts)


def main() -> None:
    from sqlalchemy import event

    from planner.core import links
    from planner.core.database import db

    with tempfile.TemporaryDirectory(prefix="bench-tags-") as tmp:
        app = make_app(Path(tmp) / "bench.sqlite3")
        started = time.perf_counter()
        build(app)
        print(
            f"built {MEMBERS:,} members in {DELEGATIONS} delegations "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        client = logged_in_client(app, EMAIL, PASSWORD)
        with app.app_context():
            engine = db.engine
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        rounds = (
            "first requests, QR codes drawn",
            "again, QR codes from the cache",
            "warm app, QR cache emptied",
        )
        for label in rounds:
            if label.endswith("emptied"):
                links._qr_svg.cache_clear()
            statements.clear()
            started = time.perf_counter()
            parts, tags = render_all(client)
            seconds = time.perf_counter() - started
            print(
                f"{label:<32} {parts} part(s), {tags:,} tags, {len(statements)} statements, "
                f"{seconds:.2f} s total, {seconds * 1000 / tags:.2f} ms per tag",
                flush=True,
            )


if __name__ == "__main__":
    main()
