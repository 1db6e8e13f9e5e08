"""Saving an edit page unchanged changes nothing, and a PATCH of one field changes only that
field: for every record type and every edit path."""

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from planner.core.database import db
from planner.delegations.models import DelegationStatus, Member
from planner.programs.models import ProgramStatus
from planner.protocol.models import PrecedenceRule
from planner.staff.models import Role
from planner.staff.tokens import create_token
from tests.helpers import login, post_back

TABLES = (
    "programs",
    "agenda_items",
    "venues",
    "delegations",
    "members",
    "member_items",
    "audit_events",
    "staff_users",
    "precedence_rules",
    "topics",
    "topic_venues",
    "program_templates",
    "template_items",
    "host_profile",
    "visit_requests",
)


def rows() -> dict:
    """Every row of the tables an edit could touch, exactly as stored."""
    snapshot = {}
    with db.engine.connect() as connection:
        for name in TABLES:
            table = db.metadata.tables[name]
            ordered = sa.select(table).order_by(*table.primary_key.columns)
            snapshot[name] = [dict(row._mapping) for row in connection.execute(ordered)]
    return snapshot


def differences(before: dict, after: dict) -> list[tuple]:
    """(table, column, old, new) for every value that changed, and tables that grew or shrank."""
    found = []
    for table, old_rows in before.items():
        new_rows = after[table]
        if len(old_rows) != len(new_rows):
            found.append((table, "rows", len(old_rows), len(new_rows)))
            continue
        for old, new in zip(old_rows, new_rows, strict=True):
            found.extend((table, key, old[key], new[key]) for key in old if old[key] != new[key])
    return found


def changed_columns(before: dict, after: dict, table: str) -> set[str]:
    (old,), (new,) = before[table], after[table]
    return {name for name in old if old[name] != new[name]}


@pytest.fixture
def full_program(make_program, make_item, make_venue):
    """A program with every editable field set, as staff leave it after a real week's work."""
    program = make_program(
        summary="Belajar pelayanan publik",
        description="Dua hari di Banyuwangi.",
        listed=False,
        registration_opens_at=datetime(2026, 11, 1, 1, 0, tzinfo=UTC),
        registration_closes_at=datetime(2026, 12, 5, 10, 30, tzinfo=UTC),
        members_per_delegation=35,
        max_delegations=4,
        max_participants=120,
        requires_approval=False,
        waitlist=False,
        host_official_name="Dr. H. Mujiono, M.Si.",
        host_official_title="Sekretaris Daerah",
        host_official_nip="196805121994031005",
    )
    venue = make_venue(name="Pendopo Sabha Swagata", opens_at=time(7), closes_at=time(22))
    make_item(
        program,
        title="Paparan SAKIP",
        venue=venue,
        presenter="Kepala Bappeda",
        description="Paparan dan tanya jawab",
        requirements="Bawa laptop",
        dress_code="PDH",
        capacity=80,
        reminder_minutes=30,
    )
    make_item(
        program,
        title="Pendakian Kawah Ijen",
        day=program.last_day,
        start=time(1),
        end=time(6),
        optional=True,
        capacity=40,
        requirements="Jaket hangat",
    )
    return program


def test_the_program_edit_page_saved_unchanged_changes_nothing(staff_client, full_program):
    before = rows()
    response = post_back(staff_client, f"/staff/programs/{full_program.slug}/edit", "title")
    assert response.status_code == 303
    assert differences(before, rows()) == []


def test_the_item_edit_page_saved_unchanged_changes_nothing(staff_client, full_program):
    full_program.status = ProgramStatus.PUBLISHED
    db.session.commit()
    for item in full_program.items:
        before = rows()
        response = post_back(staff_client, f"/staff/items/{item.public_id}/edit", "title")
        assert response.status_code == 303
        assert differences(before, rows()) == []


def test_the_venue_edit_page_saved_unchanged_changes_nothing(staff_client, make_venue):
    venue = make_venue(
        name="Mal Pelayanan Publik",
        address="Jl. Jenderal Ahmad Yani No. 78",
        latitude=-8.2192,
        longitude=114.3691,
        seats=60,
        opens_at=time(8),
        closes_at=time(15, 30),
        shared_use=True,
        notes="Parkir bus di belakang",
    )
    before = rows()
    response = post_back(staff_client, f"/staff/venues/{venue.public_id}", "name")
    assert response.status_code == 303
    assert differences(before, rows()) == []


@pytest.fixture
def full_delegation(full_program, make_delegation):
    full_program.status = ProgramStatus.PUBLISHED
    full_program.registration_opens_at = None
    full_program.registration_closes_at = None
    trek = next(item for item in full_program.items if item.optional)
    delegation = make_delegation(
        full_program,
        members=4,
        request_letter_number="005/123/Org/2026",
        request_letter_date=date(2026, 11, 10),
        arrival_notes="Tiba Selasa sore, Garuda GA-264",
        departure_notes="Pulang Jumat pagi",
        arrives_on=date(2026, 12, 8),
        departs_on=date(2026, 12, 11),
    )
    for index, member in enumerate(delegation.members):
        member.nip = f"19700101199503{index % 2 + 1}{index:03d}"
        member.rank = "Pembina (IV/a)"
        member.phone = f"+62812345600{index:02d}"
        member.email = f"anggota{index}@seruyankab.go.id" if index % 2 else None
        member.dietary = "Vegetarian" if index == 1 else ""
        member.gender = None if index == 3 else member.gender
    delegation.members[0].optional_items = [trek]
    delegation.members[2].optional_items = [trek]
    db.session.commit()
    return delegation


def test_the_contact_edit_page_saved_unchanged_changes_nothing(client, full_delegation):
    before = rows()
    response = post_back(client, f"/d/{full_delegation.token}/edit", "institution")
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    assert differences(before, rows()) == []


def test_the_staff_delegation_edit_page_saved_unchanged_keeps_the_travel_dates(
    staff_client, full_delegation
):
    before = rows()
    page = f"/staff/delegations/{full_delegation.public_id}/edit"
    response = post_back(staff_client, page, "institution")
    assert response.status_code == 303
    assert differences(before, rows()) == []
    db.session.refresh(full_delegation)
    assert full_delegation.arrives_on == date(2026, 12, 8)


def test_the_role_form_posted_unchanged_changes_nothing(client, make_staff):
    admin = make_staff(role=Role.ADMIN)
    colleague = make_staff(role=Role.STAFF, name="Budi")
    login(client, admin)
    before = rows()
    action = f"/staff/users/{colleague.public_id}/role"
    response = post_back(client, "/staff/users", "role", action=action)
    assert response.status_code == 303
    assert differences(before, rows()) == []


def test_a_precedence_rule_saved_unchanged_changes_nothing(staff_client):
    db.session.add(PrecedenceRule(keyword="kepala dinas", rank=20))
    db.session.commit()
    before = rows()
    page = staff_client.get("/staff/precedence").get_data(as_text=True)
    assert "kepala dinas" in page
    response = post_back(
        staff_client, "/staff/precedence", "keyword", keyword="kepala dinas", rank="20"
    )
    assert response.status_code == 303
    assert differences(before, rows()) == []


# --- the API: a PATCH of one field changes only that field ----------------------------------


@pytest.fixture
def token_header(make_staff):
    _, secret = create_token(make_staff(), "tes")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_program_patch_of_the_title_changes_only_the_title(client, token_header, full_program):
    before = rows()
    response = client.patch(
        f"/api/v1/staff/programs/{full_program.slug}",
        headers=token_header,
        json={"title": "Studi Tiru Pelayanan Publik"},
    )
    assert response.status_code == 200, response.json
    after = rows()
    assert changed_columns(before, after, "programs") == {"title", "version", "updated_at"}
    assert after["agenda_items"] == before["agenda_items"]
    assert response.json["host_official_nip"] == "196805121994031005"


def test_the_api_sets_and_shows_the_signing_official(client, token_header, full_program):
    response = client.patch(
        f"/api/v1/staff/programs/{full_program.slug}",
        headers=token_header,
        json={
            "host_official_name": "Ir. Guntur Priambodo",
            "host_official_nip": "19680512 199403 1 006",
        },
    )
    assert response.status_code == 200, response.json
    assert response.json["host_official_name"] == "Ir. Guntur Priambodo"
    db.session.refresh(full_program)
    assert full_program.host_official_nip == "196805121994031006"


def test_an_item_patch_of_the_presenter_changes_only_the_presenter(
    client, token_header, full_program
):
    item = next(item for item in full_program.items if item.venue is not None)
    before = rows()
    response = client.patch(
        f"/api/v1/staff/items/{item.public_id}",
        headers=token_header,
        json={"presenter": "Sekretaris Bappeda"},
    )
    assert response.status_code == 200, response.json
    after = rows()
    old = {row["id"]: row for row in before["agenda_items"]}
    new = {row["id"]: row for row in after["agenda_items"]}
    assert {name for name in old[item.id] if old[item.id][name] != new[item.id][name]} == {
        "presenter",
        "version",
        "updated_at",
    }
    assert response.json["venue_id"] == item.venue.public_id


def test_an_item_patch_that_sends_what_is_there_changes_nothing(client, token_header, full_program):
    item = full_program.items[0]
    full_program.status = ProgramStatus.PUBLISHED
    db.session.commit()
    shown = client.get(f"/api/v1/programs/{full_program.slug}").json["items"][0]
    before = rows()
    writable = {
        name: shown[name]
        for name in (
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "venue_id",
            "presenter",
            "description",
            "requirements",
            "dress_code",
            "capacity",
            "optional",
            "reminder_minutes",
            "status",
        )
    }
    response = client.patch(
        f"/api/v1/staff/items/{item.public_id}", headers=token_header, json=writable
    )
    assert response.status_code == 200, response.json
    assert differences(before, rows()) == []


def test_a_delegation_status_reason_is_kept_by_a_contact_edit(client, full_delegation):
    full_delegation.status = DelegationStatus.APPROVED
    full_delegation.status_reason = "Disetujui Sekda"
    db.session.commit()
    post_back(client, f"/d/{full_delegation.token}/edit", "institution", leader_title="Bupati")
    db.session.refresh(full_delegation)
    assert full_delegation.status_reason == "Disetujui Sekda"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Member)) == 4


def test_the_visit_catalog_pages_saved_unchanged_change_nothing(staff_client, make_venue):
    from planner.visits import host
    from planner.visits.models import ProgramTemplate, TemplateItem, Topic

    venue = make_venue(name="Pos Paltuding")
    topic = Topic(
        title_id="Pariwisata Kawah Ijen",
        title_en="Ijen crater",
        summary_id="Pendakian malam",
        unit="Dinas Pariwisata",
        duration_minutes=360,
        venues=[venue],
        unavailable_weekdays=[4],
        unavailable_note="Tidak saat cuaca buruk",
        sort_order=3,
    )
    template = ProgramTemplate(
        title="Studi tiru 2 hari dengan Kawah Ijen",
        summary="Dua hari",
        days=2,
        items=[TemplateItem(day=2, starts_at=time(1), ends_at=time(6), title="Pendakian")],
    )
    profile = host.profile()
    for name, value in dict(
        name="PEMERINTAH KABUPATEN BANYUWANGI",
        office="SEKRETARIAT DAERAH",
        address="Jl. Ahmad Yani No. 100",
        place="Banyuwangi",
        lead_working_days=7,
        max_size=45,
        daily_delegations=3,
        signing_official_name="Dr. H. Mujiono, M.Si.",
        signing_official_title="Sekretaris Daerah",
        signing_official_nip="196805121994031005",
        contact_name="Bagian Protokol",
        contact_phone="+62333425001",
    ).items():
        setattr(profile, name, value)
    db.session.add_all([topic, template])
    db.session.commit()
    for url, field in (
        (f"/staff/topics/{topic.public_id}", "title_id"),
        (f"/staff/templates/{template.public_id}", "title"),
        ("/staff/host", "lead_working_days"),
    ):
        before = rows()
        response = post_back(staff_client, url, field)
        assert response.status_code == 303, (url, response.get_data(as_text=True)[:2000])
        assert differences(before, rows()) == [], url
