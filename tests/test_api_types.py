"""The typed API: JSON types are checked at their path, every documented request property is
taken, and every answer matches its documented schema."""

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import Delegation, Member
from planner.programs.models import AgendaItem, Program
from planner.staff.tokens import create_token
from planner.venues.models import Venue
from tests.helpers import _batches, nip


def state() -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Program, AgendaItem, Venue, Delegation, Member, AuditEvent)
    }


@pytest.fixture
def bearer(make_staff):
    _, secret = create_token(make_staff(), "tes")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json


def schema_of(document: dict, path: str, method: str, status: str | None = None) -> dict:
    operation = document["paths"][path][method]
    if status is None:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]
    else:
        ref = operation["responses"][status]["content"]["application/json"]["schema"]
    return {**ref, "components": document["components"]}


def properties(document: dict, schema: dict) -> set[str]:
    name = schema["$ref"].rsplit("/", 1)[1]
    return set(document["components"]["schemas"][name]["properties"])


def conforms(document: dict, response, path: str, method: str) -> None:
    schema = schema_of(document, path, method, str(response.status_code))
    errors = list(Draft202012Validator(schema).iter_errors(response.json))
    assert errors == [], [error.message for error in errors]


def a_member(index: int, batch: int, **extra) -> dict:
    return {
        "full_name": f"Anggota {index}",
        "position": "Kepala Bagian",
        "nip": nip(index, batch),
        "rank": "Pembina (IV/a)",
        "gender": "P",
        "phone": "0812 3456 7890",
        "email": f"anggota{index}@kutaitimurkab.go.id",
        "dietary": "Vegetarian",
        "role": "leader" if index == 0 else "member",
        **extra,
    }


# --- wrong JSON types --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, path",
    [
        ({"listed": 0}, "listed"),
        ({"waitlist": "no"}, "waitlist"),
        ({"title": 12345}, "title"),
        ({"members_per_delegation": "30"}, "members_per_delegation"),
        ({"max_participants": 2.5}, "max_participants"),
        ({"first_day": 20261209}, "first_day"),
        ({"last_day": "09-12-2026"}, "last_day"),
        ({"registration_opens_at": "2026-12-01T08:00:00"}, "registration_opens_at"),
    ],
)
def test_a_program_patch_with_a_wrong_type_is_refused_at_its_path(
    client, bearer, make_program, body, path
):
    program = make_program(title="Studi tiru")
    before = state()
    response = client.patch(f"/api/v1/staff/programs/{program.slug}", headers=bearer, json=body)
    assert response.status_code == 422
    assert list(response.json["errors"]) == [path]
    assert state() == before
    db.session.refresh(program)
    assert program.title == "Studi tiru" and program.listed is True and program.waitlist is True


@pytest.mark.parametrize(
    "body, path",
    [
        ({"optional": "ya"}, "optional"),
        ({"capacity": "40"}, "capacity"),
        ({"starts_at": "pukul 8"}, "starts_at"),
        ({"venue_id": 7}, "venue_id"),
        ({"status": "ditunda"}, "status"),
    ],
)
def test_an_item_patch_with_a_wrong_type_is_refused_at_its_path(
    client, bearer, make_program, make_item, body, path
):
    item = make_item(make_program(), title="Paparan SAKIP")
    before = state()
    response = client.patch(f"/api/v1/staff/items/{item.public_id}", headers=bearer, json=body)
    assert response.status_code == 422
    assert list(response.json["errors"]) == [path]
    assert state() == before


def test_wrong_types_in_a_registration_are_named_by_their_path_in_indonesian(client, make_program):
    program = make_program()
    body = {
        "institution": "Pemerintah Kabupaten Kutai Timur",
        "province": "Kalimantan Timur",
        "leader_name": "Drs. Ardiansyah",
        "leader_title": "Bupati",
        "contact": {"name": "Rina", "phone": 812556677, "email": "rina@kutaitimurkab.go.id"},
        "request_letter": {"number": "005/77", "date": "20 November 2026"},
        "members": [a_member(0, 0, optional_items="ijen"), a_member(1, 0, gender="X")],
    }
    before = state()
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=body)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["contact.phone"] == ["Tulis teks (string JSON)."]
    assert errors["request_letter.date"] == ["Tulis tanggal sebagai YYYY-MM-DD."]
    assert errors["members.0.optional_items"] == ["Kirim sebuah daftar (array JSON)."]
    assert errors["members.1.gender"] == [
        "Pilihan ini tidak tersedia. Pilih salah satu dari daftar."
    ]
    assert state() == before


def test_a_venue_with_wrong_types_is_refused(client, bearer):
    response = client.post(
        "/api/v1/staff/venues",
        headers=bearer,
        json={"name": "Aula", "seats": True, "opens_at": 800, "latitude": "-8.2"},
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"seats", "opens_at", "latitude"}
    assert state()["Venue"] == 0


def test_a_member_list_that_is_not_a_list_is_refused(client, make_program, make_delegation):
    delegation = make_delegation(make_program())
    response = client.put(f"/api/v1/delegations/{delegation.token}/members", json={"members": {}})
    assert response.status_code == 422 and list(response.json["errors"]) == ["members"]


# --- every documented request property is taken ----------------------------------------------


def test_every_documented_program_property_is_taken(client, bearer, document):
    body = {
        "title": "Studi Tiru Mal Pelayanan Publik",
        "slug": "studi-tiru-mpp",
        "summary": "Belajar MPP",
        "description": "Dua hari",
        "first_day": "2026-12-09",
        "last_day": "2026-12-10",
        "timezone": "Asia/Makassar",
        "listed": False,
        "registration_opens_at": "2026-11-01T08:00:00+08:00",
        "registration_closes_at": "2026-12-05T17:00:00+08:00",
        "members_per_delegation": 25,
        "max_delegations": 3,
        "max_participants": 75,
        "requires_approval": False,
        "waitlist": False,
        "host_official_name": "Dr. H. Mujiono, M.Si.",
        "host_official_title": "Sekretaris Daerah",
        "host_official_nip": "196805121994031005",
        "protocol_contact_name": "Bagian Protokol Setda Banyuwangi",
        "protocol_contact_phone": "+62333425001",
    }
    assert set(body) == properties(document, schema_of(document, "/api/v1/staff/programs", "post"))
    response = client.post("/api/v1/staff/programs", headers=bearer, json=body)
    assert response.status_code == 201, response.json
    assert {name: response.json[name] for name in body} == body
    conforms(document, response, "/api/v1/staff/programs", "post")


def test_every_documented_item_and_venue_property_is_taken(client, bearer, document, make_program):
    venue_body = {
        "name": "Pendopo Sabha Swagata",
        "address": "Jl. Sritanjung No. 1",
        "latitude": -8.2192,
        "longitude": 114.3691,
        "seats": 150,
        "opens_at": "07:00:00",
        "closes_at": "22:00:00",
        "shared_use": True,
        "notes": "Parkir bus di timur",
    }
    path = "/api/v1/staff/venues"
    assert set(venue_body) == properties(document, schema_of(document, path, "post"))
    venue = client.post(path, headers=bearer, json=venue_body)
    assert venue.status_code == 201, venue.json
    assert {name: venue.json[name] for name in venue_body} == venue_body
    conforms(document, venue, path, "post")
    program = make_program()
    item_body = {
        "title": "Penyambutan",
        "kind": "welcome",
        "starts_at": "2026-12-09T08:00:00+07:00",
        "ends_at": "2026-12-09T09:30:00+07:00",
        "venue_id": venue.json["id"],
        "presenter": "Bupati Banyuwangi",
        "description": "Tari Gandrung",
        "requirements": "Datang 15 menit lebih awal",
        "dress_code": "PDH",
        "capacity": 120,
        "optional": False,
        "reminder_minutes": 30,
        "status": "scheduled",
    }
    path = "/api/v1/staff/programs/{slug}/items"
    assert set(item_body) == properties(document, schema_of(document, path, "post"))
    item = client.post(
        f"/api/v1/staff/programs/{program.slug}/items", headers=bearer, json=item_body
    )
    assert item.status_code == 201, item.json
    assert {name: item.json[name] for name in item_body} == item_body
    conforms(document, item, path, "post")


def test_every_documented_registration_property_is_taken(client, document, make_program, make_item):
    program = make_program()
    trek = make_item(program, optional=True)
    batch = next(_batches)
    body = {
        "institution": "Pemerintah Kabupaten Kutai Timur",
        "region_code": "64.08",
        "province": "Kalimantan Timur",
        "leader_name": "Drs. Ardiansyah",
        "leader_title": "Bupati Kutai Timur",
        "contact": {"name": "Rina", "phone": "+6281255667788", "email": "rina@kutaitimurkab.go.id"},
        "request_letter": {"number": "005/77/2026", "date": "2026-11-20"},
        "arrival_notes": "Tiba Selasa sore",
        "departure_notes": "Pulang Jumat",
        "arrives_on": "2026-12-08",
        "departs_on": "2026-12-11",
        "members": [a_member(0, batch, optional_items=[trek.public_id], phone="+6281234567890")],
    }
    path = "/api/v1/programs/{slug}/registrations"
    schema = schema_of(document, path, "post")
    assert set(body) == properties(document, schema)
    member_schema = document["components"]["schemas"]["MemberIn"]["properties"]
    assert set(body["members"][0]) | {"id"} == set(member_schema)
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=body)
    assert response.status_code == 201, response.json
    answer = response.json
    assert {name: answer[name] for name in body if name != "members"} == {
        name: value for name, value in body.items() if name != "members"
    }
    sent = body["members"][0]
    assert {name: answer["members"][0][name] for name in sent} == sent
    conforms(document, response, path, "post")


# --- every answer matches its documented schema -------------------------------------------


def test_the_read_answers_match_their_documented_schemas(
    client, bearer, document, make_program, make_item, make_venue, make_delegation
):
    program = make_program(max_participants=50)
    make_item(program, venue=make_venue(), capacity=30)
    delegation = make_delegation(program, members=3)
    checks = [
        (client.get("/api/v1/programs"), "/api/v1/programs", "get"),
        (client.get(f"/api/v1/programs/{program.slug}"), "/api/v1/programs/{slug}", "get"),
        (
            client.get(f"/api/v1/delegations/{delegation.token}"),
            "/api/v1/delegations/{token}",
            "get",
        ),
        (
            client.get(f"/api/v1/staff/programs/{program.slug}/delegations", headers=bearer),
            "/api/v1/staff/programs/{slug}/delegations",
            "get",
        ),
        (client.get("/api/v1/programs/tidak-ada"), "/api/v1/programs/{slug}", "get"),
        (
            client.get("/api/v1/staff/programs/x/delegations"),
            "/api/v1/staff/programs/{slug}/delegations",
            "get",
        ),
    ]
    for response, path, method in checks:
        conforms(document, response, path, method)


def test_a_body_missing_required_fields_names_each_of_them(client, make_program):
    program = make_program()
    response = client.post(
        f"/api/v1/programs/{program.slug}/registrations",
        json={"institution": "", "contact": {"name": ""}, "request_letter": {"date": None}},
    )
    assert response.status_code == 422
    errors = response.json["errors"]
    assert {"institution", "province", "contact.name", "contact.phone", "members"} <= set(errors)
    assert errors["members"] == ["Daftar anggota masih kosong. Isi paling sedikit satu anggota."]
    assert state()["Delegation"] == 0
