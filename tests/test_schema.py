"""Rules of DESIGN.md that the database itself enforces, whatever code writes to it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from planner.core.database import db
from planner.delegations.models import Member
from planner.programs.models import AgendaItem, Program


def refused(obj) -> bool:
    db.session.add(obj)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return True
    return False


def test_an_item_that_ends_before_it_starts_is_refused_by_the_database(make_program):
    program = make_program()
    start = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)
    item = AgendaItem(program=program, title="Mundur", starts_at=start, ends_at=start)
    assert refused(item)
    item = AgendaItem(
        program=program, title="Mundur", starts_at=start, ends_at=start - timedelta(hours=1)
    )
    assert refused(item)
    assert db.session.query(AgendaItem).count() == 0


def test_program_slugs_are_unique(make_program):
    make_program(slug="studi-tiru")
    with pytest.raises(IntegrityError):
        make_program(slug="studi-tiru")


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "open"},
        {"members_per_delegation": 0},
        {"max_participants": 0},
        {"last_day_offset": -1},
    ],
)
def test_program_values_outside_the_rules_are_refused(make_program, overrides):
    program = make_program()
    overrides = dict(overrides)
    offset = overrides.pop("last_day_offset", None)
    if offset is not None:
        program.last_day = program.first_day + timedelta(days=offset)
    for name, value in overrides.items():
        setattr(program, name, value)
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_a_nip_must_have_18_characters_and_be_unique_within_a_delegation(
    make_program, make_delegation
):
    delegation = make_delegation(make_program(), members=0)
    assert refused(Member(delegation=delegation, full_name="A", nip="12345"))
    assert not refused(Member(delegation=delegation, full_name="B", nip="197001011995031001"))
    assert refused(Member(delegation=delegation, full_name="C", nip="197001011995031001"))
    assert not refused(Member(delegation=delegation, full_name="D", nip=None))
    assert not refused(Member(delegation=delegation, full_name="E", nip=None))


def test_gender_and_role_take_only_known_values(make_program, make_delegation):
    delegation = make_delegation(make_program(), members=0)
    assert refused(Member(delegation=delegation, full_name="A", gender="X"))
    assert refused(Member(delegation=delegation, full_name="A", role="boss"))


def test_deleting_a_delegation_removes_its_members_and_their_choices(
    make_program, make_item, make_delegation
):
    program = make_program()
    trek = make_item(program, optional=True)
    delegation = make_delegation(program, members=2)
    delegation.members[0].optional_items.append(trek)
    db.session.commit()
    db.session.execute(db.delete(type(delegation)).where(type(delegation).id == delegation.id))
    db.session.commit()
    assert db.session.query(Member).count() == 0
    assert db.session.execute(db.text("SELECT count(*) FROM member_items")).scalar() == 0
    assert db.session.get(AgendaItem, trek.id) is not None


def test_a_venue_in_use_cannot_be_deleted(make_program, make_item, make_venue):
    venue = make_venue()
    make_item(make_program(), venue=venue)
    with pytest.raises(IntegrityError):
        db.session.execute(db.delete(type(venue)).where(type(venue).id == venue.id))
        db.session.commit()


def test_deleting_a_program_with_delegations_is_refused(make_program, make_delegation):
    program = make_program()
    make_delegation(program)
    with pytest.raises(IntegrityError):
        db.session.execute(db.delete(Program).where(Program.id == program.id))
        db.session.commit()


def test_times_come_back_as_utc_and_naive_times_are_refused(make_program, make_item):
    program = make_program()
    item = make_item(program)
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).starts_at.tzinfo is UTC
    item.starts_at = datetime(2026, 12, 9, 8, 0)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()


def test_public_ids_and_tokens_are_not_database_ids(make_program, make_delegation):
    delegation = make_delegation(make_program(), members=1)
    assert delegation.public_id != str(delegation.id) and len(delegation.public_id) == 32
    assert len(delegation.token) >= 43  # 256 bits, URL-safe base64
    assert delegation.members[0].token != delegation.token
