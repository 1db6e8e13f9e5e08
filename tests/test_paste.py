"""Pasting a member list into the registration and edit forms: what the reader makes of a
spreadsheet copy or a WhatsApp list, and the no-JavaScript round trip (paste, check, send)."""

from html import unescape

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from planner.core.database import db
from planner.delegations.models import Delegation, Member
from planner.delegations.pasting import read_list
from tests.helpers import csrf_token, form_on, nip, post_back, register, registration_form, text


def rows(pasted: str) -> list[dict]:
    return read_list(pasted).rows


# --- the reader ----------------------------------------------------------------------------


def test_tab_separated_cells_from_a_spreadsheet_in_the_forms_column_order():
    pasted = (
        "Drs. H. Ahmad Yani, M.Si.\tKepala Dinas\t198501012010011001\tPembina (IV/a)\tL\t"
        "0812 3456 7890\tahmad@contoh.go.id\tvegetarian\n"
        "Siti Aminah, S.E.\tSekretaris\t198601012010012002\n"
    )
    assert rows(pasted) == [
        {
            "full_name": "Drs. H. Ahmad Yani, M.Si.",  # a comma inside a cell stays
            "position": "Kepala Dinas",
            "nip": "198501012010011001",
            "rank": "Pembina (IV/a)",
            "gender": "L",
            "phone": "0812 3456 7890",
            "email": "ahmad@contoh.go.id",
            "dietary": "vegetarian",
        },
        {"full_name": "Siti Aminah, S.E.", "position": "Sekretaris", "nip": "198601012010012002"},
    ]


def test_semicolons_and_written_out_genders():
    assert rows("Ahmad Yani;Kepala Dinas;;;Laki-laki\nSiti Aminah;Sekretaris;;;perempuan") == [
        {"full_name": "Ahmad Yani", "position": "Kepala Dinas", "nip": "", "rank": "",
         "gender": "L"},
        {"full_name": "Siti Aminah", "position": "Sekretaris", "nip": "", "rank": "",
         "gender": "P"},
    ]  # fmt: skip


def test_commas_keep_a_names_degrees_with_the_name():
    assert rows("Dr. Hj. Siti Aminah, S.H., M.Si., Kepala Bagian Umum, 198601012010012002") == [
        {
            "full_name": "Dr. Hj. Siti Aminah, S.H., M.Si.",
            "position": "Kepala Bagian Umum",
            "nip": "198601012010012002",
        }
    ]
    assert rows("Budi Santoso, SE, MM, Kabag. Umum")[0] == {
        "full_name": "Budi Santoso, SE, MM",
        "position": "Kabag. Umum",
    }


def test_quotes_from_a_spreadsheet_copy():
    pasted = '"Siti ""Ina"" Aminah"\t"Kepala Seksi\tPelayanan"\n"Budi\nSantoso"\tStaf'
    # A cell's tabs and line breaks become spaces: every member field is one line.
    assert rows(pasted) == [
        {"full_name": 'Siti "Ina" Aminah', "position": "Kepala Seksi Pelayanan"},
        {"full_name": "Budi Santoso", "position": "Staf"},
    ]
    semicolons = rows('"Ahmad; Yani";Kepala Dinas\n"Budi";"Staf; Umum"')
    assert semicolons == [
        {"full_name": "Ahmad; Yani", "position": "Kepala Dinas"},
        {"full_name": "Budi", "position": "Staf; Umum"},
    ]


def test_an_unclosed_quote_swallows_no_other_line():
    assert rows('"Ahmad Yani\tKepala\nBudi\tStaf') == [
        {"full_name": '"Ahmad Yani', "position": "Kepala"},
        {"full_name": "Budi", "position": "Staf"},
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Nama\tJabatan\tNIP",
        "NAMA LENGKAP\tJABATAN\tNIP",
        "Full name\tPosition\tNIP",
        "Name;Position;NIP",
    ],
)
def test_a_header_line_is_skipped(header):
    separator = ";" if ";" in header else "\t"
    pasted = f"{header}\nAhmad Yani{separator}Kepala Dinas{separator}198501012010011001"
    found = read_list(pasted)
    assert found.header
    assert found.rows == [
        {"full_name": "Ahmad Yani", "position": "Kepala Dinas", "nip": "198501012010011001"}
    ]


def test_a_header_says_the_order_and_a_number_column_is_dropped():
    pasted = (
        "No\tNIP\tNama\tJenis kelamin\tKeterangan\tJabatan\n"
        "1\t198501012010011001\tAhmad Yani\tP\tcatatan\tKepala Dinas"
    )
    assert rows(pasted) == [
        {"nip": "198501012010011001", "full_name": "Ahmad Yani", "gender": "P",
         "position": "Kepala Dinas"}
    ]  # fmt: skip


def test_a_whatsapp_list_numbered_with_a_title_and_blank_lines():
    pasted = (
        "Daftar peserta rombongan Kab. Seruyan:\n\n"
        "1. Ahmad Yani\n"
        "2) Siti Aminah\n"
        "   \n"
        "3.Budi Santoso\n"
        "- Rina Wulandari\n"
        "10. Dewi Lestari\n"
    )
    assert [row["full_name"] for row in rows(pasted)] == [
        "Ahmad Yani",
        "Siti Aminah",
        "Budi Santoso",
        "Rina Wulandari",
        "Dewi Lestari",
    ]


def test_a_number_column_without_a_header_is_numbering():
    assert rows("1\tAhmad Yani\tKepala Dinas\n2\tBudi\tStaf")[1] == {
        "full_name": "Budi",
        "position": "Staf",
    }


def test_names_only_and_nothing_at_all():
    assert rows("Ahmad Yani\nSiti Aminah") == [
        {"full_name": "Ahmad Yani"},
        {"full_name": "Siti Aminah"},
    ]
    assert rows("") == [] and rows("\n  \n\t\n") == [] and rows("Daftar peserta:") == []


def test_values_the_form_refuses_are_kept_as_pasted():
    found = rows("Ahmad\tKepala\t19850101abc\tIV/a\tX")[0]
    assert found["nip"] == "19850101abc" and found["gender"] == "X"


# --- the form, without JavaScript ----------------------------------------------------------


@pytest.fixture
def program(make_program):
    return make_program(max_participants=200)


def register_page(program) -> str:
    return f"/programs/{program.slug}/register"


def people(count: int, batch: int = 7) -> str:
    return "\n".join(
        f"{index + 1}. Peserta Tempel {index + 1}\tKepala Bidang\t{nip(index, batch)}"
        for index in range(count)
    )


def paste(client, page: str, pasted: str, **fields):
    """The registration form as typed so far, with a list in the box and the paste button."""
    data = MultiDict(registration_form(members=0))
    data.update({"csrf_token": csrf_token(client, page), "paste_text": pasted, "paste": "1"})
    for name, value in fields.items():
        data[name] = value
    return client.post(page, data=data)


def member_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Member))


def test_the_paste_button_fills_the_rows_and_saves_nothing_then_register_does(client, program):
    page = register_page(program)
    response = paste(
        client,
        page,
        "Nama\tJabatan\tNIP\n" + people(30),
        **{"members-0-full_name": "", "members-1-full_name": ""},
    )
    assert response.status_code == 200
    html = unescape(text(response))
    assert "30 orang terbaca dari daftar yang ditempel" in html
    form = form_on(html, "members-29-full_name")
    data = MultiDict(form["fields"])
    assert data["members-0-full_name"] == "Peserta Tempel 1"
    assert data["members-29-full_name"] == "Peserta Tempel 30"
    assert data["members-29-nip"] == nip(29, 7)
    assert data["members-29-position"] == "Kepala Bidang"
    assert data["institution"] == "Pemerintah Kabupaten Seruyan"  # what was typed stays
    assert data["paste_text"].strip() == ""  # the list is in the rows now, not twice
    assert "members-30-full_name" not in data
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0
    # The contact checks the rows and registers: the page as shown, sent.
    registered = client.post(page, data=data)
    assert registered.status_code == 303, unescape(text(registered))[-3000:]
    delegation = db.session.scalar(select(Delegation))
    assert len(delegation.members) == 30
    assert delegation.members[29].full_name == "Peserta Tempel 30"


def test_pasted_people_come_after_the_rows_already_filled(client, program):
    page = register_page(program)
    typed = {
        "members-0-full_name": "Ketua Diketik",
        "members-0-position": "Bupati",
        "members-0-role": "leader",
        "members-1-full_name": "",
        "members-2-full_name": "",
    }
    response = paste(client, page, "Ahmad Yani\tKepala\nBudi\tStaf\nRina\tStaf", **typed)
    data = MultiDict(form_on(text(response), "members-0-full_name")["fields"])
    names = [data.get(f"members-{index}-full_name") for index in range(5)]
    assert names == ["Ketua Diketik", "Ahmad Yani", "Budi", "Rina", None]
    assert data["members-0-role"] == "leader"


def test_more_people_than_the_limit_fill_up_to_it_and_say_how_many_were_left_out(
    client, make_program
):
    program = make_program(members_per_delegation=10)
    response = paste(
        client,
        register_page(program),
        people(13),
        **{"members-0-full_name": "Ketua Diketik", "members-0-position": "Bupati"},
    )
    html = unescape(text(response))
    data = MultiDict(form_on(html, "members-0-full_name")["fields"])
    assert data["members-9-full_name"] == "Peserta Tempel 9"
    assert "members-10-full_name" not in data
    assert "9 orang terbaca" in html
    assert "4 people were left out" in html or "4 orang" in html
    assert member_count() == 0


def test_a_list_left_in_the_box_is_pasted_when_the_form_is_sent(client, program):
    page = register_page(program)
    data = registration_form(members=1)
    data.update({"csrf_token": csrf_token(client, page), "paste_text": "Budi\tStaf", "save": "1"})
    response = client.post(page, data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0
    fields = MultiDict(form_on(text(response), "members-1-full_name")["fields"])
    assert fields["members-1-full_name"] == "Budi"


def test_a_wrong_nip_and_gender_fill_the_row_and_registering_names_them(client, program):
    page = register_page(program)
    response = paste(client, page, "Ahmad Yani\tKepala Dinas\t19850101abc\tIV/a\tX")
    html = text(response)
    data = MultiDict(form_on(html, "members-0-full_name")["fields"])
    assert data["members-0-nip"] == "19850101abc"
    assert data["members-0-gender"] == "X"  # shown as pasted, not silently dropped
    assert 'id="members-0-nip-error"' not in html  # nothing is checked before sending
    refused = client.post(page, data=data)
    assert refused.status_code == 422
    page_text = unescape(text(refused))
    assert 'id="members-0-nip-error"' in page_text and 'id="members-0-gender-error"' in page_text
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0


def test_a_box_with_no_one_in_it_says_so_at_the_box(client, program):
    response = paste(client, register_page(program), "Daftar peserta:\n\n")
    assert response.status_code == 422
    html = text(response)
    assert 'id="paste_text-error"' in html and 'href="#paste_text"' in html


def test_the_paste_button_checks_the_csrf_token(client, program):
    data = registration_form(members=0)
    data.update({"paste_text": "Ahmad Yani", "paste": "1"})
    response = client.post(register_page(program), data=data)
    assert response.status_code == 400
    assert "Ahmad Yani" not in text(response)


def test_the_edit_page_pastes_into_its_rows_and_saves_nothing(client, program):
    location = register(client, program, members=2).headers["Location"]
    edit = f"{location}/edit"
    form = form_on(text(client.get(edit)), "members-0-full_name")
    data = MultiDict(form["fields"])
    data["paste_text"] = "Nama;Jabatan\nAhmad Yani;Kepala Dinas\nBudi;Staf"
    data["paste"] = "1"
    response = client.post(edit, data=data)
    assert response.status_code == 200
    shown = MultiDict(form_on(text(response), "members-0-full_name")["fields"])
    assert [shown.get(f"members-{index}-full_name") for index in range(4)] == [
        "Peserta Nomor 1",
        "Peserta Nomor 2",
        "Ahmad Yani",
        "Budi",
    ]
    assert shown["members-0-id"]  # the members already listed keep who they are
    assert member_count() == 2
    saved = client.post(edit, data=shown)
    assert saved.status_code == 303, unescape(text(saved))[-3000:]
    db.session.expire_all()
    assert member_count() == 4


def test_the_staff_edit_page_pastes_into_its_rows_and_saves_nothing(program, staff_client):
    register(staff_client, program, members=1)
    delegation = db.session.scalar(select(Delegation))
    edit = f"/staff/delegations/{delegation.public_id}/edit"
    page = text(staff_client.get(edit))
    # The same box as the contact's, read at once by the same script with JavaScript.
    assert 'name="paste_text"' in page and "data-paste-rules=" in page
    assert "/static/js/paste.js" in page
    data = MultiDict(form_on(page, "members-0-full_name")["fields"])
    data["paste_text"] = "1. Ahmad Yani\tKepala Dinas\t199001012015031001\n2. Budi Santoso\tStaf"
    data["paste"] = "1"
    response = staff_client.post(edit, data=data)
    assert response.status_code == 200
    shown = MultiDict(form_on(text(response), "members-0-full_name")["fields"])
    assert [shown.get(f"members-{index}-full_name") for index in range(3)] == [
        "Peserta Nomor 1",
        "Ahmad Yani",
        "Budi Santoso",
    ]
    assert shown["members-1-nip"] == "199001012015031001"
    assert member_count() == 1  # nothing saved until the form is sent
    saved = staff_client.post(edit, data=shown)
    assert saved.status_code == 303, unescape(text(saved))[-3000:]
    assert saved.location.endswith(f"/staff/delegations/{delegation.public_id}")
    db.session.expire_all()
    assert member_count() == 3


def test_the_staff_paste_checks_the_csrf_token(program, staff_client):
    register(staff_client, program, members=1)
    delegation = db.session.scalar(select(Delegation))
    edit = f"/staff/delegations/{delegation.public_id}/edit"
    response = staff_client.post(edit, data={"paste_text": "Ahmad Yani", "paste": "1"})
    assert response.status_code == 400 and "Ahmad Yani" not in text(response)


def test_post_back_of_the_shown_form_sends_no_paste(client, program):
    """The box posts empty and the buttons are not sent: a normal save stays a save."""
    response = post_back(client, register_page(program), "institution")
    assert response.status_code == 422  # the empty form's errors, not a paste
    assert 'id="paste_text-error"' not in text(response)
