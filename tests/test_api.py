"""The JSON API: every endpoint's success and refusal paths, tokens, and bad input."""

import json
import re
from datetime import date, time

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberItem
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.staff.models import ApiToken
from planner.staff.tokens import create_token
from planner.venues.models import Venue
from tests.helpers import _batches, count_statements, login, nip, register, text


def state() -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Program, AgendaItem, Venue, Delegation, Member, MemberItem, AuditEvent)
    }


def registration(members: int = 2, **overrides) -> dict:
    batch = next(_batches)
    body = {
        "institution": "Pemerintah Kabupaten Kutai Timur",
        "province": "Kalimantan Timur",
        "leader_name": "Drs. Ardiansyah",
        "leader_title": "Bupati Kutai Timur",
        "contact": {"name": "Rina", "phone": "0812 5566 7788", "email": "rina@kutaitimurkab.go.id"},
        "request_letter": {"number": "005/77/2026", "date": "2026-11-20"},
        "members": [
            {
                "full_name": f"Anggota {i + 1}",
                "position": "Kepala Bagian",
                "nip": nip(i, batch),
                "gender": "L",
                "role": "leader" if i == 0 else "member",
            }
            for i in range(members)
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def staff_token(make_staff):
    user = make_staff()
    _, secret = create_token(user, "tes")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


# --- public ----------------------------------------------------------------------------


def test_list_and_show_programs(client, make_program, make_item):
    program = make_program(title="Studi tiru", max_participants=40)
    make_program(status=ProgramStatus.DRAFT)
    make_item(program, title="Paparan SAKIP", start=time(8), end=time(9))
    listed = client.get("/api/v1/programs").json["programs"]
    assert [p["slug"] for p in listed] == [program.slug]
    shown = client.get(f"/api/v1/programs/{program.slug}").json
    assert shown["seats_left"] == 40 and shown["first_day"] == "2026-12-09"
    (item,) = shown["items"]
    assert item["starts_at"] == "2026-12-09T08:00:00+07:00"
    assert item["id"] == program.items[0].public_id
    assert client.get("/api/v1/programs/tidak-ada").status_code == 404


def test_register_answers_201_with_the_private_links(client, make_program, make_item):
    program = make_program(max_participants=40)
    trek = make_item(program, title="Ijen", optional=True, capacity=5)
    body = registration(members=2)
    body["members"][0]["optional_items"] = [trek.public_id]
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=body)
    assert response.status_code == 201, response.json
    data = response.json
    delegation = db.session.scalar(select(Delegation))
    assert data["status"] == "pending" and data["id"] == delegation.public_id
    assert data["manage_url"] == f"https://planner.example.id/d/{delegation.token}"
    assert data["calendar_url"].endswith(f"/d/{delegation.token}/schedule.ics")
    assert data["contact"]["phone"] == "+6281255667788"
    first = data["members"][0]
    assert first["personal_url"].endswith(f"/m/{delegation.members[0].token}")
    assert first["calendar_url"].endswith(f"/m/{delegation.members[0].token}/schedule.ics")
    assert first["optional_items"] == [trek.public_id]
    assert client.get(f"/api/v1/delegations/{delegation.token}").json == data


def test_a_full_program_is_409_or_waitlisted(client, make_program):
    full = make_program(max_participants=2, waitlist=False)
    assert (
        client.post(f"/api/v1/programs/{full.slug}/registrations", json=registration(2)).status_code
        == 201
    )
    before = state()
    response = client.post(f"/api/v1/programs/{full.slug}/registrations", json=registration(2))
    assert response.status_code == 409 and "penuh" in response.json["message"]
    assert state() == before
    waiting = make_program(max_participants=2, waitlist=True)
    client.post(f"/api/v1/programs/{waiting.slug}/registrations", json=registration(2))
    second = client.post(f"/api/v1/programs/{waiting.slug}/registrations", json=registration(2))
    assert second.status_code == 201 and second.json["status"] == "waitlisted"


def test_the_api_and_the_form_refuse_the_same_delegation_with_the_same_messages(
    client, make_program
):
    program = make_program()
    bad = {"members-1-nip": "12345", "contact-email": "bukan email", "members-2-full_name": ""}
    form_page = text(register(client, program, members=3, **bad))
    body = registration(3)
    body["members"][1]["nip"] = "12345"
    body["contact"]["email"] = "bukan email"
    body["members"][2]["full_name"] = ""
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=body)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert set(errors) == {"members.1.nip", "contact.email", "members.2.full_name"}
    for messages in errors.values():
        for message in messages:
            assert message in form_page


def test_the_31st_member_is_refused_by_the_api_too(client, make_program):
    program = make_program()
    before = state()
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=registration(31))
    assert response.status_code == 422
    assert "paling banyak 30 anggota" in response.json["errors"]["members"][0]
    assert state() == before


def test_error_messages_follow_accept_language(client, make_program):
    program = make_program()
    body = registration(2)
    body["members"][1]["nip"] = "abc"
    response = client.post(
        f"/api/v1/programs/{program.slug}/registrations",
        json=body,
        headers={"Accept-Language": "en"},
    )
    assert response.json["errors"]["members.1.nip"] == [
        "A NIP has only digits. Remove the letters or other signs, and check the NIP on the SK "
        "or staff card."
    ]


def test_replace_members_keeps_links_and_applies_the_same_limits(client, make_program):
    program = make_program(max_participants=4)
    created = client.post(
        f"/api/v1/programs/{program.slug}/registrations", json=registration(2)
    ).json
    token = created["manage_url"].rsplit("/", 1)[1]
    kept = created["members"][0]
    body = {
        "members": [
            {"id": kept["id"], "full_name": kept["full_name"], "position": "Sekretaris Daerah"},
            {"full_name": "Anggota Baru", "position": "Staf"},
            {"full_name": "Anggota Ketiga", "position": "Staf"},
        ]
    }
    response = client.put(f"/api/v1/delegations/{token}/members", json=body)
    assert response.status_code == 200, response.json
    members = response.json["members"]
    assert members[0]["personal_url"] == kept["personal_url"]
    assert [m["full_name"] for m in members] == ["Anggota 1", "Anggota Baru", "Anggota Ketiga"]
    body["members"] += [{"full_name": f"Tambahan {i}", "position": "Staf"} for i in range(2)]
    before = state()
    over = client.put(f"/api/v1/delegations/{token}/members", json=body)
    assert over.status_code == 409 and "tidak cukup" in over.json["message"]
    assert state() == before
    assert client.put("/api/v1/delegations/salah/members", json=body).status_code == 404


def varied_registration(members: int, trek: str) -> dict:
    """A registration whose members differ as in real lists: some join the trek, some leave
    out their NIP, gender or e-mail."""
    body = registration(members)
    for index, member in enumerate(body["members"]):
        if index % 2:
            member["optional_items"] = [trek]
        if index % 3 == 0:
            member["email"] = f"anggota{index}@kutaitimurkab.go.id"
        if index % 4 == 0:
            del member["nip"], member["gender"]
    return body


def test_a_registration_runs_as_many_statements_for_30_members_as_for_3(
    app, client, make_program, make_item
):
    program = make_program(max_participants=200)
    trek = make_item(program, title="Ijen", optional=True, capacity=50).public_id
    url = f"/api/v1/programs/{program.slug}/registrations"
    answers, counts = {}, {}
    for members in (3, 30):
        body = varied_registration(members, trek)
        counts[members], answers[members] = count_statements(
            app, lambda body=body: client.post(url, json=body)
        )
        assert answers[members].status_code == 201, answers[members].json
    assert counts[30] == counts[3]
    answer = answers[30].json
    token = answer["manage_url"].rsplit("/", 1)[1]
    assert client.get(f"/api/v1/delegations/{token}").json == answer
    assert [bool(m["optional_items"]) for m in answer["members"]] == [i % 2 == 1 for i in range(30)]
    assert answer["members"][3]["email"] == "anggota3@kutaitimurkab.go.id"
    assert answer["members"][4]["nip"] is None and answer["members"][5]["nip"]


def test_replacing_members_answers_the_list_as_stored(client, make_program, make_item):
    program = make_program(max_participants=100)
    trek = make_item(program, title="Ijen", optional=True, capacity=50).public_id
    url = f"/api/v1/programs/{program.slug}/registrations"
    created = client.post(url, json=varied_registration(30, trek)).json
    token = created["manage_url"].rsplit("/", 1)[1]
    # Ten members leave, the others change their position and join the trek, ten new come.
    rows = [
        {"id": member["id"], "full_name": member["full_name"], "position": "Sekretaris"}
        | {"optional_items": [trek]}
        for member in created["members"][10:]
    ] + [{"full_name": f"Anggota Baru {i}", "position": "Staf"} for i in range(10)]
    response = client.put(f"/api/v1/delegations/{token}/members", json={"members": rows})
    assert response.status_code == 200, response.json
    answer = response.json
    assert [m["full_name"] for m in answer["members"]] == [row["full_name"] for row in rows]
    assert all(m["optional_items"] == [trek] for m in answer["members"][:20])
    assert all(m["optional_items"] == [] for m in answer["members"][20:])
    assert [m["personal_url"] for m in answer["members"][:20]] == [
        m["personal_url"] for m in created["members"][10:]
    ]
    assert client.get(f"/api/v1/delegations/{token}").json == answer


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        ("{not json", "application/json", 400),
        ("[1, 2, 3]", "application/json", 422),
        ('"just a string"', "application/json", 422),
        ("institution=x", "application/x-www-form-urlencoded", 415),
        ("{}", "text/plain", 415),
        ("[" * 50000 + "]" * 50000, "application/json", 400),
        (json.dumps({"members": [[[[[[["deep"]]]]]]]}), "application/json", 422),
        (json.dumps({"members": [{"full_name": "x"}] * 5000}), "application/json", 422),
        (
            json.dumps({"institution": {"nested": {"object": 1}}, "members": "oops"}),
            "application/json",
            422,
        ),
    ],
)
def test_bad_bodies_get_clear_answers_and_write_nothing(
    client, make_program, data, content_type, status
):
    program = make_program()
    before = state()
    response = client.post(
        f"/api/v1/programs/{program.slug}/registrations", data=data, content_type=content_type
    )
    assert response.status_code == status
    assert response.is_json and response.json["message"]
    assert state() == before


def test_a_10_mb_body_is_413(client, make_program):
    program = make_program()
    body = json.dumps({"institution": "x" * (10 * 1024 * 1024)})
    response = client.post(
        f"/api/v1/programs/{program.slug}/registrations", data=body, content_type="application/json"
    )
    assert response.status_code == 413 and response.is_json


def test_unknown_fields_are_ignored(client, make_program):
    program = make_program()
    body = registration(1, favourite_colour="hijau", id="evil", status="approved")
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=body)
    assert response.status_code == 201 and response.json["status"] == "pending"


# --- staff -----------------------------------------------------------------------------


def test_staff_endpoints_need_a_valid_bearer_token(app, client, make_staff, make_program):
    program = make_program()
    user = make_staff()
    token, secret = create_token(user, "x")
    db.session.commit()
    staff_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/staff")]
    assert len(staff_rules) == 14
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {secret}"},
        {"Authorization": secret},
    ):
        for rule in staff_rules:
            url = re.sub(r"<[^>]+>", program.slug, rule.rule)
            method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
            response = client.open(url, method=method, json={}, headers=headers)
            assert response.status_code == 401, (rule.rule, headers)
    # A logged-in browser session never authenticates the API.
    login(client, user)
    assert client.post("/api/v1/staff/venues", json={"name": "Aula"}).status_code == 401
    token.revoked_at = token.created_at
    db.session.commit()
    response = client.post(
        "/api/v1/staff/venues", json={"name": "Aula"}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 401


def test_tokens_are_hashed_record_their_last_use_and_come_from_the_command(runner, make_staff):
    user = make_staff()
    result = runner.invoke(args=["create-api-token", user.email, "--name", "e-office"])
    assert result.exit_code == 0
    secret = result.output.strip()
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash != secret and secret not in token.token_hash
    assert token.last_used_at is None
    client = runner.app.test_client()
    client.post(
        "/api/v1/staff/venues", json={"name": "Aula"}, headers={"Authorization": f"Bearer {secret}"}
    )
    db.session.refresh(token)
    assert token.last_used_at is not None
    assert runner.invoke(args=["create-api-token", "nobody@x.go.id"]).exit_code != 0


def test_owners_and_admins_revoke_tokens_in_the_pages(client, make_staff):
    from tests.helpers import post

    owner, other = make_staff(), make_staff()
    token, _ = create_token(owner, "integrasi")
    db.session.commit()
    login(client, other)
    assert post(client, f"/staff/api-tokens/{token.public_id}/revoke").status_code == 404
    post(client, "/staff/logout")
    login(client, owner)
    assert "integrasi" in text(client.get("/staff/account"))
    post(client, f"/staff/api-tokens/{token.public_id}/revoke", {"confirm": "1"})
    db.session.refresh(token)
    assert token.revoked_at is not None


def test_staff_build_a_program_through_the_api(client, staff_token):
    venue = client.post(
        "/api/v1/staff/venues",
        headers=staff_token,
        json={
            "name": "Pos Paltuding",
            "address": "Licin",
            "latitude": -8.03,
            "longitude": 114.22,
        },
    )
    assert venue.status_code == 201
    program = client.post(
        "/api/v1/staff/programs",
        headers=staff_token,
        json={
            "title": "Studi Tiru API",
            "first_day": "2026-12-09",
            "last_day": "2026-12-10",
            "registration_closes_at": "2026-12-07T17:00:00+07:00",
            "max_participants": 60,
        },
    )
    assert program.status_code == 201, program.json
    slug = program.json["slug"]
    assert program.json["status"] == "draft"
    assert program.json["registration_closes_at"] == "2026-12-07T17:00:00+07:00"
    assert (
        client.post(f"/api/v1/staff/programs/{slug}/publish", headers=staff_token).status_code
        == 409
    )
    item = client.post(
        f"/api/v1/staff/programs/{slug}/items",
        headers=staff_token,
        json={
            "title": "Pendakian Kawah Ijen",
            "kind": "field_trip",
            "starts_at": "2026-12-10T01:00:00+07:00",
            "ends_at": "2026-12-10T07:00:00+07:00",
            "venue_id": venue.json["id"],
            "optional": True,
            "capacity": 20,
        },
    )
    assert item.status_code == 201, item.json
    assert item.json["starts_at"] == "2026-12-10T01:00:00+07:00"
    assert item.json["venue"]["name"] == "Pos Paltuding"
    published = client.post(f"/api/v1/staff/programs/{slug}/publish", headers=staff_token)
    assert published.status_code == 200 and published.json["status"] == "published"
    moved = client.patch(
        f"/api/v1/staff/items/{item.json['id']}",
        headers=staff_token,
        json={"starts_at": "2026-12-10T02:00:00+07:00"},
    )
    assert moved.status_code == 200 and moved.json["revision"] == 1
    cancelled = client.patch(
        f"/api/v1/staff/items/{item.json['id']}", headers=staff_token, json={"status": "cancelled"}
    )
    assert cancelled.json["status"] == "cancelled" and cancelled.json["revision"] == 2
    patched = client.patch(
        f"/api/v1/staff/programs/{slug}", headers=staff_token, json={"summary": "Ringkasan baru"}
    )
    assert patched.status_code == 200 and patched.json["summary"] == "Ringkasan baru"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "program.updated"))
    assert event.actor_label.startswith("staf")


@pytest.mark.parametrize(
    "body, field",
    [
        (
            {
                "title": "X",
                "starts_at": "2026-12-09T10:00:00+07:00",
                "ends_at": "2026-12-09T09:00:00+07:00",
            },
            "ends_at",
        ),
        (
            {
                "title": "X",
                "starts_at": "2026-12-20T10:00:00+07:00",
                "ends_at": "2026-12-20T11:00:00+07:00",
            },
            "starts_at",
        ),
        (
            {"title": "X", "starts_at": "besok pagi", "ends_at": "2026-12-09T11:00:00+07:00"},
            "starts_at",
        ),
        (
            {"title": "X", "starts_at": "2026-12-09T10:00:00", "ends_at": "2026-12-09T11:00:00"},
            "starts_at",
        ),
        (
            {"starts_at": "2026-12-09T10:00:00+07:00", "ends_at": "2026-12-09T11:00:00+07:00"},
            "title",
        ),
        (
            {
                "title": "X",
                "starts_at": "2026-12-09T10:00:00+07:00",
                "ends_at": "2026-12-09T11:00:00+07:00",
                "venue_id": "tidak-ada",
            },
            "venue_id",
        ),
        (
            {
                "title": "X",
                "kind": "party",
                "starts_at": "2026-12-09T10:00:00+07:00",
                "ends_at": "2026-12-09T11:00:00+07:00",
            },
            "kind",
        ),
    ],
)
def test_invalid_items_are_422_at_the_field(client, staff_token, make_program, body, field):
    program = make_program(status=ProgramStatus.DRAFT, first_day=date(2026, 12, 9))
    before = state()
    response = client.post(
        f"/api/v1/staff/programs/{program.slug}/items", headers=staff_token, json=body
    )
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert state() == before


def test_program_and_venue_refusals(client, staff_token, make_program):
    taken = make_program(slug="sudah-ada")
    assert (
        client.post(
            "/api/v1/staff/programs",
            headers=staff_token,
            json={
                "title": "Lain",
                "slug": "sudah-ada",
                "first_day": "2026-12-09",
                "last_day": "2026-12-09",
            },
        ).status_code
        == 409
    )
    bad = client.post(
        "/api/v1/staff/programs",
        headers=staff_token,
        json={
            "title": "Lain",
            "first_day": "2026-12-10",
            "last_day": "2026-12-09",
            "timezone": "PST",
        },
    )
    assert bad.status_code == 422 and {"last_day", "timezone"} <= set(bad.json["errors"])
    venue = client.post("/api/v1/staff/venues", headers=staff_token, json={"latitude": 91})
    assert venue.status_code == 422 and {"name", "latitude"} <= set(venue.json["errors"])
    assert (
        client.patch("/api/v1/staff/programs/tidak-ada", headers=staff_token, json={}).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/staff/programs/{taken.slug}",
            headers=staff_token,
            json={"max_participants": 0},
        ).status_code
        == 422
    )


def test_staff_review_delegations_through_the_api(
    client, staff_token, make_program, make_delegation
):
    program = make_program(max_participants=5)
    waiting = make_delegation(program, members=3, status=DelegationStatus.WAITLISTED)
    make_delegation(program, members=4, status=DelegationStatus.APPROVED)
    listed = client.get(f"/api/v1/staff/programs/{program.slug}/delegations", headers=staff_token)
    assert len(listed.json["delegations"]) == 2
    url = f"/api/v1/staff/delegations/{waiting.public_id}/status"
    full = client.post(url, headers=staff_token, json={"status": "approved", "reason": "Ada kursi"})
    assert full.status_code == 409
    rejected = client.post(url, headers=staff_token, json={"status": "rejected", "reason": "Penuh"})
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    assert (
        client.post(
            url, headers=staff_token, json={"status": "rejected", "reason": "x"}
        ).status_code
        == 409
    )
    assert (
        client.post(url, headers=staff_token, json={"status": "done", "reason": ""}).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/staff/delegations/x/status",
            headers=staff_token,
            json={"status": "approved", "reason": "x"},
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Aula", "latitude": 0.0, "longitude": {}},
        {"name": "Aula", "longitude": 114.3},
        {"name": "Aula", "opens_at": "08:00"},
        {"name": "Aula", "opens_at": "08:00", "closes_at": "08:00"},
    ],
)
def test_half_pairs_are_refused_not_crashed_on(client, staff_token, body):
    before = state()
    response = client.post("/api/v1/staff/venues", headers=staff_token, json=body)
    assert response.status_code == 422, response.json
    assert state() == before
