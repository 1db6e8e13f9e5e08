"""Staff exports: participants, dietary needs per meal, item manifests, arrivals; xlsx and csv."""

import csv
import io
from datetime import date, datetime, time

import pytest
from openpyxl import load_workbook

from planner.core.database import db
from planner.delegations.models import DelegationStatus, MemberItem
from planner.programs.models import ItemKind, ItemStatus
from tests.helpers import count_queries, login, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response):
    assert response.status_code == 200, text(response)[:500]
    assert response.mimetype == XLSX
    return load_workbook(io.BytesIO(response.data))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, text(response)[:500]
    assert response.mimetype == "text/csv"
    body = text(response)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def header_is_bold_and_frozen(sheet) -> None:
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
    assert not any(cell.font.bold for cell in sheet[2] if cell.value is not None)


@pytest.fixture
def staff_client(client, make_staff):
    login(client, make_staff())
    return client


@pytest.fixture
def visit(make_program, make_delegation, make_item, make_venue):
    """A program with two delegations holding seats, one waitlisted, a dinner, an optional
    lunch and the optional Ijen trek."""
    program = make_program(slug="studi-tiru", first_day=date(2026, 12, 9))
    seruyan = make_delegation(
        program,
        members=3,
        institution="Pemerintah Kabupaten Seruyan",
        province="Kalimantan Tengah",
        status=DelegationStatus.APPROVED,
        arrives_on=date(2026, 12, 8),
        arrival_notes="Garuda GA 264, 14.30",
        contact_name="Syahrul",
        contact_phone="0813 4987 6543",
    )
    kutai = make_delegation(
        program, members=2, institution="Pemerintah Kabupaten Kutai Timur", province="Kaltim"
    )
    waiting = make_delegation(
        program,
        members=2,
        institution="Pemerintah Kota Waitlist",
        status=DelegationStatus.WAITLISTED,
    )
    first = seruyan.members[0]
    first.full_name = "Drs. Ardiansyah"
    first.nip = "197001011995031001"
    first.rank = "Pembina (IV/a)"
    first.phone = "0812 1111 2222"
    first.email = "ardi@seruyankab.go.id"
    first.dietary = "Vegetarian"
    first.health_certificate = True
    seruyan.members[1].dietary = "vegetarian "
    kutai.members[0].dietary = "Tanpa seafood"
    waiting.members[0].dietary = "Vegetarian"
    db.session.commit()
    hall = make_venue(name="Pendopo Sabha Swagata Blambangan")
    dinner = make_item(
        program,
        title="Jamuan makan malam",
        kind=ItemKind.MEAL,
        venue=hall,
        start=time(19, 0),
        end=time(21, 0),
    )
    lunch = make_item(
        program, title="Makan siang di Kemiren", kind=ItemKind.MEAL, optional=True,
        start=time(12, 0), end=time(13, 0),
    )  # fmt: skip
    cancelled = make_item(
        program, title="Sarapan batal", kind=ItemKind.MEAL, status=ItemStatus.CANCELLED
    )
    ijen = make_item(
        program,
        title="Pendakian Kawah Ijen",
        kind=ItemKind.FIELD_TRIP,
        optional=True,
        day=date(2026, 12, 10),
        start=time(1, 0),
        end=time(7, 0),
    )
    # Ijen: two of Seruyan, and one waitlisted member who is not going after all.
    for member in (seruyan.members[0], seruyan.members[2], waiting.members[0]):
        db.session.add(MemberItem(member_id=member.id, item_id=ijen.id))
    db.session.add(MemberItem(member_id=kutai.members[1].id, item_id=lunch.id))
    db.session.commit()
    return dict(
        program=program,
        seruyan=seruyan,
        kutai=kutai,
        waiting=waiting,
        dinner=dinner,
        lunch=lunch,
        cancelled=cancelled,
        ijen=ijen,
    )


PARTICIPANT_HEADER = [
    "No.",
    "Nama lengkap",
    "Jabatan",
    "NIP",
    "Pangkat / golongan",
    "Jenis kelamin",
    "Telepon",
    "E-mail",
    "Pantangan makanan",
    "Peran",
    "Status",
]


def test_participants_xlsx_has_a_summary_and_a_sheet_per_delegation(staff_client, visit):
    response = staff_client.get("/staff/programs/studi-tiru/participants.xlsx")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=studi-tiru-peserta.xlsx"
    )
    book = workbook(response)
    assert book.sheetnames == ["Ringkasan", "Kab. Kutai Timur", "Kab. Seruyan", "Kota Waitlist"]
    summary = values(book["Ringkasan"])
    assert summary[0] == [
        "No.",
        "Instansi",
        "Provinsi",
        "Status",
        "Anggota",
        "Ketua",
        "Narahubung",
        "Telepon narahubung",
        "E-mail narahubung",
    ]
    seruyan_row = [2, "Pemerintah Kabupaten Seruyan", "Kalimantan Tengah", "disetujui", 3]
    assert summary[2][:5] == seruyan_row
    assert summary[2][6:8] == ["Syahrul", "0813 4987 6543"]
    assert len(summary) == 4
    seruyan = book["Kab. Seruyan"]
    header_is_bold_and_frozen(seruyan)
    header_is_bold_and_frozen(book["Ringkasan"])
    rows = values(seruyan)
    assert rows[0] == PARTICIPANT_HEADER
    assert rows[1] == [
        1,
        "Drs. Ardiansyah",
        "Kepala Bagian",
        "197001011995031001",
        "Pembina (IV/a)",
        "Perempuan (P)",
        "0812 1111 2222",
        "ardi@seruyankab.go.id",
        "Vegetarian",
        "Ketua",
        "disetujui",
    ]
    assert len(rows) == 4
    assert [row[0] for row in values(book["Kota Waitlist"])[1:]] == [1, 2]
    assert seruyan.column_dimensions["B"].width == 32


def test_participants_csv_is_one_table_with_the_institution(staff_client, visit):
    response = staff_client.get("/staff/programs/studi-tiru/participants.csv")
    assert "studi-tiru-peserta.csv" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [PARTICIPANT_HEADER[0], "Instansi", *PARTICIPANT_HEADER[1:]]
    assert len(rows) == 1 + 7
    ardi = next(row for row in rows if row[2] == "Drs. Ardiansyah")
    assert ardi[1] == "Pemerintah Kabupaten Seruyan"
    assert ardi[4] == "197001011995031001" and ardi[9] == "Vegetarian"


def test_english_readers_get_english_headers(staff_client, visit):
    response = staff_client.get("/staff/programs/studi-tiru/participants.xlsx?lang=en")
    book = workbook(response)
    assert book.sheetnames[0] == "Summary"
    assert values(book["Kab. Seruyan"])[0][:3] == ["No.", "Full name", "Position (jabatan)"]
    rows = csv_rows(staff_client.get("/staff/programs/studi-tiru/arrivals.csv?lang=en"))
    assert rows[0][:5] == ["No.", "Institution", "Status", "Members", "Arrives on"]


def test_delegation_exports_hold_only_that_delegation(staff_client, visit):
    seruyan = visit["seruyan"]
    response = staff_client.get(f"/staff/delegations/{seruyan.public_id}/participants.xlsx")
    assert (
        "studi-tiru-peserta-pemerintah-kabupaten-seruyan.xlsx"
        in (response.headers["Content-Disposition"])
    )
    book = workbook(response)
    assert book.sheetnames == ["Ringkasan", "Kab. Seruyan"]
    assert len(values(book["Kab. Seruyan"])) == 4
    rows = csv_rows(staff_client.get(f"/staff/delegations/{seruyan.public_id}/participants.csv"))
    assert len(rows) == 4 and {row[1] for row in rows[1:]} == {"Pemerintah Kabupaten Seruyan"}
    book = workbook(staff_client.get(f"/staff/delegations/{seruyan.public_id}/dietary.xlsx"))
    summary = values(book["Ringkasan"])
    assert ["Vegetarian", 2] in [row[4:] for row in summary]
    assert not any(row[4] == "Tanpa seafood" for row in summary)


def test_dietary_needs_are_grouped_and_counted_per_meal(staff_client, visit):
    book = workbook(staff_client.get("/staff/programs/studi-tiru/dietary.xlsx"))
    assert book.sheetnames == [
        "Ringkasan",
        "09-12 Makan siang di Kemiren",
        "09-12 Jamuan makan malam",
    ]
    summary = values(book["Ringkasan"])
    assert summary[0] == ["Jamuan makan", "Tanggal", "Jam", "Tempat", "Pantangan makanan", "Jumlah"]
    dinner = [row for row in summary if row[0] == "Jamuan makan malam"]
    # Every member of the two delegations holding seats (3 + 2), none of the waitlisted one;
    # "Vegetarian" and "vegetarian " are one need.
    assert [row[4:] for row in dinner] == [
        ["Tanpa seafood", 1],
        ["Vegetarian", 2],
        ["Tanpa pantangan", 2],
        ["Semua peserta makan", 5],
    ]
    assert dinner[0][1] == datetime(2026, 12, 9) and dinner[0][2] == time(19, 0)
    assert dinner[0][3] == "Pendopo Sabha Swagata Blambangan"
    assert book["Ringkasan"]["B2"].number_format == "dd/mm/yyyy"
    # The optional lunch: only the one member who chose it.
    lunch = [row[4:] for row in summary if row[0] == "Makan siang di Kemiren"]
    assert lunch == [["Tanpa pantangan", 1], ["Semua peserta makan", 1]]
    assert not any(row[0] == "Sarapan batal" for row in summary)
    sheet = book["09-12 Jamuan makan malam"]
    header_is_bold_and_frozen(sheet)
    rows = values(sheet)
    assert rows[0] == ["No.", "Pantangan makanan", "Nama lengkap", "Instansi", "Telepon"]
    assert [row[1] for row in rows[1:]] == [
        "Tanpa seafood",
        "Vegetarian",
        "Vegetarian",
        "Tanpa pantangan",
        "Tanpa pantangan",
    ]
    assert rows[2][2] == "Drs. Ardiansyah"

    rows = csv_rows(staff_client.get("/staff/programs/studi-tiru/dietary.csv"))
    assert rows[0][:5] == ["Jamuan makan", "Tanggal", "Jam", "Pantangan makanan", "Jumlah"]
    vegetarians = [row for row in rows if row[3] == "Vegetarian"]
    assert len(vegetarians) == 2
    assert vegetarians[0][:5] == ["Jamuan makan malam", "2026-12-09", "19:00", "Vegetarian", "2"]


def test_the_manifest_lists_only_the_members_who_chose_the_item(staff_client, visit):
    ijen = visit["ijen"]
    response = staff_client.get(f"/staff/items/{ijen.public_id}/manifest.xlsx")
    assert (
        "studi-tiru-manifes-pendakian-kawah-ijen-20261210.xlsx"
        in (response.headers["Content-Disposition"])
    )
    book = workbook(response)
    sheet = book.worksheets[0]
    assert sheet.title == "10-12 Pendakian Kawah Ijen"
    header_is_bold_and_frozen(sheet)
    seruyan = visit["seruyan"]
    institution, diet = "Pemerintah Kabupaten Seruyan", "Pantangan makanan"
    assert values(sheet) == [
        ["No.", "Nama lengkap", "Instansi", "Telepon", "Surat keterangan sehat", diet],
        [1, "Drs. Ardiansyah", institution, "0812 1111 2222", "ya", "Vegetarian"],
        [2, seruyan.members[2].full_name, institution, None, "tidak", None],
    ]
    rows = csv_rows(staff_client.get(f"/staff/items/{ijen.public_id}/manifest.csv"))
    assert [row[1] for row in rows[1:]] == ["Drs. Ardiansyah", seruyan.members[2].full_name]
    assert [row[4] for row in rows[1:]] == ["ya", "tidak"]
    # An item for everyone lists every member of the delegations holding seats.
    dinner = visit["dinner"]
    rows = csv_rows(staff_client.get(f"/staff/items/{dinner.public_id}/manifest.csv"))
    assert len(rows) == 1 + 5


def test_arrivals_fall_back_to_the_program_days(staff_client, visit):
    book = workbook(staff_client.get("/staff/programs/studi-tiru/arrivals.xlsx"))
    assert book.sheetnames == ["Kedatangan dan kepulangan"]
    sheet = book.worksheets[0]
    header_is_bold_and_frozen(sheet)
    rows = values(sheet)
    assert rows[0] == [
        "No.",
        "Instansi",
        "Status",
        "Anggota",
        "Tanggal tiba",
        "Keterangan tanggal tiba",
        "Catatan kedatangan",
        "Tanggal pulang",
        "Keterangan tanggal pulang",
        "Catatan kepulangan",
        "Narahubung",
        "Telepon narahubung",
    ]
    assert len(rows) == 3  # the waitlisted delegation is not coming
    seruyan, kutai = rows[1], rows[2]
    assert seruyan[1:8] == [
        "Pemerintah Kabupaten Seruyan",
        "disetujui",
        3,
        datetime(2026, 12, 8),
        "sesuai pendaftaran",
        "Garuda GA 264, 14.30",
        datetime(2026, 12, 10),
    ]
    assert seruyan[8] == "perkiraan: hari terakhir program"
    assert seruyan[10:] == ["Syahrul", "0813 4987 6543"]
    assert kutai[4:6] == [datetime(2026, 12, 9), "perkiraan: hari pertama program"]
    assert sheet["E2"].number_format == "dd/mm/yyyy" and sheet["E2"].is_date

    rows = csv_rows(staff_client.get("/staff/programs/studi-tiru/arrivals.csv"))
    assert rows[2][4:6] == ["2026-12-09", "perkiraan: hari pertama program"]


def test_xlsx_cells_never_carry_formulas(staff_client, make_program, make_delegation, make_item):
    program = make_program(slug="rumus")
    delegation = make_delegation(program, members=4, institution='=HYPERLINK("x")')
    names = ["=1+1", "+62 812", "-5", "@SUM(A1)"]
    for member, name in zip(delegation.members, names, strict=True):
        member.full_name = name
        member.dietary = "=cmd|' /C calc'!A0"
    db.session.commit()
    item = make_item(program, kind=ItemKind.MEAL, title="=2*3")
    book = workbook(staff_client.get("/staff/programs/rumus/participants.xlsx"))
    sheet = book.worksheets[1]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    # Text cells, shown exactly as typed: never calculated, never an apostrophe to remove.
    assert [row[1] for row in values(sheet)[1:]] == ["=1+1", "+62 812", "-5", "@SUM(A1)"]
    assert all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))
    assert values(book.worksheets[0])[1][1] == '=HYPERLINK("x")'
    book = workbook(staff_client.get("/staff/programs/rumus/dietary.xlsx"))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    manifest = workbook(staff_client.get(f"/staff/items/{item.public_id}/manifest.xlsx"))
    assert values(manifest.worksheets[0])[1][1] == "=1+1"


def test_long_and_repeated_institution_names_make_valid_sheet_names(
    staff_client, make_program, make_delegation
):
    program = make_program(slug="nama")
    long = "Pemerintah Provinsi Kalimantan Timur: Biro Pemerintahan [Otonomi Daerah]"
    make_delegation(program, institution=long)
    make_delegation(program, institution=long)
    book = workbook(staff_client.get("/staff/programs/nama/participants.xlsx"))
    assert book.sheetnames[1] == "Prov. Kalimantan Timur Biro Pem"
    assert book.sheetnames[2].endswith(" (2)")
    assert all(len(name) <= 31 for name in book.sheetnames)


EXPORTS = [
    "/staff/programs/{slug}/participants.xlsx",
    "/staff/programs/{slug}/participants.csv",
    "/staff/programs/{slug}/dietary.xlsx",
    "/staff/programs/{slug}/dietary.csv",
    "/staff/programs/{slug}/arrivals.xlsx",
    "/staff/programs/{slug}/arrivals.csv",
    "/staff/delegations/{delegation}/participants.xlsx",
    "/staff/delegations/{delegation}/participants.csv",
    "/staff/delegations/{delegation}/dietary.xlsx",
    "/staff/delegations/{delegation}/dietary.csv",
    "/staff/items/{item}/manifest.xlsx",
    "/staff/items/{item}/manifest.csv",
]


def urls(visit) -> list[str]:
    values = dict(
        slug=visit["program"].slug,
        delegation=visit["seruyan"].public_id,
        item=visit["ijen"].public_id,
    )
    return [url.format(**values) for url in EXPORTS]


def test_anonymous_visitors_are_sent_to_login(client, visit):
    for url in urls(visit):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/staff/login"), url


def test_unknown_programs_items_and_delegations_are_404(staff_client):
    for url in EXPORTS:
        assert staff_client.get(url.format(slug="x", delegation="x", item="x")).status_code == 404


def test_the_program_and_delegation_pages_link_to_the_exports(staff_client, visit):
    page = text(staff_client.get("/staff/programs/studi-tiru"))
    assert "Ekspor" in page
    for url in urls(visit):
        if "/delegations/" not in url:
            assert url in page, url
    assert f"/staff/items/{visit['cancelled'].public_id}/manifest" not in page
    page = text(staff_client.get(f"/staff/delegations/{visit['seruyan'].public_id}"))
    for url in urls(visit):
        if "/delegations/" in url:
            assert url in page, url
    page = text(staff_client.get("/staff/programs/studi-tiru/delegations"))
    assert "/staff/programs/studi-tiru/participants.csv" in page


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_makes_the_same_number_of_queries_for_5_and_50_members(
    app, staff_client, make_program, make_delegation, make_item, url
):
    counts = []
    for size in (5, 50):
        program = make_program()
        delegations = [
            make_delegation(program, members=size // 5, status=DelegationStatus.APPROVED)
            for _ in range(5)
        ]
        make_item(program, kind=ItemKind.MEAL)
        make_item(program, kind=ItemKind.MEAL, optional=True, start=time(12, 0), end=time(13, 0))
        item = make_item(program, optional=True, start=time(14, 0), end=time(15, 0))
        for delegation in delegations:
            for member in delegation.members[::2]:
                db.session.add(MemberItem(member_id=member.id, item_id=item.id))
                member.dietary = f"Diet {member.id % 3}"
        db.session.commit()
        target = url.format(
            slug=program.slug, delegation=delegations[0].public_id, item=item.public_id
        )
        counts.append(count_queries(app, staff_client, target))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 5, counts


def test_phones_dial_from_both_formats_and_csv_text_is_formula_safe(
    staff_client, make_program, make_delegation
):
    program = make_program(slug="telepon")
    delegation = make_delegation(program, members=2)
    delegation.members[0].phone = "+6281255001001"
    delegation.members[0].full_name = "=1+1"
    delegation.members[1].phone = "+60123456789"
    db.session.commit()
    book = workbook(staff_client.get("/staff/programs/telepon/participants.xlsx"))
    phones = [row[6] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert [cell.value for cell in phones] == ["+6281255001001", "+60123456789"]
    assert all(cell.data_type == "s" for cell in phones)
    rows = csv_rows(staff_client.get("/staff/programs/telepon/participants.csv"))
    assert [row[7] for row in rows[1:]] == ["0812-5500-1001", " +60 12-345 6789"]
    assert rows[1][2] == "'=1+1"
