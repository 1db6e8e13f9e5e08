"""Agenda changes: revisions, the audit trail, version checks, copying to new dates."""

from datetime import UTC, date, datetime, time

import pytest

from planner.audit.log import events_for
from planner.core.database import db
from planner.programs.agenda import (
    AgendaRuleError,
    StaleEdit,
    cancel_item,
    remove_item,
    update_item,
)
from planner.programs.copying import copy_program
from planner.programs.lifecycle import TransitionError, change_status
from planner.programs.models import ProgramStatus
from planner.programs.times import to_utc


def test_a_noticeable_change_after_publication_raises_the_revision(make_program, make_item):
    program = make_program(status=ProgramStatus.PUBLISHED)
    item = make_item(program, start=time(1), end=time(7))
    update_item(item, {"starts_at": to_utc(program.first_day, time(2), program.timezone)})
    db.session.commit()
    assert item.revision == 1
    update_item(item, {"description": "Bawa senter"})
    db.session.commit()
    assert item.revision == 1  # not noticeable
    cancel_item(item)
    db.session.commit()
    assert item.revision == 2 and item.is_cancelled


def test_a_typo_fix_before_publication_keeps_the_revision(make_program, make_item):
    program = make_program(status=ProgramStatus.DRAFT)
    item = make_item(program, title="Paparan SAKP")
    update_item(item, {"title": "Paparan SAKIP"})
    db.session.commit()
    assert item.revision == 0 and item.title == "Paparan SAKIP"


def test_the_audit_trail_records_old_and_new_values(make_program, make_item):
    program = make_program()
    item = make_item(program, title="Paparan", start=time(9), end=time(10))
    update_item(
        item,
        {
            "title": "Paparan SAKIP",
            "ends_at": to_utc(program.first_day, time(11), program.timezone),
        },
    )
    db.session.commit()
    (event,) = events_for(program=program)
    assert event.action == "item.updated" and event.object_id == item.public_id
    assert event.changes["title"] == ["Paparan", "Paparan SAKIP"]
    assert event.changes["ends_at"] == [
        datetime(2026, 12, 9, 3, 0, tzinfo=UTC).isoformat(),
        datetime(2026, 12, 9, 4, 0, tzinfo=UTC).isoformat(),
    ]
    assert event.changes["revision"] == [0, 1]


def test_an_edit_based_on_an_old_version_is_refused(make_program, make_item):
    item = make_item(make_program())
    seen_version = item.version
    update_item(item, {"title": "Perubahan rekan"}, expected_version=seen_version)
    db.session.commit()
    with pytest.raises(StaleEdit):
        update_item(item, {"title": "Perubahan saya"}, expected_version=seen_version)
    db.session.rollback()
    assert item.title == "Perubahan rekan"


def test_an_item_must_start_within_the_program_days_and_end_after_it_starts(
    make_program, make_item
):
    program = make_program(first_day=date(2026, 12, 9))
    item = make_item(program)
    with pytest.raises(AgendaRuleError) as refused:
        update_item(item, {"starts_at": to_utc(date(2026, 12, 12), time(8), program.timezone)})
    assert "starts_at" in refused.value.errors
    with pytest.raises(AgendaRuleError) as refused:
        update_item(item, {"ends_at": item.starts_at})
    assert "ends_at" in refused.value.errors


def test_published_items_are_cancelled_not_removed(make_program, make_item):
    item = make_item(make_program(status=ProgramStatus.PUBLISHED))
    with pytest.raises(AgendaRuleError):
        remove_item(item)
    draft_item = make_item(make_program(status=ProgramStatus.DRAFT))
    remove_item(draft_item)
    db.session.commit()


def test_publishing_needs_an_item_and_follows_the_lifecycle(make_program, make_item):
    program = make_program(status=ProgramStatus.DRAFT)
    with pytest.raises(TransitionError):
        change_status(program, ProgramStatus.PUBLISHED)
    make_item(program)
    change_status(program, ProgramStatus.PUBLISHED)
    change_status(program, ProgramStatus.CLOSED)
    change_status(program, ProgramStatus.ARCHIVED)
    with pytest.raises(TransitionError):
        change_status(program, ProgramStatus.PUBLISHED)


def test_copying_keeps_local_wall_clock_times(make_program, make_item, make_venue):
    venue = make_venue()
    program = make_program(
        first_day=date(2026, 12, 9), timezone="Asia/Jakarta", max_participants=90
    )
    trek = make_item(
        program,
        title="Ijen",
        day=date(2026, 12, 10),
        start=time(1),
        end=time(7),
        venue=venue,
        optional=True,
        capacity=20,
    )
    copy = copy_program(program, date(2027, 3, 3), slug="studi-tiru-maret", title="Maret")
    db.session.commit()
    assert copy.status == ProgramStatus.DRAFT and copy.max_participants == 90
    assert (copy.first_day, copy.last_day) == (date(2027, 3, 3), date(2027, 3, 4))
    (copied,) = copy.items
    assert copied.local_start.date() == date(2027, 3, 4)
    assert copied.local_start.time() == time(1) and copied.local_end.time() == time(7)
    assert copied.venue_id == venue.id and copied.optional and copied.capacity == 20
    assert copied.public_id != trek.public_id and copied.revision == 0
