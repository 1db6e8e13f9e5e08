"""What the benchmark scripts share: a throw-away PostgreSQL database, a logged-in test
client, and an open program with the registrations sent to it."""

from contextlib import contextmanager
from datetime import date, timedelta
from datetime import time as clock


@contextmanager
def postgres_database(url: str):
    """Creates the database the URL names (dropping a leftover first), and drops it after."""
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = target.database
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def logged_in_client(app, email: str, password: str):
    """A test client logged in through the login form."""
    from tests.helpers import csrf_token

    client = app.test_client()
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    response = client.post("/staff/login", data=data)
    assert response.status_code == 303, response.status_code
    return client


def registration_program(slug: str):
    """An open program (not yet added to the session) with room for every registration of a
    run: a briefing on its first day and an optional trek on its second."""
    from planner.core.database import utcnow
    from planner.programs.models import AgendaItem, Program, ProgramStatus
    from planner.programs.times import to_utc

    first = date.today() + timedelta(days=60)
    program = Program(
        slug=slug,
        title="Uji beban pendaftaran",
        first_day=first,
        last_day=first + timedelta(days=1),
        timezone="Asia/Jakarta",
        status=ProgramStatus.PUBLISHED,
        registration_opens_at=utcnow() - timedelta(days=1),
        requires_approval=True,
    )
    for day, optional in ((first, False), (first + timedelta(days=1), True)):
        program.items.append(
            AgendaItem(
                title="Pendakian Kawah Ijen" if optional else "Paparan SAKIP",
                kind="field_trip" if optional else "briefing",
                starts_at=to_utc(day, clock(9), "Asia/Jakarta"),
                ends_at=to_utc(day, clock(11), "Asia/Jakarta"),
                optional=optional,
            )
        )
    return program


def registration_body(number: int, members: int = 30, optional: list[str] = ()) -> dict:
    """A registration for the JSON API whose NIPs no other `number` (below 10**8) uses; every
    second member joins the `optional` items."""
    return {
        "institution": f"Pemerintah Kabupaten Uji {number}",
        "province": "Kalimantan Tengah",
        "leader_name": "H. Yulhaidir",
        "leader_title": "Bupati Seruyan",
        "contact": {"name": "Syahrul", "phone": "0813 4987 6543", "email": "uji@seruyankab.go.id"},
        "request_letter": {"number": f"005/{number}/2026", "date": date.today().isoformat()},
        "members": [
            {
                "full_name": f"Anggota Nomor {index + 1}",
                "position": "Bupati" if index == 0 else "Kepala Bagian",
                "nip": f"1980{number:08d}1{index:05d}",
                "gender": "L",
                "role": "leader" if index == 0 else "member",
                "optional_items": list(optional) if index % 2 else [],
            }
            for index in range(members)
        ],
    }
