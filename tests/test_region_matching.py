"""Issue 18: region codes proposed for the institutions typed before the region list, and the
match-regions command that lets staff confirm them."""

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import Delegation
from planner.delegations.review import possible_duplicates
from planner.regions import reference
from planner.regions.matching import institution_key, propose, province_of
from planner.visits.models import VisitRequest
from planner.visits.region_matching import Saved, save_region, uncoded_institutions

# What the demo's free-text institutions mean (a new demo institution needs its line here).
DEMO_INSTITUTIONS = {
    "Pemerintah Kabupaten Seruyan": "62.07",
    "DPRD Kabupaten Lombok Timur": "52.03",
    "Pemerintah Kabupaten Lombok Timur": "52.03",
}


def codes(institution: str, province: str = "") -> list[str]:
    return [region.code for region in propose(institution, province).candidates]


@pytest.mark.parametrize(
    ("institution", "province", "code"),
    [
        ("Pemkab Seruyan", "", "62.07"),
        ("Pemerintah Kabupaten Seruyan", "Kalimantan Tengah", "62.07"),
        ("Kab. Seruyan", "", "62.07"),
        ("KABUPATEN SERUYAN", "", "62.07"),
        ("Pem. Kab. Séruyan", "", "62.07"),
        ("Pemerintah Daerah Kabupaten Seruyan", "", "62.07"),
        ("Bappeda Kabupaten Seruyan", "Kalteng", "62.07"),
        ("Sekretariat Daerah Kabupaten Seruyan", "", "62.07"),
        ("Setdakab Seruyan", "", "62.07"),
        ("DPRD Kabupaten Lombok Timur", "Nusa Tenggara Barat", "52.03"),
        ("DPRD Kab. Lombok Timur", "NTB", "52.03"),
        ("Pemkot Surabaya", "", "35.78"),
        ("Pemprov Jawa Timur", "", "35"),
        ("Pemerintah Provinsi Jawa Timur", "", "35"),
        ("Pemprov Jatim", "", "35"),
        ("DPRD Provinsi Jawa Timur", "", "35"),
        ("Pemerintah Aceh", "", "11"),
        ("Pemkab Aceh Besar", "Aceh", "11.06"),
        ("Pemkab Bandung Barat", "", "32.17"),
        ("Pemkot Jakarta Pusat", "DKI Jakarta", "31.71"),
        ("Pemkab Kep. Seribu", "", "31.01"),
        ("Pemkab Toli-Toli", "", "72.04"),
        ("Pemkab Tolitoli", "", "72.04"),
        ("Pemkot Pangkalpinang", "", "19.71"),
        ("Pemkab Seruyan, Provinsi Kalimantan Tengah", "", "62.07"),
        ("Pemerintah Provinsi", "Kalimantan Tengah", "62"),
    ],
)
def test_short_forms_and_spellings_propose_the_region(institution, province, code):
    assert codes(institution, province) == [code]


def test_kota_and_kabupaten_of_one_name_follow_the_text_or_are_ambiguous():
    assert codes("Pemkab Malang") == ["35.07"]
    assert codes("Kabupaten Malang") == ["35.07"]
    assert codes("Pemkot Malang") == ["35.73"]
    assert codes("Kota Malang", "Jawa Timur") == ["35.73"]
    unsaid = propose("Pemerintah Malang", "Jawa Timur")
    assert unsaid.ambiguous and unsaid.region is None
    assert [r.code for r in unsaid.candidates] == ["35.07", "35.73"]
    # The province field tells Kabupaten Banjar (Kalimantan Selatan) from Kota Banjar (Jawa Barat).
    assert codes("Pemerintah Banjar") == ["32.79", "63.03"]
    assert codes("Pemerintah Banjar", "Kalimantan Selatan") == ["63.03"]
    assert codes("Pemerintah Banjar", "Jawa Barat") == ["32.79"]
    # A province and its capital of the same name.
    assert codes("Pemerintah Bengkulu") == ["17", "17.71"]
    assert codes("Pemprov Bengkulu") == ["17"]


@pytest.mark.parametrize(
    "institution",
    [
        "Kementerian Dalam Negeri",
        "Kementerian Agama Kabupaten Seruyan",
        "Kemenag Kab. Seruyan",
        "Universitas Brawijaya Malang",
        "Institut Pemerintahan Dalam Negeri",
        "Polres Seruyan",
        "Dinas Kebudayaan",
        "",
    ],
)
def test_a_ministry_a_university_or_no_region_gets_no_proposal(institution):
    proposal = propose(institution, "Jawa Timur")
    assert proposal.candidates == () and proposal.region is None and not proposal.ambiguous


def test_province_fields_as_people_write_them():
    assert province_of("Kalteng").code == "62"
    assert province_of("Prov. Jawa Timur").code == "35"
    assert province_of("DI Yogyakarta").code == "34"
    assert province_of("D.I. Yogyakarta").code == "34"
    assert province_of("Seruyan") is None and province_of("") is None


def test_duplicate_detection_reads_short_forms_as_the_same_government(
    make_program, make_delegation
):
    same = {"Pemkab Seruyan", "Pemerintah Kabupaten Seruyan", "Kab. Seruyan", "Kabupaten Seruyan"}
    assert len({institution_key(name) for name in same}) == 1
    assert institution_key("DPRD Kabupaten Seruyan") != institution_key("Pemkab Seruyan")
    assert institution_key("Pemkot Malang") != institution_key("Pemkab Malang")
    program = make_program()
    first = make_delegation(program, institution="Pemkab Seruyan", leader_name="H. Yulhaidir")
    second = make_delegation(program, institution="Kab. Seruyan", leader_name="h. yulhaidir")
    council = make_delegation(
        program, institution="DPRD Kabupaten Seruyan", leader_name="H. Yulhaidir"
    )
    found = possible_duplicates(program)
    assert found[first.id] == [second] and found[second.id] == [first]
    assert council.id not in found


@pytest.fixture
def history(make_program, make_delegation, make_visit_request):
    """Delegations and a request from before the region list, and one already coded."""
    program = make_program()
    seruyan = [
        make_delegation(program, institution="Pemkab Seruyan", province=province)
        for province in ("Kalimantan Tengah", "Kalteng", "Kalimantan Tengah")
    ]
    malang = make_delegation(program, institution="Pemerintah Malang", province="Jawa Timur")
    ministry = make_delegation(program, institution="Kementerian Dalam Negeri", province="")
    coded = make_delegation(
        program, institution="Pemerintah Kabupaten Gowa", region_code="73.06", province="Sulsel"
    )
    request = make_visit_request(institution="Pemkab Seruyan", province="Kalteng")
    return dict(seruyan=seruyan, malang=malang, ministry=ministry, coded=coded, request=request)


def stored(row) -> tuple[str, str, str]:
    db.session.expire_all()
    row = db.session.get(type(row), row.id)
    return row.institution, row.province, row.region_code


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_uncoded_institutions_are_grouped_by_text_the_most_frequent_first(history):
    groups = uncoded_institutions()
    assert [(g.institution, g.provinces, g.delegations, g.visit_requests) for g in groups] == [
        ("Pemkab Seruyan", ["Kalimantan Tengah", "Kalteng"], 3, 1),
        ("Kementerian Dalam Negeri", [""], 1, 0),
        ("Pemerintah Malang", ["Jawa Timur"], 1, 0),
    ]
    assert groups[0].proposal.region.code == "62.07"
    assert groups[1].proposal.region is None and not groups[1].proposal.ambiguous
    assert groups[2].proposal.ambiguous


def test_a_saved_region_is_part_of_the_callers_transaction(history):
    before = audit_count()
    saved = save_region("Pemkab Seruyan", reference.region("62.07"), None, "test")
    assert (saved.delegations, saved.visit_requests) == (3, 1)
    assert history["request"].region_code == "62.07"
    db.session.rollback()  # the caller decides: nothing stays
    assert stored(history["seruyan"][1]) == ("Pemkab Seruyan", "Kalteng", "")
    assert stored(history["request"])[2] == "" and audit_count() == before
    assert save_region("Pemerintah Gowa", reference.region("73.06"), None, "test") == Saved()


def test_dry_run_lists_each_institution_once_and_writes_nothing(runner, history):
    before = audit_count()
    result = runner.invoke(args=["match-regions", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        "Pemkab Seruyan | Kalimantan Tengah / Kalteng | 3 delegations, 1 visit request"
        " | 62.07 Kabupaten Seruyan (Kalimantan Tengah)",
        "Kementerian Dalam Negeri | - | 1 delegation | no match",
        "Pemerintah Malang | Jawa Timur | 1 delegation | ambiguous: "
        "35.07 Kabupaten Malang (Jawa Timur), 35.73 Kota Malang (Jawa Timur)",
    ]
    assert "Gowa" not in result.output  # it has its code
    assert stored(history["seruyan"][1]) == ("Pemkab Seruyan", "Kalteng", "")
    assert stored(history["request"])[2] == ""
    assert audit_count() == before


def test_yes_saves_only_the_unambiguous_proposals(runner, history, make_staff):
    staff = make_staff(email="protokol@banyuwangikab.go.id")
    result = runner.invoke(args=["match-regions", "--yes", "--by", staff.email])
    assert result.exit_code == 0, result.output
    assert "3 delegation(s), 1 visit request(s); 2 institution(s) left without a code" in (
        result.output
    )
    for row in [*history["seruyan"], history["request"]]:
        # The institution stays as typed; the province becomes the region's.
        assert stored(row) == ("Pemkab Seruyan", "Kalimantan Tengah", "62.07")
    assert stored(history["malang"]) == ("Pemerintah Malang", "Jawa Timur", "")
    assert stored(history["ministry"])[2] == ""
    assert stored(history["coded"]) == ("Pemerintah Kabupaten Gowa", "Sulsel", "73.06")
    delegation = history["seruyan"][1]
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.object_id == delegation.public_id, AuditEvent.action == "delegation.updated"
        )
    )
    assert event.changes == {
        "region_code": ["", "62.07"],
        "province": ["Kalteng", "Kalimantan Tengah"],
    }
    assert event.actor_id == staff.id and event.actor_label == staff.email
    assert event.delegation_id == delegation.id
    request_event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.object_id == history["request"].public_id)
    )
    assert request_event.action == "visit_request.updated"
    # Run again: nothing left that has a single proposal.
    again = runner.invoke(args=["match-regions", "--yes"])
    assert "Saved a code for 0 institution(s)" in again.output


def test_staff_confirm_per_institution_type_a_code_or_skip(runner, history):
    # Seruyan: Enter takes the proposal; the ministry: skipped; Malang: first a code that is
    # not on the list, then the city's.
    result = runner.invoke(args=["match-regions"], input="\ns\n99.99\n35.73\n")
    assert result.exit_code == 0, result.output
    assert "'99.99' is not a code of the Kemendagri list" in result.output
    assert "Saved 35.73 Kota Malang (Jawa Timur)." in result.output
    assert stored(history["seruyan"][0])[2] == "62.07"
    assert stored(history["request"])[2] == "62.07"
    assert stored(history["malang"]) == ("Pemerintah Malang", "Jawa Timur", "35.73")
    assert stored(history["ministry"]) == ("Kementerian Dalam Negeri", "", "")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.object_id == history["malang"].public_id)
    )
    assert event.changes == {"region_code": ["", "35.73"]}
    assert event.actor_label == "command line (match-regions)" and event.actor_id is None


def test_a_wrong_proposal_is_replaced_by_the_typed_code_and_q_stops(runner, history):
    result = runner.invoke(args=["match-regions"], input="62.08\nq\n")
    assert result.exit_code == 0, result.output
    assert stored(history["seruyan"][2])[1:] == ("Kalimantan Tengah", "62.08")
    assert stored(history["malang"])[2] == ""
    assert "Saved a code for 1 institution(s): 3 delegation(s), 1 visit request(s)" in (
        result.output
    )


def test_bad_options_change_nothing(runner, history):
    before = audit_count()
    unknown = runner.invoke(args=["match-regions", "--yes", "--by", "nobody@contoh.go.id"])
    assert unknown.exit_code != 0 and "no active staff account" in unknown.output
    both = runner.invoke(args=["match-regions", "--yes", "--dry-run"])
    assert both.exit_code != 0 and "not both" in both.output
    assert stored(history["seruyan"][0])[2] == "" and audit_count() == before


def test_the_demo_free_text_institutions_get_the_right_code(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    senders = [*db.session.scalars(select(Delegation)), *db.session.scalars(select(VisitRequest))]
    typed = [s for s in senders if not s.region_code]
    assert typed, "the demo keeps institutions typed before the region list"
    for sender in senders:
        proposal = propose(sender.institution, sender.province)
        assert proposal.region is not None, sender.institution
        assert proposal.region.code == DEMO_INSTITUTIONS[sender.institution]
        if sender.region_code:
            assert sender.region_code == proposal.region.code
    listed = runner.invoke(args=["match-regions", "--dry-run"])
    assert "DPRD Kabupaten Lombok Timur | Nusa Tenggara Barat | 1 delegation | 52.03" in (
        listed.output
    )
    assert "Pemerintah Kabupaten Lombok Timur | Nusa Tenggara Barat | 1 visit request | 52.03" in (
        listed.output
    )
    result = runner.invoke(args=["match-regions", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for sender in typed:
        db.session.refresh(sender)
        assert sender.region_code == DEMO_INSTITUTIONS[sender.institution]
        assert sender.province == "Nusa Tenggara Barat"
