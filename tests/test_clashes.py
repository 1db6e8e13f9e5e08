"""Clash detection: each kind is found, and a non-clash is not."""

from datetime import date, time

from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.venues.models import ClosureKind, TravelTime, VenueClosure
from planner.workspace.clashes import clashes_by_item, upcoming_clashes

DAY = date(2026, 12, 9)  # a Wednesday


def kinds(program) -> dict[str, set[str]]:
    return {
        item.title: {clash.kind for clash in clashes_by_item(program).get(item.id, [])}
        for item in program.items
    }


def test_two_non_optional_items_of_a_program_overlapping_clash(make_program, make_item):
    program = make_program(first_day=DAY)
    make_item(program, title="Paparan", start=time(9), end=time(11))
    make_item(program, title="Tur MPP", start=time(10), end=time(12))
    make_item(program, title="Makan siang", start=time(12), end=time(13))  # touches, no overlap
    found = kinds(program)
    assert found["Paparan"] == {"overlap"} and found["Tur MPP"] == {"overlap"}
    assert found["Makan siang"] == set()


def test_parallel_optional_items_and_cancelled_items_do_not_clash(make_program, make_item):
    program = make_program(first_day=DAY)
    make_item(program, title="Kelompok A", start=time(9), end=time(11), optional=True)
    make_item(program, title="Kelompok B", start=time(9), end=time(11), optional=True)
    make_item(program, title="Dibatalkan", start=time(9), end=time(11), status="cancelled")
    make_item(program, title="Paparan", start=time(9), end=time(11))
    assert all(found == set() for found in kinds(program).values())


def test_a_venue_used_by_two_programs_beyond_its_seats_clashes(
    make_program, make_item, make_venue, make_delegation
):
    hall = make_venue(name="Aula Minak Jinggo", seats=40)
    first, second = make_program(first_day=DAY), make_program(first_day=DAY)
    make_delegation(first, members=30, status=DelegationStatus.APPROVED)
    make_delegation(second, members=20, status=DelegationStatus.PENDING)
    make_item(first, title="Paparan SAKIP", venue=hall, start=time(9), end=time(11))
    make_item(second, title="Paparan inovasi", venue=hall, start=time(10), end=time(12))
    assert kinds(first)["Paparan SAKIP"] == {"venue_seats"}
    clash = clashes_by_item(first)[first.items[0].id][0]
    assert clash.detail["people"] == 50 and clash.others[0].title == "Paparan inovasi"


def test_a_venue_with_room_for_both_programs_does_not_clash(
    make_program, make_item, make_venue, make_delegation
):
    hall = make_venue(seats=100)
    first, second = make_program(first_day=DAY), make_program(first_day=DAY)
    make_delegation(first, members=30, status=DelegationStatus.APPROVED)
    make_delegation(second, members=20)
    make_delegation(second, members=25, status=DelegationStatus.REJECTED)  # holds no seats
    make_item(first, title="A", venue=hall, start=time(9), end=time(11))
    make_item(second, title="B", venue=hall, start=time(10), end=time(12))
    assert kinds(first)["A"] == set()


def test_a_venue_closed_on_the_first_friday_of_the_month(make_program, make_item, make_venue):
    ijen = make_venue(name="Pos Paltuding")
    db.session.add(
        VenueClosure(
            venue=ijen, kind=ClosureKind.MONTHLY, week_of_month=1, weekday=4, reason="Jumat bersih"
        )
    )
    db.session.commit()
    program = make_program(first_day=date(2026, 12, 3), last_day=date(2026, 12, 11))
    # 4 December 2026 is the first Friday; 11 December is the second.
    make_item(program, title="Trek Jumat pertama", venue=ijen, day=date(2026, 12, 4))
    make_item(program, title="Trek Jumat kedua", venue=ijen, day=date(2026, 12, 11))
    found = kinds(program)
    assert found["Trek Jumat pertama"] == {"venue_closed"}
    assert found["Trek Jumat kedua"] == set()


def test_a_venue_closed_for_weeks_of_volcanic_activity(make_program, make_item, make_venue):
    ijen = make_venue()
    db.session.add(
        VenueClosure(
            venue=ijen,
            kind=ClosureKind.DATES,
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 20),
            reason="Aktivitas vulkanik",
        )
    )
    db.session.commit()
    program = make_program(first_day=DAY)
    make_item(program, title="Trek", venue=ijen)
    clash = clashes_by_item(program)[program.items[0].id][0]
    assert clash.kind == "venue_closed" and "Aktivitas vulkanik" in clash.message


def test_outside_opening_hours_including_a_window_across_midnight(
    make_program, make_item, make_venue
):
    mall = make_venue(opens_at=time(8), closes_at=time(16))
    ijen = make_venue(opens_at=time(0, 30), closes_at=time(12))
    night_market = make_venue(opens_at=time(18), closes_at=time(2))
    program = make_program(first_day=DAY)
    make_item(program, title="MPP pagi", venue=mall, start=time(8), end=time(10))
    make_item(program, title="MPP sore", venue=mall, start=time(15), end=time(17), optional=True)
    make_item(program, title="Ijen", venue=ijen, start=time(1), end=time(7), optional=True)
    make_item(program, title="Pasar malam", venue=night_market, start=time(19), end=time(23, 30))
    make_item(
        program,
        title="Pasar subuh",
        venue=night_market,
        start=time(3),
        end=time(4),
        optional=True,
    )
    found = kinds(program)
    assert found["MPP pagi"] == set() and found["Ijen"] == set() and found["Pasar malam"] == set()
    assert found["MPP sore"] == {"venue_hours"} and found["Pasar subuh"] == {"venue_hours"}


def test_the_same_presenter_in_two_places_at_once_across_programs(
    make_program, make_item, make_venue
):
    pendopo, aula = make_venue(), make_venue()
    first, second = make_program(first_day=DAY), make_program(first_day=DAY)
    make_item(first, title="Sambutan", presenter="Bupati Banyuwangi", venue=pendopo)
    make_item(second, title="Sambutan juga", presenter="bupati  banyuwangi", venue=aula)
    make_item(
        second,
        title="Bersama",
        presenter="Bupati Banyuwangi",
        venue=pendopo,
        start=time(8, 30),
        end=time(8, 45),
        optional=True,
    )
    found = kinds(first)
    assert found["Sambutan"] == {"presenter"}
    clash = clashes_by_item(first)[first.items[0].id][0]
    assert [other.title for other in clash.others] == ["Sambutan juga"]


def test_not_enough_travel_time_between_venues(make_program, make_item, make_venue):
    pendopo, ijen = make_venue(), make_venue()
    low, high = sorted([pendopo.id, ijen.id])
    db.session.add(TravelTime(from_venue_id=low, to_venue_id=high, minutes=90))
    db.session.commit()
    program = make_program(first_day=DAY)
    make_item(program, title="Sambutan", venue=pendopo, start=time(8), end=time(9))
    make_item(program, title="Berangkat terlalu cepat", venue=ijen, start=time(10), end=time(11))
    make_item(program, title="Kembali tepat waktu", venue=pendopo, start=time(12, 30), end=time(13))
    found = kinds(program)
    assert found["Berangkat terlalu cepat"] == {"travel"}
    assert found["Kembali tepat waktu"] == set() and found["Sambutan"] == set()


def test_the_dashboard_lists_each_clash_once(make_program, make_item):
    program = make_program(first_day=DAY)
    make_item(program, title="A", start=time(9), end=time(11))
    make_item(program, title="B", start=time(10), end=time(12))
    clashes = upcoming_clashes(date(2026, 12, 1))
    assert len(clashes) == 1 and clashes[0].kind == "overlap"
