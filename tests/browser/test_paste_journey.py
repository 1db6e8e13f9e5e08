"""A contact on a 375 px phone pastes a list of 30 people (copied from a spreadsheet: names,
positions, NIPs separated by tabs) into the registration form and registers the delegation;
and the same box without JavaScript."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import Delegation
from planner.delegations.pasting import COLUMNS, read_list
from planner.programs.models import Program, ProgramStatus
from tests.browser.conftest import PHONE, screenshot, serious_violations


def open_program(server, slug: str) -> str:
    """A published program taking registrations today (the demo's may have closed)."""
    with server.app.app_context():
        first_day = date.today() + timedelta(days=21)
        db.session.add(
            Program(
                slug=slug,
                title="Studi Tiru Pelayanan Publik",
                first_day=first_day,
                last_day=first_day + timedelta(days=1),
                timezone="Asia/Jakarta",
                status=ProgramStatus.PUBLISHED,
                max_participants=200,
            )
        )
        db.session.commit()
    return f"{server.url}/programs/{slug}/register"


def spreadsheet_copy(count: int) -> str:
    """What Excel puts on the clipboard for a header row and `count` people."""
    lines = ["No\tNama\tJabatan\tNIP"]
    for index in range(count):
        nip = f"19800101200501{index + 1:04d}"
        lines.append(
            f"{index + 1}\tPeserta Tempel {index + 1}, S.E.\tKepala Seksi {index + 1}\t{nip}"
        )
    return "\r\n".join(lines) + "\r\n"


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def fill_the_delegation(page, institution: str = "Pemerintah Kabupaten Banggai") -> None:
    for field, value in {
        "#institution": institution,
        "#province": "Sulawesi Tengah",
        "#leader_name": "Ir. H. Amirudin Tamoreka",
        "#leader_title": "Bupati Banggai",
        "#contact-name": "Nurhayati Lamusu",
        "#contact-phone": "0813 4111 2233",
        "#contact-email": "protokol@banggaikab.go.id",
    }.items():
        page.fill(field, value)


def test_a_contact_pastes_thirty_people_on_a_phone_and_registers(live_server, browser_page):
    page = browser_page(PHONE)
    page.goto(open_program(live_server, "studi-tiru-tempel"))
    fill_the_delegation(page)
    box = page.locator("#paste_text")
    box.scroll_into_view_if_needed()
    assert sideways(page) <= 0, "the form scrolls sideways at 375 px"
    screenshot(page, "paste-before-phone")
    assert page.locator("[data-member-row]").count() == 3

    box.fill(spreadsheet_copy(30))
    page.click("[data-paste-button]")
    notice = page.locator("[data-paste-notice]")
    assert re.match(r"30 (orang|people) ", notice.inner_text()), notice.inner_text()
    assert page.url.endswith("/register")  # filled in the page, nothing sent
    assert page.locator("[data-member-row]").count() == 30
    assert page.locator("#members-0-full_name").input_value() == "Peserta Tempel 1, S.E."
    assert page.locator("#members-29-full_name").input_value() == "Peserta Tempel 30, S.E."
    assert page.locator("#members-29-position").input_value() == "Kepala Seksi 30"
    assert page.locator("#members-29-nip").input_value() == "198001012005010030"
    assert page.locator("[data-member-count]").inner_text().startswith("30 ")
    assert page.locator("[data-add-row]").is_hidden()  # 30 is the limit
    assert box.input_value() == ""
    assert page.locator("[data-paste-button]").evaluate("b => b === document.activeElement")
    assert sideways(page) <= 0, "the filled form scrolls sideways at 375 px"
    screenshot(page, "paste-after-phone")
    page.locator("#members-29-full_name").scroll_into_view_if_needed()
    # Three more than the limit: none is taken, and the notice says so.
    box.fill("Satu\nDua\nTiga")
    page.click("[data-paste-button]")
    assert re.match(r"3 (orang|people) ", notice.inner_text()), notice.inner_text()
    assert page.locator("[data-member-row]").count() == 30
    assert page.locator("#members-29-full_name").input_value() == "Peserta Tempel 30, S.E."
    with live_server.app.app_context():
        assert (
            db.session.scalar(
                select(Delegation).filter_by(institution="Pemerintah Kabupaten Banggai")
            )
            is None
        )

    page.click("button[name=save]")
    page.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
    assert "Peserta Tempel 30, S.E." in page.inner_text("main")
    screenshot(page, "paste-registered-phone")
    with live_server.app.app_context():
        delegation = db.session.scalar(
            select(Delegation).filter_by(institution="Pemerintah Kabupaten Banggai")
        )
        members = [(m.full_name, m.position, m.nip) for m in delegation.members]
    assert len(members) == 30
    assert members[9] == ("Peserta Tempel 10, S.E.", "Kepala Seksi 10", "198001012005010010")


def test_without_javascript_the_button_fills_the_rows_on_the_server(live_server, chromium):
    context = chromium.new_context(viewport=PHONE, locale="id", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(open_program(live_server, "studi-tiru-tempel-tanpa-js"))
        fill_the_delegation(page, "DPRD Kabupaten Banggai")
        page.fill("#members-0-full_name", "Ir. H. Amirudin Tamoreka")
        page.fill("#members-0-position", "Bupati Banggai")
        page.fill(
            "#paste_text", "1. Nurhayati Lamusu; Kepala Bagian Protokol\n2. Rahmat Said; Ajudan\n"
        )
        page.click("[data-paste-button]")
        assert page.url.endswith("/register#paste")  # back at the box, its notice in view
        assert re.match(r"2 (orang|people) ", page.inner_text("[data-paste-notice]"))
        assert page.locator("#members-1-full_name").input_value() == "Nurhayati Lamusu"
        assert page.locator("#members-2-position").input_value() == "Ajudan"
        assert page.locator("#institution").input_value() == "DPRD Kabupaten Banggai"
        assert sideways(page) <= 0
        page.click("button[name=save]")
        page.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
        assert "Rahmat Said" in page.inner_text("main")
    finally:
        context.close()


SAMPLES = [
    "No\tNIP\tNama\tJenis kelamin\tJabatan\n"
    "1\t198501012010011001\tAhmad Yani\tperempuan\tKepala Dinas\n2\t\tBudi\tX\tStaf\n",
    "Daftar peserta rombongan:\n1. Dr. Hj. Siti Aminah, S.H., M.Si., Kepala Bagian Umum\n"
    "2) Budi Santoso, SE, MM, Kabag. Umum\n\n- Rina Wulandari\n10. Dewi",
    '"Siti ""Ina"" Aminah"\t"Kepala Seksi\nPelayanan"\r\nBudi\tStaf\t\tIV/a\tLaki-laki',
    "Nama;Jabatan;Peran\nAhmad;Kepala;Ketua\nBudi;Staf;staf\n",
    '"Ahmad Yani\tKepala\nBudi\tStaf\n3\tRina\tStaf',
    "Ahmad;Kepala;19850101abc;IV/a;L;0812 1;a@b.id;vegetarian;lebih",
]


def test_the_browser_reads_a_list_as_the_server_does(live_server, browser_page):
    url = open_program(live_server, "studi-tiru-tempel-sama")
    page = browser_page(PHONE)
    for sample in SAMPLES:
        expected = read_list(sample).rows
        page.goto(url)
        page.fill("#paste_text", sample)
        page.click("[data-paste-button]")
        shown = page.evaluate(
            """([count, names]) => Array.from({length: count}, (_, i) => Object.fromEntries(
                names.map(n => [n, document.getElementById(`members-${i}-${n}`).value])))""",
            [len(expected), [*COLUMNS, "role"]],
        )
        assert shown == [
            {name: row.get(name, "member" if name == "role" else "") for name in [*COLUMNS, "role"]}
            for row in expected
        ], sample
        after = page.locator(f"#members-{len(expected)}-full_name")
        assert after.count() == 0 or after.input_value() == ""


def test_the_filled_form_passes_axe_on_a_phone(live_server, browser_page, axe_source):
    page = browser_page(PHONE)
    page.goto(open_program(live_server, "studi-tiru-tempel-axe"))
    page.fill("#paste_text", "Ahmad Yani\tKepala Dinas\t19850101abc\tIV/a\tX\nBudi\tStaf")
    page.click("[data-paste-button]")
    assert page.locator("#members-0-gender").input_value() == "X"
    assert serious_violations(page, axe_source) == []
    height = page.locator("[data-paste-button]").bounding_box()["height"]
    assert height >= 44, f"the paste button is {height}px high"
