"""Registering a delegation through the form, and every way the form refuses bad input."""

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import (
    Delegation,
    DelegationStatus,
    Member,
    MemberItem,
    RequestLetter,
)
from planner.programs.models import ProgramStatus
from tests import bombs
from tests.helpers import (
    count_statements,
    csrf_token,
    member_row,
    pdf_bytes,
    register,
    registration_form,
    text,
)


def database_state() -> dict:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Delegation, Member, MemberItem, RequestLetter, AuditEvent)
    }


@pytest.fixture
def program(make_program):
    return make_program(requires_approval=True, max_participants=100)


def test_a_contact_registers_and_lands_on_the_private_page(client, program):
    response = register(client, program, members=3)
    assert response.status_code == 303
    delegation = db.session.scalar(select(Delegation))
    assert response.headers["Location"] == f"/d/{delegation.token}"
    assert delegation.status == DelegationStatus.PENDING
    assert delegation.contact_phone == "+6281349876543"
    assert [m.full_name for m in delegation.members] == [
        "Peserta Nomor 1",
        "Peserta Nomor 2",
        "Peserta Nomor 3",
    ]
    assert delegation.members[1].phone == "+6281234560001"
    page = text(client.get(response.headers["Location"]))
    assert "satu-satunya kunci" in page  # the link is the only key
    assert f"/d/{delegation.token}" in page


def test_without_approval_a_registration_is_approved_at_once(client, make_program):
    program = make_program(requires_approval=False)
    register(client, program)
    assert db.session.scalar(select(Delegation.status)) == DelegationStatus.APPROVED


def test_thirty_members_are_fine_and_the_31st_is_refused(client, program):
    assert register(client, program, members=30).status_code == 303
    before = database_state()
    response = register(client, program, members=31, institution="Kabupaten Lain")
    assert response.status_code == 422
    assert "paling banyak 30 anggota; daftar ini berisi 31" in text(response)
    assert database_state() == before


def test_adding_rows_keeps_what_was_typed(client, program):
    page = f"/programs/{program.slug}/register"
    data = registration_form(members=2, add_rows="5")
    data["csrf_token"] = csrf_token(client, page)
    response = client.post(page, data=data)
    assert response.status_code == 200
    html = text(response)
    assert 'value="Peserta Nomor 2"' in html and 'value="Pemerintah Kabupaten Seruyan"' in html
    assert 'name="members-6-full_name"' in html and 'name="members-7-full_name"' not in html
    assert database_state()["Delegation"] == 0


def test_empty_rows_are_ignored(client, program):
    data = {**member_row(5, full_name="", position="", nip="", phone="", rank="")}
    assert register(client, program, members=2, **data).status_code == 303
    assert database_state()["Member"] == 2


@pytest.mark.parametrize(
    "overrides, field_id, message",
    [
        ({"members-1-nip": "19700101abc5031001"}, "members-1-nip", "NIP hanya berisi angka"),
        ({"members-1-nip": "1.98E+17"}, "members-1-nip", "1.98E+17"),
        ({"members-2-nip": "1970010119950310"}, "members-2-nip", "NIP harus 18 angka"),
        ({"contact-email": "protokol @seruyan kab.go.id"}, "contact-email", "nama@instansi.go.id"),
        ({"members-0-email": "bukan email"}, "members-0-email", "nama@instansi.go.id"),
        ({"request_letter-date": "10/11/2026"}, "request_letter-date", "Tanggal belum benar"),
        ({"contact-phone": "12"}, "contact-phone", "0812 3456 7890"),
        ({"members-1-full_name": ""}, "members-1-full_name", "wajib diisi"),
        ({"institution": ""}, "institution", "wajib diisi"),
        (
            {"members-1-full_name": "peserta  nomor 1"},
            "members-1-full_name",
            "Nama sama dengan baris 1",
        ),
        (
            {"members-0-nip": "197001011995031000", "members-2-nip": "197001011995031000"},
            "members-2-nip",
            "NIP sama dengan baris 1",
        ),
        ({"members-1-role": "boss"}, "members-1-role", "Pilihan ini tidak tersedia"),
        ({"institution": "Kabupaten\x00Seruyan"}, "institution", "karakter kendali"),
        ({"province": "x" * 101}, "province", "100 karakter"),
    ],
)
def test_bad_input_is_shown_at_its_field_and_nothing_is_saved(
    client, program, overrides, field_id, message
):
    before = database_state()
    response = register(client, program, members=3, **overrides)
    assert response.status_code == 422
    html = text(response)
    assert f'id="{field_id}-error"' in html and message in html, html[html.find("error-summary") :][
        :1500
    ]
    assert f'href="#{field_id}"' in html
    assert (
        'value="Pemerintah Kabupaten Seruyan"' in html or overrides.get("institution") is not None
    )
    assert database_state() == before


def test_a_post_without_csrf_token_is_refused(client, program):
    before = database_state()
    response = client.post(f"/programs/{program.slug}/register", data=registration_form())
    assert response.status_code == 400
    assert database_state() == before


def post_with_letter(client, program, content: bytes, filename="surat.pdf"):
    page = f"/programs/{program.slug}/register"
    data = registration_form()
    data["csrf_token"] = csrf_token(client, page)
    data["request_letter-file"] = (io.BytesIO(content), filename, "application/pdf")
    return client.post(page, data=data, content_type="multipart/form-data")


def test_a_real_pdf_letter_is_kept_and_served_to_the_delegation(client, program):
    content = pdf_bytes()
    response = post_with_letter(client, program, content)
    assert response.status_code == 303
    delegation = db.session.scalar(select(Delegation))
    letter = client.get(f"/d/{delegation.token}/letter.pdf")
    assert letter.status_code == 200 and letter.data == content
    assert letter.mimetype == "application/pdf"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"MZ\x90\x00 this is an exe renamed to pdf", "bukan berkas PDF"),
        (b"%PDF-1.7\n garbage that only looks like a pdf", "rusak atau bukan PDF"),
        (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "lebih besar dari 5 MB"),
    ],
)
def test_a_letter_that_is_not_a_small_real_pdf_is_refused(client, program, content, message):
    before = database_state()
    response = post_with_letter(client, program, content)
    assert response.status_code == 422
    assert message in text(response)
    assert database_state() == before


def pdf_without_pages() -> bytes:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


def test_a_letter_without_pages_is_named_as_such(client, program):
    response = post_with_letter(client, program, pdf_without_pages())
    assert response.status_code == 422
    assert "PDF ini tidak berisi halaman" in text(response)


def test_a_letter_of_45000_pages_is_a_real_pdf_and_kept(client, program):
    content = bombs.page_tree_letter()
    assert post_with_letter(client, program, content).status_code == 303
    delegation = db.session.scalar(select(Delegation))
    assert client.get(f"/d/{delegation.token}/letter.pdf").data == content


def test_a_50_mb_upload_gets_a_clear_answer(client, program):
    before = database_state()
    response = post_with_letter(client, program, b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "terlalu besar" in text(response)
    assert database_state() == before


def test_registration_only_while_published_and_inside_the_window(client, make_program):
    now = datetime.now(UTC)
    for program, message in [
        (make_program(status=ProgramStatus.CLOSED), "sudah ditutup"),
        (make_program(registration_opens_at=now + timedelta(days=1)), "belum dibuka"),
        (make_program(registration_closes_at=now - timedelta(minutes=1)), "sudah ditutup"),
    ]:
        assert message in text(client.get(f"/programs/{program.slug}/register"))
        response = client.post(
            f"/programs/{program.slug}/register",
            data={**registration_form(), "csrf_token": csrf_token(client, "/staff/login")},
        )
        assert response.status_code == 409 and message in text(response)
    assert database_state()["Delegation"] == 0
    draft = make_program(status=ProgramStatus.DRAFT)
    assert client.get(f"/programs/{draft.slug}/register").status_code == 404


def test_a_full_program_without_waitlist_refuses_with_a_message(client, make_program):
    program = make_program(max_participants=5, waitlist=False)
    assert register(client, program, members=3).status_code == 303
    before = database_state()
    response = register(client, program, members=3, institution="Kabupaten Kedua")
    assert response.status_code == 409
    assert "Program ini sudah penuh" in text(response)
    assert database_state() == before


def test_a_full_program_with_waitlist_waitlists(client, make_program):
    program = make_program(max_delegations=1, waitlist=True)
    register(client, program)
    response = register(client, program, institution="Kabupaten Kedua")
    assert response.status_code == 303
    second = db.session.scalar(
        select(Delegation).where(Delegation.institution == "Kabupaten Kedua")
    )
    assert second.status == DelegationStatus.WAITLISTED
    assert "daftar tunggu" in text(client.get(response.headers["Location"]))


def test_an_optional_item_that_is_full_refuses_naming_the_item(client, make_program, make_item):
    program = make_program()
    trek = make_item(program, title="Pendakian Kawah Ijen", optional=True, capacity=2)
    choices = {f"members-{i}-optional_items": trek.public_id for i in range(3)}
    before = database_state()
    response = register(client, program, members=3, **choices)
    assert response.status_code == 409
    assert "Pendakian Kawah Ijen sudah penuh" in text(response)
    assert database_state() == before
    two = {f"members-{i}-optional_items": trek.public_id for i in range(2)}
    assert register(client, program, members=3, **two).status_code == 303
    assert database_state()["MemberItem"] == 2


def test_a_member_cannot_join_two_items_at_the_same_time(client, make_program, make_item):
    from datetime import time

    program = make_program()
    group_a = make_item(
        program, title="Kelompok A: MPP", optional=True, start=time(9), end=time(11)
    )
    group_b = make_item(
        program, title="Kelompok B: Dukcapil", optional=True, start=time(10), end=time(12)
    )
    page = f"/programs/{program.slug}/register"
    data = registration_form(members=2)
    data["csrf_token"] = csrf_token(client, page)
    data["members-1-optional_items"] = [group_a.public_id, group_b.public_id]
    response = client.post(page, data=data)
    assert response.status_code == 422
    html = text(response)
    assert 'id="members-1-optional_items-error"' in html
    assert "Jadwal Kelompok B: Dukcapil bentrok dengan Kelompok A: MPP" in html
    assert database_state()["Delegation"] == 0


def test_a_registration_runs_as_many_statements_for_30_members_as_for_3(
    app, client, make_program, make_item
):
    program = make_program(requires_approval=True, max_participants=100)
    trek = make_item(program, title="Pendakian Kawah Ijen", optional=True, capacity=50)
    make_item(program, title="Paparan SAKIP", start=time(13), end=time(14))
    page = f"/programs/{program.slug}/register"
    counts = {}
    for members, institution in ((3, "Kabupaten Seruyan"), (30, "Kabupaten Katingan")):
        # Members differ as in real lists: some join the trek, some leave out NIP or e-mail.
        rows = {}
        for index in range(members):
            if index % 2:
                rows[f"members-{index}-optional_items"] = trek.public_id
            if index % 3 == 0:
                rows[f"members-{index}-email"] = f"peserta{index}@kabupaten.go.id"
            if index % 4 == 0:
                rows[f"members-{index}-nip"] = ""
        data = registration_form(members, institution=institution, **rows)
        data["csrf_token"] = csrf_token(client, page)
        counts[members], response = count_statements(
            app, lambda data=data: client.post(page, data=data)
        )
        assert response.status_code == 303
    assert counts[30] == counts[3]
    delegation = db.session.scalar(
        select(Delegation).where(Delegation.institution == "Kabupaten Katingan")
    )
    assert len(delegation.members) == 30
    assert [m.sort_order for m in delegation.members] == list(range(30))
    assert [bool(m.optional_items) for m in delegation.members] == [i % 2 == 1 for i in range(30)]
    assert delegation.members[3].email == "peserta3@kabupaten.go.id"
    assert delegation.members[4].nip is None and delegation.members[5].nip
    assert len({m.token for m in delegation.members}) == 30
