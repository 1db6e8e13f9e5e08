"""A part that fails delays or degrades; it does not break pages: Redis stopped, the database
unreachable, a program's lock held too long. And the health checks tell which part is down."""

import json
import threading
import urllib.error
import urllib.request
from datetime import date, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from planner.core.database import db
from planner.delegations.models import Delegation
from planner.demo import DEMO_SLUG
from planner.programs.models import Program, ProgramStatus
from tests.conftest import make_test_app
from tests.helpers import text
from tests.servers import gunicorn

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
DEAD_POSTGRES = "postgresql+psycopg://planner@127.0.0.1:1/planner"


def published_program_id(app, slug: str) -> int:
    with app.app_context():
        db.create_all()
        program = Program(
            slug=slug,
            title="Studi tiru",
            first_day=date(2026, 12, 9),
            last_day=date(2026, 12, 10),
            timezone="Asia/Jakarta",
            status=ProgramStatus.PUBLISHED,
        )
        db.session.add(program)
        db.session.commit()
        return program.id


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refusal:
        return refusal.code, refusal.read().decode()


API_REGISTRATION = {
    "institution": "Pemerintah Kabupaten Kutai Timur",
    "province": "Kalimantan Timur",
    "leader_name": "Drs. Ardiansyah",
    "leader_title": "Bupati Kutai Timur",
    "contact": {"name": "Rina", "phone": "0812 5566 7788", "email": "rina@kutaitimurkab.go.id"},
    "members": [{"full_name": "Drs. Ardiansyah", "position": "Bupati", "role": "leader"}],
}


def test_with_redis_down_pages_login_registration_and_api_work_and_limits_hold(tmp_path):
    """A real server whose REDIS_URL points at nothing (a stopped Redis)."""
    with gunicorn(tmp_path, REDIS_URL=DEAD_REDIS) as (_app, base, _access, errors):
        for path in ("/", f"/programs/{DEMO_SLUG}", "/api/v1/programs", "/staff/login"):
            assert fetch(base + path)[0] == 200, path
        status, _body = fetch(
            base + f"/api/v1/programs/{DEMO_SLUG}/registrations",
            data=json.dumps(API_REGISTRATION).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert status == 201
        for path in ("/visits/request", "/visits/availability"):
            assert fetch(base + path)[0] == 200, path
        topics = json.loads(fetch(base + "/api/v1/topics")[1])["topics"]
        day = (date.today() + timedelta(days=45 - date.today().weekday())).isoformat()  # a Monday
        request = {
            **{k: v for k, v in API_REGISTRATION.items() if k != "members"},
            "wished_dates": [{"first_day": day, "last_day": day}],
            "size": 25,
            "topics": [topics[0]["id"]],
        }
        status, body = fetch(
            base + "/api/v1/visit-requests",
            data=json.dumps(request).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert status == 201, body
        answers = [fetch(base + f"/m/{'x' * 43}")[0] for _ in range(301)]
        assert answers[:300] == [404] * 300 and answers[300] == 429  # counted in the process
        status, body = fetch(base + "/readyz")
        assert json.loads(body)["checks"]["redis"] == "unreachable"
    assert "falling back to in-memory storage" in errors.read_text()


def test_with_the_database_unreachable_pages_ask_to_come_back(tmp_path):
    app = make_test_app(DEAD_POSTGRES)
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Coba lagi dalam satu menit" in text(page)
    api = client.get("/api/v1/programs")
    assert api.status_code == 503 and api.json["message"]
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json == {
        "status": "error",
        "database": "unreachable",
    }
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["checks"]["database"] == "unreachable"
    body = ready.get_data(as_text=True) + health.get_data(as_text=True)
    assert "127.0.0.1" not in body and "Error" not in body


def test_a_logged_in_staff_member_gets_the_503_page_too(app, client, make_staff, monkeypatch):
    from tests.helpers import login

    login(client, make_staff())

    def unreachable(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr("planner.staff.auth.load_user", unreachable)
    from planner.core.extensions import login_manager

    monkeypatch.setattr(login_manager, "_user_callback", unreachable)
    response = client.get("/staff/")
    assert response.status_code == 503


def test_readiness_names_each_part(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'ready.sqlite3'}")
    client = app.test_client()
    with app.app_context():
        assert client.get("/readyz").json["checks"]["migrations"] == "behind"
        upgrade()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "redis": "not configured",
            "worker": "not running",  # mail waits; pages are served
        },
    }


def test_a_program_lock_held_too_long_answers_busy_not_a_hung_worker(app, database_url):
    """Another transaction holds the program (a registration being saved); this one waits at
    most PLANNER_LOCK_TIMEOUT and says "busy, try again", nothing half-saved."""
    impatient = make_test_app(database_url, PLANNER_LOCK_TIMEOUT=0.3)
    program_id = published_program_id(impatient, "ramai")
    holder = sa.create_engine(database_url)
    held, release = threading.Event(), threading.Event()

    def hold():
        with holder.connect() as connection:
            transaction = connection.begin()
            lock = (
                "SELECT id FROM programs WHERE id = :id FOR UPDATE"
                if database_url.startswith("postgresql")
                else "UPDATE programs SET id = id WHERE id = :id"
            )
            connection.execute(sa.text(lock), {"id": program_id})
            held.set()
            release.wait(10)
            transaction.rollback()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    try:
        answer = impatient.test_client().post(
            "/api/v1/programs/ramai/registrations",
            json={
                "institution": "Pemerintah Kabupaten Seruyan",
                "province": "Kalimantan Tengah",
                "leader_name": "H. Yulhaidir",
                "leader_title": "Bupati",
                "contact": {"name": "S", "phone": "0813 4987 6543", "email": "p@seruyankab.go.id"},
                "members": [{"full_name": "A", "position": "Bupati"}],
            },
        )
    finally:
        release.set()
        thread.join()
        holder.dispose()
    assert answer.status_code == 503, answer.json
    assert answer.headers["Retry-After"] == "5"
    assert "beberapa detik" in answer.json["message"]
    with impatient.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegation)) == 0
        db.engine.dispose()
