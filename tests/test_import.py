"""Importing members from a spreadsheet: every refusal changes nothing, the preview shows
what will change, and confirming keeps the members' personal links."""

import csv
import html
import io
import re
import zipfile
from datetime import UTC, datetime, time, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from planner.core.database import db
from planner.delegations import spreadsheet
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberItem
from planner.delegations.spreadsheet import COLUMNS
from tests import bombs
from tests.helpers import csrf_token, login, text

HEADERS = [column.header for column in COLUMNS]
ENGLISH = [column.english for column in COLUMNS]
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def state() -> dict:
    counts = {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Delegation, Member, MemberItem)
    }
    db.session.expire_all()
    counts["members"] = sorted(
        (m.public_id, m.token, m.full_name, m.position, m.nip, m.phone, m.role)
        for m in db.session.scalars(select(Member))
    )
    counts["versions"] = sorted(db.session.scalars(select(Delegation.version)))
    return counts


def person(index: int, **overrides) -> list:
    """One good row, in the template's column order."""
    row = {
        "full_name": f"Anggota Impor {index}",
        "position": "Kepala Seksi",
        "nip": f"1980020220100{index % 2 + 1}1{index:03d}",
        "rank": "Penata (III/c)",
        "gender": "L" if index % 2 else "P",
        "phone": f"0813{45670000 + index}",
        "email": f"anggota{index}@contoh.go.id",
        "dietary": "",
        "role": "ketua" if index == 0 else "anggota",
    }
    row.update(overrides)
    return [row[column.field] for column in COLUMNS]


def workbook(rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    return book


def xlsx(rows=None, headers=HEADERS, book=None) -> bytes:
    book = book or workbook(rows if rows is not None else [person(i) for i in range(3)], headers)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(rows, headers=HEADERS, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def zipped(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def world(make_program, make_item, make_delegation):
    program = make_program(max_participants=60, members_per_delegation=30)
    make_item(program, title="Paparan SAKIP", start=time(9), end=time(10))
    trek = make_item(
        program, title="Pendakian Kawah Ijen", optional=True, start=time(1), end=time(6)
    )
    delegation = make_delegation(program, members=3)
    delegation.members[0].optional_items.append(trek)
    db.session.commit()
    return program, delegation, trek


def page(delegation) -> str:
    return f"/d/{delegation.token}/import"


def upload(client, url: str, content: bytes, filename: str = "anggota.xlsx"):
    token = csrf_token(client, url)
    return client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def confirm(client, url: str, preview):
    """Post the preview page's confirm form (the preview response, or its HTML)."""
    source = preview if isinstance(preview, str) else text(preview)
    fields = [(name, html.unescape(value)) for name, value in HIDDEN.findall(source)]
    assert any(name == "csrf_token" for name, _ in fields)
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data["confirm"] = "1"
    return client.post(url, data=data)


def refused(client, delegation, content, filename="anggota.xlsx", status=422) -> str:
    before = state()
    response = upload(client, page(delegation), content, filename)
    assert response.status_code == status, text(response)[:3000]
    body = html.unescape(text(response))
    assert "Berkas tidak diimpor; tidak ada data yang diubah." in body
    assert state() == before
    return body


# --- the template ----------------------------------------------------------------------------


def test_the_template_opens_in_openpyxl_with_the_indonesian_headers(client, world, make_staff):
    _, delegation, _ = world
    contact = client.get(f"/d/{delegation.token}/import/template.xlsx")
    login(client, make_staff())
    staff = client.get("/staff/members-template.xlsx")
    for response in (contact, staff):
        assert response.status_code == 200
        assert response.mimetype.endswith("spreadsheetml.sheet")
        assert "attachment" in response.headers["Content-Disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        sheet = book.active
        headers = [cell.value for cell in sheet[1]]
        assert headers[:9] == [
            "Nama lengkap",
            "Jabatan",
            "NIP",
            "Pangkat/golongan",
            "Jenis kelamin (L/P)",
            "Telepon",
            "E-mail",
            "Pantangan makanan",
            "Peran (ketua/anggota/staf)",
        ]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet["C2"].number_format == "@" and sheet["C200"].number_format == "@"
        assert sheet.column_dimensions["A"].width > 20
    assert client.get("/d/" + "x" * 43 + "/import/template.xlsx").status_code == 404
    assert [cell.value for cell in openpyxl.load_workbook(io.BytesIO(staff.data)).active[1]] == (
        HEADERS
    ), "the general template is blank: no item columns, no members"
    blank = openpyxl.load_workbook(io.BytesIO(staff.data)).active
    assert all(cell.value is None for row in blank.iter_rows(min_row=2) for cell in row)


def filled(delegation) -> None:
    """Every column of the delegation's members holds something, as a real list does."""
    for index, member in enumerate(delegation.members):
        member.nip = f"19800202201002100{index}"
        member.rank = "Pembina (IV/a)"
        member.phone = f"+62813498765{index:02d}"
        member.email = f"peserta{index}@contoh.go.id"
        member.dietary = "vegetarian" if index == 1 else ""
    delegation.members[2].role = "staff"
    db.session.commit()


def rows_of(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True) if any(row)]


def test_the_delegation_template_holds_its_members_and_optional_items(
    client, world, make_item, make_staff
):
    program, delegation, trek = world
    filled(delegation)
    make_item(
        program, title="Batal", optional=True, start=time(20), end=time(21), status="cancelled"
    )
    response = client.get(f"/d/{delegation.token}/import/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.active
    header, *rows = rows_of(response.data)
    assert header == [*HEADERS, "Pendakian Kawah Ijen (9 Desember 2026)"]  # no cancelled item
    first, second, third = delegation.members
    assert rows == [
        [
            first.full_name, "Kepala Bagian", "198002022010021000", "Pembina (IV/a)", "P",
            "0813-4987-6500", "peserta0@contoh.go.id", None, "ketua", "ya",
        ],
        [
            second.full_name, "Kepala Bagian", "198002022010021001", "Pembina (IV/a)", "L",
            "0813-4987-6501", "peserta1@contoh.go.id", "vegetarian", "anggota", "tidak",
        ],
        [
            third.full_name, "Kepala Bagian", "198002022010021002", "Pembina (IV/a)", "P",
            "0813-4987-6502", "peserta2@contoh.go.id", None, "staf", "tidak",
        ],
    ]  # fmt: skip
    assert sheet["C2"].data_type == "s" and sheet["C2"].number_format == "@"  # NIP as text
    choices = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert choices["J2:J201"] == '"ya,tidak"'
    login(client, make_staff())
    staff = client.get(f"/staff/delegations/{delegation.public_id}/import/template.xlsx")
    assert staff.status_code == 200 and rows_of(staff.data) == [header, *rows]
    assert f"/staff/delegations/{delegation.public_id}/import/template.xlsx" in text(
        client.get(f"/staff/delegations/{delegation.public_id}/import")
    )
    assert f"/d/{delegation.token}/import/template.xlsx" in text(client.get(page(delegation)))


def test_a_name_like_a_formula_is_written_as_text(client, world):
    _, delegation, _ = world
    delegation.members[1].full_name = '=HYPERLINK("http://contoh")'
    db.session.commit()
    data = client.get(f"/d/{delegation.token}/import/template.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A3"].value == '=HYPERLINK("http://contoh")' and sheet["A3"].data_type == "s"


def test_the_downloaded_list_uploaded_unchanged_changes_nothing(client, world):
    _, delegation, _ = world
    filled(delegation)
    data = client.get(f"/d/{delegation.token}/import/template.xlsx").data
    before = state()
    preview = upload(client, page(delegation), data)
    assert preview.status_code == 200, text(preview)[:3000]
    body = html.unescape(text(preview))
    assert "0 baru, 0 diubah, 3 tetap, 0 dihapus." in body
    assert "Diubah" not in body and "Anggota yang akan dihapus" not in body
    assert confirm(client, page(delegation), preview).status_code == 303
    assert state()["members"] == before["members"]


def test_one_fixed_cell_and_one_new_choice_change_two_members_and_keep_their_links(client, world):
    _, delegation, trek = world
    filled(delegation)
    links = {m.public_id: m.token for m in delegation.members}
    data = client.get(f"/d/{delegation.token}/import/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet["B3"] = "Sekretaris Dinas"  # the second member's position
    sheet["J2"] = "tidak"  # the leader no longer joins the trek
    sheet["J4"] = "Yes"  # the third member does
    preview = upload(client, page(delegation), xlsx(book=book))
    assert preview.status_code == 200, text(preview)[:3000]
    body = html.unescape(text(preview))
    assert "0 baru, 3 diubah, 0 tetap, 0 dihapus." in body
    assert "Kepala Bagian" in body and "Sekretaris Dinas" in body
    assert "Pendakian Kawah Ijen (9 Desember 2026)" in body
    assert confirm(client, page(delegation), preview).status_code == 303
    db.session.expire_all()
    members = db.session.scalars(
        select(Member).where(Member.delegation_id == delegation.id).order_by(Member.sort_order)
    ).all()
    assert {m.public_id: m.token for m in members} == links
    assert [m.position for m in members] == ["Kepala Bagian", "Sekretaris Dinas", "Kepala Bagian"]
    assert [[i.public_id for i in m.optional_items] for m in members] == [[], [], [trek.public_id]]


def test_item_columns_by_title_alone_take_yes_and_no_and_refuse_other_words(client, world):
    _, delegation, trek = world
    headers = [*HEADERS, "pendakian kawah ijen"]
    rows = [person(0) + ["ya"], person(1) + ["no"], person(2) + [None]]
    preview = upload(client, page(delegation), xlsx(rows, headers=headers))
    assert preview.status_code == 200, text(preview)[:3000]
    fields = HIDDEN.findall(text(preview))
    assert [v for n, v in fields if n.endswith("optional_items")] == [trek.public_id]
    assert ("members-0-optional_items", trek.public_id) in fields
    body = refused(client, delegation, xlsx([person(0) + ["mungkin"]], headers=headers))
    assert "Baris 2, kolom “pendakian kawah ijen”" in body and "Tulis ya atau tidak" in body


def test_a_file_without_item_columns_keeps_the_choices(client, world):
    _, delegation, trek = world
    first = delegation.members[0]
    rows = [[m.full_name, m.position, "", "", m.gender, "", "", "", ""] for m in delegation.members]
    rows[0][8] = "ketua"
    preview = upload(client, page(delegation), xlsx(rows))
    assert "0 baru, 0 diubah, 3 tetap, 0 dihapus." in html.unescape(text(preview))
    assert ("members-0-optional_items", trek.public_id) in HIDDEN.findall(text(preview))
    assert first.optional_items == [trek]


def test_the_column_of_an_item_cancelled_since_the_download_is_ignored(client, world):
    _, delegation, trek = world
    data = client.get(f"/d/{delegation.token}/import/template.xlsx").data
    trek.status = "cancelled"
    db.session.commit()
    preview = upload(client, page(delegation), data)
    assert preview.status_code == 200, text(preview)[:3000]
    assert "0 baru, 0 diubah, 3 tetap, 0 dihapus." in html.unescape(text(preview))


def test_the_delegation_page_links_to_the_import(client, world):
    _, delegation, _ = world
    assert page(delegation) in text(client.get(f"/d/{delegation.token}"))
    response = client.get(page(delegation))
    assert response.status_code == 200
    body = text(response)
    assert "Impor anggota dari lembar kerja" in body
    assert '<meta name="referrer" content="no-referrer">' in body
    assert response.headers["Cache-Control"] == "private, no-store"


# --- preview and confirm ---------------------------------------------------------------------


def test_preview_shows_new_changed_and_removed_and_writes_nothing_until_confirm(client, world):
    _, delegation, trek = world
    first, second, third = delegation.members
    links = {m.public_id: m.token for m in delegation.members}
    removed = third.public_id
    rows = [
        [first.full_name, "Sekretaris Daerah", "", "", "P", "", "", "", "ketua"],
        [second.full_name, second.position, "", "", "L", "", "", "", "anggota"],
        person(7, full_name="Budi Santoso", role=""),
    ]
    before = state()
    preview = upload(client, page(delegation), xlsx(rows))
    assert preview.status_code == 200, text(preview)[:3000]
    body = html.unescape(text(preview))
    assert "Belum ada yang tersimpan." in body
    assert "1 baru, 1 diubah, 1 tetap, 1 dihapus." in body
    assert "Kepala Bagian" in body and "Sekretaris Daerah" in body  # old -> new
    assert "Budi Santoso" in body and "Anggota baru" in body
    assert "Anggota yang akan dihapus" in body and third.full_name in body
    assert state() == before
    fields = dict(HIDDEN.findall(text(preview)))
    assert fields["members-0-id"] == first.public_id
    assert fields["members-0-optional_items"] == trek.public_id
    assert fields["members-1-id"] == second.public_id
    assert "members-2-id" not in fields

    response = confirm(client, page(delegation), preview)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/d/{delegation.token}"
    db.session.expire_all()
    members = db.session.scalars(
        select(Member).where(Member.delegation_id == delegation.id).order_by(Member.sort_order)
    ).all()
    assert [m.full_name for m in members] == [first.full_name, second.full_name, "Budi Santoso"]
    assert members[0].position == "Sekretaris Daerah"
    assert {m.public_id: m.token for m in members[:2]} == {
        key: links[key] for key in (members[0].public_id, members[1].public_id)
    }
    assert members[0].public_id == first.public_id and members[1].public_id == second.public_id
    assert [item.public_id for item in members[0].optional_items] == [trek.public_id]
    assert members[2].role == "member" and members[2].nip == "198002022010021007"
    assert members[2].phone == "+6281345670007"
    assert removed not in {m.public_id for m in members}
    assert "Anggota berhasil diimpor: 1 baru, 1 diubah, 1 dihapus." in text(
        client.get(f"/d/{delegation.token}")
    )
    assert client.get(f"/m/{links[first.public_id]}").status_code == 200


def test_members_are_matched_by_nip_before_name(client, world):
    _, delegation, _ = world
    first = delegation.members[0]
    first.nip = "198002022010021001"
    db.session.commit()
    link = first.token
    rows = [person(1, full_name="Nama Baru Dengan Gelar", nip="1980 0202 2010 0210 01")]
    preview = upload(client, page(delegation), xlsx(rows))
    fields = dict(HIDDEN.findall(text(preview)))
    assert fields["members-0-id"] == first.public_id
    assert confirm(client, page(delegation), preview).status_code == 303
    db.session.expire_all()
    (member,) = db.session.scalars(select(Member).where(Member.delegation_id == delegation.id))
    assert member.token == link and member.full_name == "Nama Baru Dengan Gelar"


def test_english_headers_in_any_case_and_word_values(client, world):
    _, delegation, _ = world
    headers = [f"  {header.upper()} " for header in ENGLISH]
    rows = [
        person(0, gender="Perempuan", role="Leader"),
        person(1, gender="laki-laki", role="STAFF"),
        person(2, gender="F", role=""),
    ]
    preview = upload(client, page(delegation), xlsx(rows, headers=headers))
    assert preview.status_code == 200, text(preview)[:3000]
    fields = dict(HIDDEN.findall(text(preview)))
    assert [fields[f"members-{i}-gender"] for i in range(3)] == ["P", "L", "P"]
    assert [fields[f"members-{i}-role"] for i in range(3)] == ["leader", "staff", "member"]


def test_aides_are_read_from_the_words_delegations_write(client, world):
    _, delegation, _ = world
    words = ["Staf", "staff", "Staf Pendamping", "AJUDAN", "pendamping", "Staff / aide"]
    rows = [person(0, role="Ketua")] + [
        person(index + 1, role=word) for index, word in enumerate(words)
    ]
    preview = upload(client, page(delegation), xlsx(rows))
    assert preview.status_code == 200, text(preview)[:3000]
    fields = dict(HIDDEN.findall(text(preview)))
    assert [fields[f"members-{i}-role"] for i in range(len(rows))] == ["leader"] + ["staff"] * 6
    assert confirm(client, page(delegation), preview).status_code == 303
    db.session.expire_all()
    saved = db.session.scalars(
        select(Member).where(Member.delegation_id == delegation.id).order_by(Member.sort_order)
    ).all()
    assert [member.role for member in saved] == ["leader"] + ["staff"] * 6


def test_without_a_role_column_everyone_is_a_member(client, world):
    _, delegation, _ = world
    role = HEADERS.index(next(c.header for c in COLUMNS if c.field == "role"))
    headers = HEADERS[:role] + HEADERS[role + 1 :]
    rows = [person(index)[:role] + person(index)[role + 1 :] for index in range(2)]
    preview = upload(client, page(delegation), xlsx(rows, headers=headers))
    assert preview.status_code == 200, text(preview)[:3000]
    fields = dict(HIDDEN.findall(text(preview)))
    assert [fields[f"members-{i}-role"] for i in range(2)] == ["member", "member"]


def test_a_windows_1252_csv_with_semicolons(client, world):
    _, delegation, _ = world
    rows = [person(0, full_name="José Müller"), person(1, position="Kabag Umum; Protokol")]
    content = csv_file(rows, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    preview = upload(client, page(delegation), content, "anggota.csv")
    assert preview.status_code == 200, text(preview)[:3000]
    body = html.unescape(text(preview))
    assert "José Müller" in body and "Kabag Umum; Protokol" in body
    assert confirm(client, page(delegation), preview).status_code == 303
    db.session.expire_all()
    names = set(db.session.scalars(select(Member.full_name)))
    assert "José Müller" in names


def test_a_utf8_csv_with_byte_order_mark(client, world):
    _, delegation, _ = world
    rows = [person(0, full_name="Ni Luh Ayu Ṣari"), person(1)]
    preview = upload(client, page(delegation), csv_file(rows, bom=True), "anggota.csv")
    assert preview.status_code == 200, text(preview)[:3000]
    assert "Ni Luh Ayu Ṣari" in html.unescape(text(preview))
    fields = dict(HIDDEN.findall(text(preview)))
    assert fields["members-0-full_name"] == "Ni Luh Ayu Ṣari"  # no BOM stuck to the header


# --- all or nothing, limits, capacity --------------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing_and_names_row_and_column(client, world):
    _, delegation, _ = world
    rows = [person(i) for i in range(6)]
    rows[3] = person(3, phone="12345")
    body = refused(client, delegation, xlsx(rows))
    assert "Baris 5, kolom “Telepon”:" in body  # header is row 1, so the 4th member is row 5
    assert body.count("Baris ") == 1


def test_duplicates_name_the_spreadsheet_rows(client, world):
    _, delegation, _ = world
    rows = [person(0), person(1), person(2, full_name="anggota  IMPOR 0", nip="")]
    rows.insert(1, [None] * len(HEADERS))  # an empty row: skipped, but rows keep their numbers
    body = refused(client, delegation, xlsx(rows))
    assert "Baris 5, kolom “Nama lengkap”: Nama sama dengan baris 2." in body


def test_the_member_limit_applies(client, world, make_program, make_delegation):
    program = make_program(members_per_delegation=5)
    delegation = make_delegation(program, members=2)
    body = refused(client, delegation, xlsx([person(i) for i in range(6)]))
    assert "paling banyak 5 anggota" in body


def test_capacity_is_checked_before_the_preview_and_again_on_confirm(
    client, make_program, make_delegation, make_staff
):
    program = make_program(max_participants=6)
    make_delegation(program, members=3)
    delegation = make_delegation(program, members=2)
    full = "Kuota yang tersisa di program ini tidak cukup untuk anggota sebanyak ini."
    body = refused(client, delegation, xlsx([person(i) for i in range(4)]), status=409)
    assert full in body
    preview = upload(client, page(delegation), xlsx([person(i) for i in range(3)]))
    assert preview.status_code == 200
    make_delegation(program, members=1)  # someone takes the last seat meanwhile
    before = state()
    response = confirm(client, page(delegation), preview)
    assert response.status_code == 409 and full in html.unescape(text(response))
    assert state() == before
    login(client, make_staff())  # staff get the same cap
    staff_url = f"/staff/delegations/{delegation.public_id}/import"
    response = upload(client, staff_url, xlsx([person(i) for i in range(4)]))
    assert response.status_code == 409 and full in html.unescape(text(response))
    assert state() == before


def test_rows_keep_their_spreadsheet_numbers_around_skipped_rows(client, world):
    _, delegation, _ = world
    gender_only = [None] * len(HEADERS)
    gender_only[4] = "L"  # nothing but a gender: an empty row, as in the edit form
    rows = [person(0), gender_only, person(1)]
    preview = upload(client, page(delegation), xlsx(rows))
    assert preview.status_code == 200, text(preview)[:3000]
    assert re.findall(r'<td class="import-preview__row"[^>]*>(\d+)</td>', text(preview)) == [
        "2",
        "4",
    ]
    body = refused(client, delegation, xlsx([*rows, person(2, email="bukan-email")]))
    assert "Baris 5, kolom “E-mail”:" in body


def test_a_file_of_500_rows_is_refused_before_checking(client, world):
    _, delegation, _ = world
    body = refused(client, delegation, xlsx([person(i) for i in range(500)]))
    assert "500 baris anggota" in body and "paling banyak 200 baris" in body
    assert "paling banyak 30 anggota" in body


def test_the_confirm_step_checks_again(client, world):
    _, delegation, _ = world
    url = page(delegation)
    preview = upload(client, url, xlsx())
    before = state()
    tampered = re.sub(r'(name="members-0-nip" value=")[^"]*', r"\g<1>12345", text(preview), count=1)
    assert 'value="12345"' in tampered
    response = confirm(client, url, tampered)
    assert response.status_code == 422
    assert "NIP harus 18 angka" in html.unescape(text(response))
    assert state() == before


# --- files that are refused ------------------------------------------------------------------


def test_unknown_and_missing_headers(client, world):
    _, delegation, _ = world
    headers = ["Nama Pegawai", "Jabatan", "NIP", "Golongan Darah"]
    body = refused(client, delegation, xlsx([["Budi", "Staf", "", "O"]], headers=headers))
    assert "tidak dikenali: “Nama Pegawai”, “Golongan Darah”" in body
    assert "Kolom “Nama lengkap” tidak ada pada baris judul." in body
    assert "“Pantangan makanan”" in body and "Full name" in body


@pytest.mark.parametrize("filename", ["anggota.xlsx", "anggota.csv"])
def test_an_empty_file(client, world, filename):
    _, delegation, _ = world
    assert "Berkas kosong." in refused(client, delegation, b"", filename)


def test_a_header_without_members(client, world):
    _, delegation, _ = world
    body = refused(client, delegation, xlsx([]))
    assert "tidak ada anggota" in body


def test_no_file_chosen(client, world):
    _, delegation, _ = world
    before = state()
    url = page(delegation)
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 422
    assert "Belum ada berkas yang dipilih." in text(response)
    assert state() == before


def test_a_file_over_2_mb_gets_a_clear_message(client, world):
    _, delegation, _ = world
    content = csv_file([person(0)]) + b"x" * (2 * 1024 * 1024)
    assert "lebih besar dari 2 MB" in refused(client, delegation, content, "anggota.csv")


def test_a_20_mb_upload_is_refused_by_the_app_wide_cap(client, world):
    _, delegation, _ = world
    before = state()
    token = csrf_token(client, page(delegation))
    response = client.post(
        page(delegation),
        data={"csrf_token": token, "file": (io.BytesIO(b"0" * (20 * 1024 * 1024)), "a.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert state() == before


def test_a_zip_of_text_files_renamed_xlsx(client, world):
    _, delegation, _ = world
    content = zipped({"catatan.txt": "bukan lembar kerja", "lain/data.txt": "x"})
    assert "bukan buku kerja .xlsx yang dapat dibaca" in refused(client, delegation, content)
    fake = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<rusak"})
    assert "bukan buku kerja .xlsx yang dapat dibaca" in refused(client, delegation, fake)
    truncated = xlsx()[:3000]
    assert "bukan buku kerja .xlsx yang dapat dibaca" in refused(client, delegation, truncated)
    assert "bukan buku kerja" in refused(client, delegation, b"Nama;Jabatan\n", "anggota.xlsx")


def test_macro_enabled_workbooks_are_refused(client, world):
    _, delegation, _ = world
    good = xlsx()
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    with_vba = zipped({**files, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    message = "simpan sebagai buku kerja .xlsx biasa"
    assert message in refused(client, delegation, with_vba, "anggota.xlsx")
    assert message in refused(client, delegation, good, "anggota.xlsm")
    types = files["[Content_Types].xml"].replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert message in refused(client, delegation, zipped({**files, "[Content_Types].xml": types}))


def test_merged_cells_are_refused_naming_the_range(client, world):
    _, delegation, _ = world
    book = workbook([person(i) for i in range(3)])
    book.active.merge_cells("B3:C3")
    body = refused(client, delegation, xlsx(book=book))
    assert "sel yang digabung (B3:C3)" in body


def test_a_cell_excel_turned_into_a_date(client, world):
    _, delegation, _ = world
    rows = [person(0), person(1, rank=datetime(2024, 3, 4))]
    body = refused(client, delegation, xlsx(rows))
    assert "Baris 3, kolom “Pangkat/golongan”: Excel mengubah isi sel ini menjadi tanggal" in body


def test_a_nip_excel_turned_into_a_number(client, world):
    _, delegation, _ = world
    rows = [person(0), person(1, nip=1.98002022010021e17), person(2, nip=198002022010021002)]
    body = refused(client, delegation, xlsx(rows))
    assert "Baris 3, kolom “NIP”: Excel mengubah NIP ini menjadi angka" in body
    assert "Baris 4, kolom “NIP”" in body and "15 digit" in body


def test_a_nip_typed_as_scientific_text_is_refused_by_the_nip_rule(client, world):
    _, delegation, _ = world
    body = refused(client, delegation, csv_file([person(0, nip="1.98E+17")]), "a.csv")
    assert "Baris 2, kolom “NIP”: NIP ini berubah menjadi angka seperti 1.98E+17" in body


def test_other_files_are_refused(client, world):
    _, delegation, _ = world
    assert "Berkas ini bukan berkas .xlsx atau .csv." in refused(
        client, delegation, b"%PDF-1.7", "a.pdf"
    )
    assert "97-2003" in refused(client, delegation, b"\xd0\xcf\x11\xe0" + b"\0" * 600, "a.xls")
    binary = refused(client, delegation, b"Nama lengkap,Jabatan\n\x00\x01", "a.csv")
    assert "bukan berkas teks .csv" in binary


# --- who may import --------------------------------------------------------------------------


def test_contacts_cannot_import_after_registration_closes_but_staff_can(
    client, make_program, make_delegation, make_staff
):
    program = make_program(registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    delegation = make_delegation(program, members=2)
    url = page(delegation)
    assert client.get(url).status_code == 303
    token = csrf_token(client)
    before = state()
    response = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(xlsx()), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303 and state() == before
    assert url not in text(client.get(f"/d/{delegation.token}"))

    login(client, make_staff())
    staff_url = f"/staff/delegations/{delegation.public_id}/import"
    assert staff_url in text(client.get(f"/staff/delegations/{delegation.public_id}"))
    preview = upload(client, staff_url, xlsx())
    assert preview.status_code == 200, text(preview)[:3000]
    response = confirm(client, staff_url, preview)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/delegations/{delegation.public_id}"
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Member).where(Member.delegation_id == delegation.id)
        )
        == 3
    )


def test_cancelled_delegations_cannot_import(client, make_program, make_delegation):
    delegation = make_delegation(make_program(), status=DelegationStatus.CANCELLED)
    assert client.get(page(delegation)).status_code == 303


def test_strange_cells_are_refused_or_imported_never_a_server_error(client, world):
    _, delegation, _ = world
    strange = [
        person(0, full_name='=HYPERLINK("http://x")', position=True),
        person(1, phone=81345670001.0, dietary="🥗 vegetarian"),
        person(2, full_name="Nama\u2028Berbaris"),
        person(3, position="x" * 5000),
        person(4, gender="X", role="kepala"),
        person(5, email=-1),
    ]
    before = state()
    response = upload(client, page(delegation), xlsx(strange))
    assert response.status_code == 422
    body = html.unescape(text(response))
    assert "Baris 6, kolom “Jenis kelamin (L/P)”: Isi dengan L (laki-laki) atau P" in body
    role = "Baris 6, kolom “Peran (ketua/anggota/staf)”: Isi dengan ketua, anggota atau staf"
    assert role in body
    assert "Baris 4, kolom “Nama lengkap”: Hapus karakter kendali" in body
    assert state() == before
    # A formula that was never calculated has no value: its cell reads as empty.
    assert "Baris 2, kolom “Nama lengkap”: Isian ini wajib diisi." in body
    good = upload(client, page(delegation), xlsx([person(0, position=True), strange[1]]))
    assert good.status_code == 200, text(good)[:3000]
    fields = dict(HIDDEN.findall(text(good)))
    assert fields["members-1-phone"] == "+6281345670001"


@pytest.mark.parametrize("name", [name for name in bombs.BOMBS if "1,048,576" not in name])
def test_every_bomb_is_refused_and_nothing_changes(client, world, name):
    _, delegation, _ = world
    filename = "anggota.csv" if "CSV" in name else "anggota.xlsx"
    before = state()
    response = upload(client, page(delegation), bombs.BOMBS[name](), filename)
    assert response.status_code == 422
    assert "lebih dari sebuah daftar anggota" in html.unescape(text(response))
    assert state() == before


def test_a_stray_cell_in_the_last_row_is_no_reason_to_refuse_the_list(client, world):
    _, delegation, _ = world
    response = upload(client, page(delegation), bombs.far_row())
    assert response.status_code == 200, text(response)[:3000]
    fields = dict(HIDDEN.findall(text(response)))
    assert [fields.get(f"members-{n}-full_name") for n in range(4)] == [
        "Anggota 0",
        "Anggota 1",
        "Anggota 2",
        None,
    ]


def test_an_honest_list_of_200_is_read():
    sheet = spreadsheet.read_members_file("anggota.xlsx", bombs.honest_list(200), 200)
    assert len(sheet.rows) == 200


def test_the_largest_file_the_limits_let_in_is_read_to_the_end():
    with pytest.raises(spreadsheet.ImportRefused) as refused:
        spreadsheet.read_members_file("anggota.xlsx", bombs.at_every_limit(), 200)
    assert "999 member rows" in str(refused.value.messages[0])
