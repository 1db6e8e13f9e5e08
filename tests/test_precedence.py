"""The order of precedence a protocol officer would sign: the seeded rules order a real
delegation right; staff see why, place a member by hand, and confirm before printing."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from planner.core.database import db
from planner.delegations.models import DelegationStatus, Member
from planner.protocol import precedence
from planner.protocol.models import PrecedenceRule
from tests.conftest import make_test_app
from tests.helpers import login, post, text

# As the visitors list them (the contact's order is not the protocol order), and as a
# protocol officer places them.
DELEGATION = [
    ("Sulastri, S.Pd.", "Ajudan Bupati", "member"),
    ("Drs. Hendra", "Kepala Bagian Protokol dan Komunikasi Pimpinan", "member"),
    ("Ir. Wahyu", "Plt. Kepala Badan Kepegawaian dan Pengembangan SDM", "member"),
    ("Dr. Rahmat", "Kepala DPMPTSP", "member"),
    ("H. Yulhaidir", "Bupati Seruyan", "leader"),
    ("Budi", "Staf Protokol", "member"),
    ("Hj. Iswanti", "Wakil Bupati Seruyan", "member"),
    ("Dra. Ratna", "Kepala Dinas Pariwisata dan Kebudayaan", "member"),
    ("Ahmad", "Ketua DPRD Kabupaten Seruyan", "member"),
    ("Ir. Djainuddin", "Sekretaris Daerah Kabupaten Seruyan", "member"),
    ("Drs. Sugianto", "Asisten Pemerintahan dan Kesejahteraan Rakyat", "member"),
    ("Rina", "Kepala Seksi Keprotokolan", "member"),
]
SIGNED_ORDER = [
    "Bupati Seruyan",
    "Wakil Bupati Seruyan",
    "Ketua DPRD Kabupaten Seruyan",
    "Sekretaris Daerah Kabupaten Seruyan",
    "Asisten Pemerintahan dan Kesejahteraan Rakyat",
    "Kepala DPMPTSP",
    "Kepala Dinas Pariwisata dan Kebudayaan",
    "Plt. Kepala Badan Kepegawaian dan Pengembangan SDM",
    "Kepala Bagian Protokol dan Komunikasi Pimpinan",
    "Kepala Seksi Keprotokolan",
    "Ajudan Bupati",
    "Staf Protokol",
]


@pytest.fixture(scope="module")
def seeded_rules(tmp_path_factory) -> list[PrecedenceRule]:
    """The rules exactly as the migrations seed a new installation."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("seed") / "seed.sqlite3")
    app = make_test_app(url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT keyword, rank, kind FROM precedence_rules"))
            rules = [PrecedenceRule(keyword=k, rank=r, kind=kind) for k, r, kind in rows]
        db.engine.dispose()
    return sorted(rules, key=lambda rule: (rule.rank, rule.keyword))


def members(listed=DELEGATION) -> list[Member]:
    return [
        Member(full_name=name, position=position, role=role, sort_order=index, id=index + 1)
        for index, (name, position, role) in enumerate(listed)
    ]


def test_the_seeded_rules_order_a_delegation_as_a_protocol_officer_would(seeded_rules):
    ordered = precedence.in_order(members(), seeded_rules)
    assert [member.position for member in ordered] == SIGNED_ORDER


def test_an_aide_is_not_ranked_with_the_official_they_serve(seeded_rules):
    aide, regent = members(
        [("Sulastri", "Ajudan Bupati", "member"), ("Yulhaidir", "Bupati", "member")]
    )
    assert precedence.placement(aide, seeded_rules).rule.keyword == "ajudan"
    assert precedence.place(aide, seeded_rules) > precedence.place(regent, seeded_rules)


def test_rules_match_whole_words_and_the_most_specific_wins(seeded_rules):
    advisor, driver, secretary = members(
        [
            ("A", "Staf Ahli Bupati Bidang Hukum", "member"),
            ("B", "Pengemudi Bupati", "member"),
            ("C", "Sekretaris Pribadi Bupati", "member"),
        ]
    )
    assert precedence.placement(advisor, seeded_rules).rule.keyword == "staf ahli"
    assert precedence.placement(driver, seeded_rules).rule.keyword == "pengemudi"
    assert precedence.placement(secretary, seeded_rules).rule.keyword == "sekretaris pribadi"
    (camat,) = members([("D", "Camatnya", "member")])  # a word, not a part of one
    assert precedence.placement(camat, seeded_rules).rule is None


def test_a_delegation_aide_comes_after_the_officials_whatever_their_position(seeded_rules):
    aide, head = members(
        [("E", "Kepala Seksi Protokol", "staff"), ("F", "Kepala Seksi Umum", "member")]
    )
    assert precedence.place(aide, seeded_rules) > precedence.place(head, seeded_rules)


# --- staff see why, place by hand, confirm --------------------------------------------------


@pytest.fixture
def seruyan(make_program, make_delegation, seeded_rules):
    db.session.add_all(
        PrecedenceRule(keyword=r.keyword, rank=r.rank, kind=r.kind) for r in seeded_rules
    )
    delegation = make_delegation(
        make_program(), members=len(DELEGATION), status=DelegationStatus.APPROVED
    )
    for member, (name, position, role) in zip(delegation.members, DELEGATION, strict=True):
        member.full_name, member.position, member.role = name, position, role
    db.session.commit()
    return delegation


def test_staff_see_the_rule_that_placed_each_member(staff_client, seruyan):
    page = text(staff_client.get(f"/staff/delegations/{seruyan.public_id}/precedence"))
    assert "“ajudan” → 900" in page and "“kepala dpmptsp” → 22" in page
    assert page.index("H. Yulhaidir") < page.index("Hj. Iswanti") < page.index("Sulastri")


def test_printing_warns_until_the_order_is_confirmed_and_after_it_changes(staff_client, seruyan):
    sheet = f"/staff/delegations/{seruyan.public_id}/name-tags"
    assert "Konfirmasi urutan tata tempat" in text(staff_client.get(sheet))
    page = f"/staff/delegations/{seruyan.public_id}/precedence"
    confirmed = post(staff_client, page, {"confirm": "1"})
    assert confirmed.status_code == 303
    assert "Konfirmasi urutan tata tempat" not in text(staff_client.get(sheet))
    aide = next(m for m in seruyan.members if m.position == "Staf Protokol")
    placed = post(staff_client, page, {f"place-{aide.public_id}": "5"})
    assert placed.status_code == 303
    db.session.refresh(aide)
    assert aide.precedence == 5
    warning = text(staff_client.get(sheet))
    assert "Konfirmasi urutan tata tempat" in warning and "berubah" in warning


def test_a_wrong_place_is_refused_at_its_field_and_nothing_changes(staff_client, seruyan):
    member = seruyan.members[0]
    page = f"/staff/delegations/{seruyan.public_id}/precedence"
    response = post(staff_client, page, {f"place-{member.public_id}": "0", "confirm": "1"})
    assert response.status_code == 422
    assert f'id="place-{member.public_id}-error"' in text(response)
    db.session.refresh(seruyan)
    assert seruyan.precedence_confirmed_at is None
    assert all(m.precedence is None for m in seruyan.members)


def test_only_staff_may_place_or_confirm(client, seruyan, make_staff):
    member = seruyan.members[0]
    page = f"/staff/delegations/{seruyan.public_id}/precedence"
    anonymous = client.post(page, data={f"place-{member.public_id}": "1", "confirm": "1"})
    assert anonymous.status_code in (302, 303, 400)
    login(client, make_staff())
    without_csrf = client.post(page, data={f"place-{member.public_id}": "1"})
    assert without_csrf.status_code == 400
    db.session.refresh(member)
    assert member.precedence is None and seruyan.precedence_confirmed_at is None
