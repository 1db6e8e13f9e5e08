"""Check-in on the day: who a point expects, check-ins stored once (also from a replayed
offline batch or two phones at once), closed points, and what the printed lists show."""

import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core import checkcodes
from planner.core.database import db
from planner.delegations.models import Checkin, CheckinPoint, DelegationStatus
from planner.staff.tokens import create_token
from tests.conftest import IsolatedClient
from tests.helpers import csrf_token, login, text


@pytest.fixture
def day_of_visit(make_program, make_item, make_delegation, make_staff):
    program = make_program(first_day=date(2026, 12, 9), last_day=date(2026, 12, 10))
    trek = make_item(
        program,
        title="Pendakian Ijen",
        day=date(2026, 12, 10),
        start=time(1),
        end=time(6),
        optional=True,
    )
    seruyan = make_delegation(
        program,
        members=3,
        status=DelegationStatus.APPROVED,
        institution="Pemerintah Kabupaten Seruyan",
    )
    cancelled = make_delegation(program, members=1, status=DelegationStatus.CANCELLED)
    other = make_delegation(make_program(), members=1, status=DelegationStatus.APPROVED)
    seruyan.members[0].optional_items.append(trek)
    whole_day = CheckinPoint(program=program, title="Bus bandara", day=date(2026, 12, 9))
    paltuding = CheckinPoint(program=program, title="Pos Paltuding", item=trek)
    db.session.add_all([whole_day, paltuding])
    db.session.commit()
    user = make_staff()
    _, secret = create_token(user, "Pemindai")
    db.session.commit()
    return {
        "program": program,
        "trek": trek,
        "seruyan": seruyan,
        "cancelled": cancelled,
        "other": other,
        "day": whole_day,
        "paltuding": paltuding,
        "headers": {"Authorization": f"Bearer {secret}"},
    }


def scan(code, at=None, id=None):
    return {
        "id": id or str(uuid.uuid4()),
        "code": checkcodes.qr_text(code),
        "at": (at or datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
    }


def send(client, world, point, scans):
    return client.post(
        f"/api/v1/staff/checkin-points/{point.public_id}/checkins",
        json={"device": "HP Protokol 1", "checkins": scans},
        headers=world["headers"],
    )


def stored() -> int:
    return db.session.scalar(select(func.count(Checkin.id)))


def test_codes_are_short_carry_a_check_character_and_refuse_a_cut_or_changed_one():
    code = checkcodes.new_code()
    assert len(code) == 10 and checkcodes.normalise("ck:" + code.lower()) == code
    assert checkcodes.normalise(code[:-1]) is None
    changed = ("1" if code[3] != "1" else "2").join([code[:3], code[4:]])
    assert checkcodes.normalise(changed) is None
    assert checkcodes.normalise("https://planner.example.id/m/abc") is None


def test_the_roster_says_who_each_point_expects(client, day_of_visit):
    world = day_of_visit
    answer = client.get(
        f"/api/v1/staff/checkin-points/{world['paltuding'].public_id}", headers=world["headers"]
    ).get_json()
    statuses = {m["name"]: m["status"] for m in answer["members"]}
    climber, stays = world["seruyan"].members[0], world["seruyan"].members[1]
    assert statuses[climber.full_name] == "expected"
    assert statuses[stays.full_name] == "not_listed"  # the trek is optional
    assert statuses[world["cancelled"].members[0].full_name] == "refused"
    assert world["other"].members[0].full_name not in statuses
    assert answer["counts"] == [
        {"delegation": "Pemerintah Kabupaten Seruyan", "checked_in": 0, "expected": 1}
    ]
    assert (
        client.get(f"/api/v1/staff/checkin-points/{world['paltuding'].public_id}").status_code
        == 401
    )


def test_each_scan_gets_its_answer_and_a_replayed_batch_is_stored_once(client, day_of_visit):
    world = day_of_visit
    seruyan = world["seruyan"].members
    batch = [
        scan(seruyan[0].checkin_code),
        scan(seruyan[1].checkin_code),
        scan(seruyan[0].checkin_code),  # the same person again, another id
        scan(world["cancelled"].members[0].checkin_code),
        scan(world["other"].members[0].checkin_code),
        {**scan(seruyan[2].checkin_code), "code": "CK:" + seruyan[2].checkin_code[:-1]},
    ]
    first = send(client, world, world["day"], batch)
    assert first.status_code == 200, first.get_json()
    results = [r["result"] for r in first.get_json()["results"]]
    assert results == ["checked_in", "checked_in", "already", "refused", "unknown", "invalid"]
    assert stored() == 2
    again = send(client, world, world["day"], batch)  # the answer was lost: sent again
    assert [r["result"] for r in again.get_json()["results"]][:2] == ["checked_in", "checked_in"]
    assert stored() == 2
    point = db.session.get(CheckinPoint, world["day"].id)
    assert {c.device for c in point.checkins} == {"HP Protokol 1"}


def test_two_phones_scanning_one_person_at_once_keep_the_first(app, day_of_visit):
    world = day_of_visit
    app.test_client_class = IsolatedClient
    phones = [app.test_client() for _ in range(2)]
    url = f"/api/v1/staff/checkin-points/{world['day'].public_id}/checkins"
    body = {"checkins": [scan(world["seruyan"].members[0].checkin_code)]}
    bodies = [body, {"checkins": [{**body["checkins"][0], "id": str(uuid.uuid4())}]}]
    barrier = threading.Barrier(2)
    answers = [None, None]

    def run(n):
        barrier.wait()
        answer = phones[n].post(url, json=bodies[n], headers=world["headers"])
        answers[n] = answer.get_json()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a["results"][0]["result"] for a in answers) == ["already", "checked_in"]
    assert stored() == 1


def test_a_closed_point_keeps_what_was_scanned_before_it_closed(client, day_of_visit):
    world = day_of_visit
    point = world["day"]
    closed = datetime.now(UTC) - timedelta(hours=1)
    point.closed_at = closed
    db.session.commit()
    members = world["seruyan"].members
    before = scan(members[0].checkin_code, at=closed - timedelta(minutes=30))  # sent late
    after = scan(members[1].checkin_code, at=closed + timedelta(minutes=30))
    mixed = send(client, world, point, [before, after]).get_json()
    assert [r["result"] for r in mixed["results"]] == ["checked_in", "closed"]
    late = send(client, world, point, [scan(members[2].checkin_code, at=datetime.now(UTC))])
    assert late.status_code == 409 and stored() == 1


def test_garbage_is_refused_at_its_path_and_changes_nothing(client, day_of_visit):
    world = day_of_visit
    url = f"/api/v1/staff/checkin-points/{world['day'].public_id}/checkins"
    for body in (
        {"checkins": "nope"},
        {"checkins": [{"id": "x", "code": 5, "at": "yesterday"}]},
        {"checkins": [scan("A", id="same-id-123"), scan("B", id="same-id-123")]},
    ):
        response = client.post(url, json=body, headers=world["headers"])
        assert response.status_code == 422, body
    assert (
        client.post(
            url, data="{", headers={**world["headers"], "Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert stored() == 0


def test_the_attendance_and_sppd_lists_show_who_was_checked_in(client, make_staff, day_of_visit):
    world = day_of_visit
    climber = world["seruyan"].members[0]
    at = datetime(2026, 11, 30, 18, 5, tzinfo=UTC)  # 01.05 WIB on 1 December
    send(client, world, world["paltuding"], [scan(climber.checkin_code, at=at)])
    send(client, world, world["day"], [scan(world["seruyan"].members[1].checkin_code)])
    login(client, make_staff())
    sheet = text(client.get(f"/staff/items/{world['trek'].public_id}/attendance"))
    climber_row = next(row for row in sheet.split("<tr>") if climber.full_name in row)
    assert "01.05 WIB" in climber_row
    assert "1 dari 1" in sheet
    sppd = text(client.get(f"/staff/delegations/{world['seruyan'].public_id}/sppd"))
    rows = {
        member.full_name: next(row for row in sppd.split("<tr>") if member.full_name in row)
        for member in world["seruyan"].members
    }
    assert "10 Des 2026" in rows[climber.full_name].split("<td")[-2]  # the trek's day
    assert "9 Des 2026" in rows[world["seruyan"].members[1].full_name].split("<td")[-2]
    assert "—" in rows[world["seruyan"].members[2].full_name].split("<td")[-2]


def test_staff_correct_by_hand_and_the_trail_keeps_it(client, make_staff, day_of_visit):
    world = day_of_visit
    member = world["seruyan"].members[2]
    login(client, make_staff())
    page = f"/staff/checkin/{world['day'].public_id}/list"
    assert member.full_name in text(client.get(page))
    response = client.post(
        f"/staff/checkin/{world['day'].public_id}/correct",
        data={"member": member.public_id, "present": "1", "csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 303 and stored() == 1
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "checkin.corrected")
    ).one()
    assert event.changes["present"] == [False, True]
    assert member.full_name not in str(event.changes)  # no names in the trail


def test_staff_open_and_close_points_and_see_the_counts(client, make_staff, day_of_visit):
    world = day_of_visit
    login(client, make_staff())
    url = f"/staff/programs/{world['program'].slug}/checkin"
    opened = client.post(
        url,
        data={
            "title": "Pendopo",
            "item": "",
            "day": "2026-12-10",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert opened.status_code == 303
    assert db.session.scalar(select(func.count(CheckinPoint.id))) == 3
    refused = client.post(
        url, data={"title": "Salah", "item": "", "day": "", "csrf_token": csrf_token(client, url)}
    )
    assert refused.status_code == 422
    page = text(client.get(url))
    assert "Pemerintah Kabupaten Seruyan" in page and "0 dari 3" in page


def test_name_tags_carry_the_check_in_code_not_the_private_link(client, make_staff, day_of_visit):
    world = day_of_visit
    login(client, make_staff())
    tags = text(client.get(f"/staff/delegations/{world['seruyan'].public_id}/name-tags"))
    member = world["seruyan"].members[0]
    assert member.token not in tags
    assert f"{member.checkin_code[:5]}-{member.checkin_code[5:]}" in tags


def test_the_scanner_page_needs_login(client, day_of_visit):
    assert client.get(f"/staff/checkin/{day_of_visit['day'].public_id}").status_code in (302, 303)
    assert client.post("/staff/checkin/device").status_code == 400  # no CSRF token
    assert timedelta  # noqa: B018


def test_the_dashboard_counts_the_open_points(client, make_staff, day_of_visit):
    world = day_of_visit
    send(client, world, world["day"], [scan(world["seruyan"].members[0].checkin_code)])
    login(client, make_staff())
    dashboard = text(client.get("/staff/"))
    section = dashboard.split('id="checkin-heading"')[1].split("</section>")[0]
    assert "Bus bandara" in section and "Pos Paltuding" in section
    assert "Pemerintah Kabupaten Seruyan" in section


def test_the_check_ins_export_lists_who_came_where(client, make_staff, day_of_visit):
    world = day_of_visit
    climber = world["seruyan"].members[0]
    send(client, world, world["paltuding"], [scan(climber.checkin_code)])
    login(client, make_staff())
    csv = text(client.get(f"/staff/programs/{world['program'].slug}/checkins.csv"))
    lines = csv.strip().splitlines()
    assert len(lines) == 2 and "Pos Paltuding" in lines[1] and climber.full_name in lines[1]
    assert "HP Protokol 1" in lines[1]
    book = client.get(f"/staff/programs/{world['program'].slug}/checkins.xlsx")
    assert book.status_code == 200 and book.data[:2] == b"PK"


def test_the_member_page_shows_the_check_in_code(client, day_of_visit):
    member = day_of_visit["seruyan"].members[0]
    page = text(client.get(f"/m/{member.token}"))
    assert f"{member.checkin_code[:5]}-{member.checkin_code[5:]}" in page
    assert "Kode absensi Anda" in page


def test_the_check_in_api_and_its_idempotency_are_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    post = document["paths"]["/api/v1/staff/checkin-points/{public_id}/checkins"]["post"]
    assert "stored once" in post["description"]
    assert "/api/v1/staff/checkin-points/{public_id}" in document["paths"]
    assert post["security"] == [{"bearerAuth": []}]


def test_logging_out_clears_what_a_scanner_phone_keeps(client, make_staff):
    login(client, make_staff())
    response = client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
