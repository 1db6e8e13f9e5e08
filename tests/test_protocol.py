"""Order of precedence and the printable sheets protocol staff use."""

import re
from datetime import date

import pytest

from planner.core.database import db
from planner.delegations.models import DelegationStatus, Member
from planner.protocol import precedence, views
from planner.protocol.models import PrecedenceRule
from tests.helpers import count_queries, login, post, text

RULES = [
    ("bupati", 10),
    ("wakil bupati", 11),
    ("sekretaris daerah", 14),
    ("kepala dinas", 22),
    ("kepala bagian", 30),
    ("kepala subbagian", 40),
    ("staf", 70),
]
POSITIONS = [
    "Staf Protokol",
    "Kepala Subbagian Kinerja",
    "Kepala Dinas Kominfo",
    "Wakil Bupati Seruyan",
    "Sekretaris Daerah",
    "Kepala Bagian Hukum",
    "Bupati Seruyan",
    "Pengemudi",
    "Kepala Bagian Umum",
    "Kepala Dinas PU",
]


@pytest.fixture
def ranking(app):
    db.session.add_all(PrecedenceRule(keyword=k, rank=r) for k, r in RULES)
    db.session.commit()
    return precedence.rules()


@pytest.fixture
def delegation(make_program, make_delegation, ranking):
    program = make_program(
        host_official_name="Dr. Ir. H. Mujiono, M.Si.",
        host_official_title="Sekretaris Daerah Kabupaten Banyuwangi",
        host_official_nip="196511061993031009",
    )
    delegation = make_delegation(program, members=len(POSITIONS), status=DelegationStatus.APPROVED)
    for index, (member, position) in enumerate(zip(delegation.members, POSITIONS, strict=True)):
        member.position = position
        member.full_name = f"Nama {position}"
        member.role = "member"
        member.nip = f"19700101199503{index % 2 + 1}{index:03d}"
        member.rank = "Pembina (IV/a)"
    db.session.commit()
    return delegation


def place_of(position: str, ranking) -> int:
    return precedence.place(Member(position=position, role="member"), ranking)


def test_positions_rank_by_the_table_and_the_most_specific_keyword_wins(ranking):
    assert place_of("Bupati Seruyan", ranking) == 10
    assert place_of("Wakil Bupati Seruyan", ranking) == 11
    assert place_of("Kepala Subbagian Kinerja", ranking) == 40
    assert place_of("Pengemudi", ranking) == precedence.UNRANKED


def test_members_are_ordered_by_precedence_and_staff_can_override(delegation, ranking):
    ordered = [m.position for m in precedence.in_order(delegation.members, ranking)]
    assert ordered == [
        "Bupati Seruyan",
        "Wakil Bupati Seruyan",
        "Sekretaris Daerah",
        "Kepala Dinas Kominfo",
        "Kepala Dinas PU",
        "Kepala Bagian Hukum",
        "Kepala Bagian Umum",
        "Kepala Subbagian Kinerja",
        "Staf Protokol",
        "Pengemudi",
    ]
    driver = next(m for m in delegation.members if m.position == "Pengemudi")
    driver.precedence = 1
    assert precedence.in_order(delegation.members, ranking)[0] is driver


def test_the_ranking_is_a_table_staff_edit(client, make_staff, ranking):
    login(client, make_staff())
    post(client, "/staff/precedence", {"keyword": "  Kepala   Badan ", "rank": "21"})
    post(client, "/staff/precedence", {"keyword": "staf", "rank": "75"})
    rules = {r.keyword: r.rank for r in precedence.rules()}
    assert rules["kepala badan"] == 21 and rules["staf"] == 75
    rule = db.session.scalar(db.select(PrecedenceRule).where(PrecedenceRule.keyword == "bupati"))
    post(client, f"/staff/precedence/{rule.id}/delete")
    assert "bupati" not in {r.keyword for r in precedence.rules()}
    before = {r.keyword: r.rank for r in precedence.rules()}
    post(client, "/staff/precedence", {"keyword": "camat", "rank": "nol"})
    assert {r.keyword: r.rank for r in precedence.rules()} == before
    assert "Kepala Badan".casefold() in text(client.get("/staff/precedence"))


def test_staff_place_a_member_by_hand_and_record_the_health_certificate(
    client, make_staff, delegation
):
    login(client, make_staff())
    driver = next(m for m in delegation.members if m.position == "Pengemudi")
    post(
        client,
        f"/staff/members/{driver.public_id}/protocol",
        {"precedence": "2", "health_certificate": "y"},
    )
    db.session.refresh(driver)
    assert driver.precedence == 2 and driver.health_certificate
    post(client, f"/staff/members/{driver.public_id}/protocol", {"precedence": ""})
    db.session.refresh(driver)
    assert driver.precedence is None and not driver.health_certificate


def test_name_tags_come_eight_to_a_page_in_order_with_a_qr_code(client, make_staff, delegation):
    login(client, make_staff())
    page = text(client.get(f"/staff/delegations/{delegation.public_id}/name-tags"))
    assert page.count('class="sheet tag-sheet"') == 2  # 10 members
    assert page.count('<article class="tag">') == 10
    names = re.findall(r'<p class="tag__name">([^<]+)</p>', page)
    assert names[:2] == ["Nama Bupati Seruyan", "Nama Wakil Bupati Seruyan"]
    assert page.count("<svg") == 10 and delegation.institution in page


def test_the_sppd_list_has_every_column_and_the_host_official_at_the_foot(
    client, make_staff, delegation
):
    login(client, make_staff())
    page = text(client.get(f"/staff/delegations/{delegation.public_id}/sppd"))
    for heading in ("NIP", "Pangkat / golongan", "Jabatan", "Tanda tangan tuan rumah"):
        assert heading in page
    assert "19700101199503" in page and "Pembina (IV/a)" in page
    assert "Dr. Ir. H. Mujiono, M.Si." in page and "196511061993031009" in page
    # Without travel dates the program's days are used.
    assert "Rabu, 9 Desember 2026" in page and "Kamis, 10 Desember 2026" in page
    assert page.index("Nama Bupati Seruyan") < page.index("Nama Staf Protokol")


def test_attendance_lists_only_who_attends_an_optional_item(
    client, make_staff, make_item, delegation
):
    trek = make_item(delegation.program, title="Pendakian Kawah Ijen", optional=True)
    climber = delegation.members[3]
    climber.optional_items.append(trek)
    db.session.commit()
    login(client, make_staff())
    page = text(client.get(f"/staff/items/{trek.public_id}/attendance"))
    assert climber.full_name in page
    assert page.count('<tr><td class="num">') == 1


def test_the_desk_agenda_prints_one_sheet_per_day(client, make_staff, make_program, make_item):
    program = make_program(first_day=date(2026, 12, 9), last_day=date(2026, 12, 11))
    make_item(program, title="Penyambutan")
    login(client, make_staff())
    page = text(client.get(f"/staff/programs/{program.slug}/print/agenda"))
    assert page.count('class="sheet day-sheet sheet--list"') == 3 and "Penyambutan" in page


def test_the_seating_list_orders_everyone(client, make_staff, delegation):
    login(client, make_staff())
    page = text(client.get(f"/staff/programs/{delegation.program.slug}/seating"))
    assert (
        page.index("Nama Bupati Seruyan")
        < page.index("Nama Sekretaris Daerah")
        < page.index("Nama Pengemudi")
    )


def tag_institutions(page: str) -> list[str]:
    return re.findall(r'<p class="tag__institution">([^<]+)</p>', page)


def test_program_name_tags_take_the_same_queries_for_2_and_8_delegations(
    app, staff_client, make_program, make_delegation
):
    counts = []
    for delegations in (2, 8):
        program = make_program()
        for _ in range(delegations):
            make_delegation(program, members=3, status=DelegationStatus.APPROVED)
        url = f"/staff/programs/{program.slug}/name-tags"
        counts.append(count_queries(app, staff_client, url))
        assert text(staff_client.get(url)).count('<article class="tag">') == 3 * delegations
    assert counts[0] == counts[1], counts


def test_a_large_programs_tags_come_in_parts_of_whole_delegations(
    staff_client, make_program, make_delegation, monkeypatch
):
    monkeypatch.setattr(views, "TAGS_PER_PART", 10)
    program = make_program(slug="besar")
    for letter in "EDCBA":
        make_delegation(program, members=4, institution=f"Kabupaten {letter}")
    make_delegation(program, members=12, institution="Kabupaten F")  # more than a part
    make_delegation(program, members=4, institution="Kabupaten G", status="cancelled")
    url = "/staff/programs/besar/name-tags"
    first = text(staff_client.get(url))
    index = re.findall(r'<li><a href="([^"]+)"[^>]*>\D*([^<]+)</a>: ([^<]+)</li>', first)
    assert index == [
        (url, "1–8", "Kabupaten A … Kabupaten B"),
        (f"{url}?part=2", "9–16", "Kabupaten C … Kabupaten D"),
        (f"{url}?part=3", "17–20", "Kabupaten E"),
        (f"{url}?part=4", "21–32", "Kabupaten F"),
    ]
    assert 'href="/staff/programs/besar/name-tags" aria-current="page"' in first
    for part, letters in {1: "AAAABBBB", 2: "CCCCDDDD", 3: "EEEE", 4: "F" * 12}.items():
        page = first if part == 1 else text(staff_client.get(f"{url}?part={part}"))
        assert tag_institutions(page) == [f"Kabupaten {letter}" for letter in letters]
        assert page.count("<svg") == len(letters)


def test_a_part_that_is_not_there_is_not_found(staff_client, make_program, make_delegation):
    program = make_program(slug="kecil")
    make_delegation(program, members=3, status=DelegationStatus.APPROVED)
    url = "/staff/programs/kecil/name-tags"
    for part in ("2", "0", "-1"):
        assert staff_client.get(f"{url}?part={part}").status_code == 404
    page = text(staff_client.get(f"{url}?part=abc"))  # a mangled link shows the first part
    assert page.count('<article class="tag">') == 3
    assert "?part=" not in page  # one part: no index


def test_the_check_in_qr_on_a_tag_is_a_full_qr_code_the_scanner_reads(
    staff_client, make_program, make_delegation
):
    program = make_program()
    member = make_delegation(program, members=1, status=DelegationStatus.APPROVED).members[0]
    page = text(staff_client.get(f"/staff/programs/{program.slug}/name-tags"))
    # 21 modules and the quiet zone: a Micro QR (17 modules at most) is read by neither
    # jsQR nor the phones' barcode detector. The viewBox lets the sheet's CSS size it.
    assert page.count('<svg viewBox="0 0 25 25">') == 1
    assert f"{member.checkin_code[:5]}-{member.checkin_code[5:]}" in page
