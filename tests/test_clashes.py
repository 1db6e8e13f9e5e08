"""Clash detection: each kind is found, and a non-clash is not."""

import re
from datetime import date, time

from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.programs.models import ItemStatus
from planner.venues.models import ClosureKind, TravelTime, Venue, VenueClosure
from planner.workspace.clashes import clashes_by_item, upcoming_clashes
from tests.helpers import post_back, text

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


def test_a_shared_venue_used_by_two_programs_beyond_its_seats_clashes(
    make_program, make_item, make_venue, make_delegation
):
    hall = make_venue(name="Taman Blambangan", seats=40, shared_use=True)
    first, second = make_program(first_day=DAY), make_program(first_day=DAY)
    make_delegation(first, members=30, status=DelegationStatus.APPROVED)
    make_delegation(second, members=20, status=DelegationStatus.PENDING)
    make_item(first, title="Paparan SAKIP", venue=hall, start=time(9), end=time(11))
    make_item(second, title="Paparan inovasi", venue=hall, start=time(10), end=time(12))
    assert kinds(first)["Paparan SAKIP"] == {"venue_seats"}
    clash = clashes_by_item(first)[first.items[0].id][0]
    assert clash.detail["people"] == 50 and clash.others[0].title == "Paparan inovasi"


def test_a_shared_venue_with_room_for_both_programs_does_not_clash(
    make_program, make_item, make_venue, make_delegation
):
    hall = make_venue(seats=100, shared_use=True)
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
    # The pendopo takes a joint reception of two programs: the same presenter there is one place.
    pendopo, aula = make_venue(shared_use=True), make_venue()
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


# --- one room, one group at a time ------------------------------------------------------------


def _setda(make_venue):
    return make_venue(name="Ruang Rapat Khusus Setda", seats=40)


def test_a_room_booked_by_two_programs_at_once_clashes_at_both_items_with_room_program_times(
    make_program, make_item, make_venue
):
    room = _setda(make_venue)
    gowa = make_program(
        title="Studi Tiru MPP Kabupaten Gowa", first_day=DAY, timezone="Asia/Makassar"
    )
    seruyan = make_program(
        title="Studi Banding SAKIP Kabupaten Seruyan", first_day=DAY, timezone="Asia/Makassar"
    )
    # No delegation yet: nobody is expected, and the room is still taken.
    make_item(gowa, title="Paparan MPP", venue=room, start=time(9), end=time(11))
    make_item(seruyan, title="Paparan SAKIP", venue=room, start=time(10), end=time(12))
    make_item(seruyan, title="Makan siang", venue=room, start=time(12), end=time(13))  # touches
    assert kinds(gowa)["Paparan MPP"] == {"venue_taken"}
    assert kinds(seruyan) == {"Paparan SAKIP": {"venue_taken"}, "Makan siang": set()}
    [at_seruyan] = clashes_by_item(seruyan)[seruyan.items[0].id]
    message = at_seruyan.message  # the room, the other program and item, its times there
    assert message.startswith("Ruang Rapat Khusus Setda ")
    assert "Studi Tiru MPP Kabupaten Gowa" in message and "Paparan MPP" in message
    assert "09.00–11.00 WITA" in message
    [at_gowa] = clashes_by_item(gowa)[gowa.items[0].id]
    assert "Ruang Rapat Khusus Setda" in at_gowa.message
    assert "Studi Banding SAKIP Kabupaten Seruyan" in at_gowa.message
    assert "10.00–12.00 WITA" in at_gowa.message


def test_the_other_programs_times_are_given_on_the_wall_clock_of_the_program_looked_at(
    make_program, make_item, make_venue
):
    room = _setda(make_venue)
    here = make_program(title="Studi Tiru Seruyan", first_day=DAY, timezone="Asia/Jakarta")
    there = make_program(title="Studi Tiru Gowa", first_day=DAY, timezone="Asia/Makassar")
    make_item(here, title="Di sini", venue=room, start=time(9), end=time(10))
    make_item(there, title="Di sana", venue=room, start=time(10), end=time(11))  # 09.00 WIB
    [clash] = clashes_by_item(here)[here.items[0].id]
    assert "09.00–10.00 WIB" in clash.message and "WITA" not in clash.message


def test_two_items_of_one_program_in_one_room_clash_once_naming_the_room(
    make_program, make_item, make_venue
):
    room = _setda(make_venue)
    aula = make_venue(name="Aula Minak Jinggo")
    program = make_program(first_day=DAY)
    make_item(program, title="Paparan", venue=room, start=time(9), end=time(11))
    make_item(program, title="Diskusi", venue=room, start=time(10), end=time(12))
    # Parallel optional groups need a room each.
    make_item(program, title="Kelompok A", venue=aula, start=time(13), end=time(14), optional=True)
    make_item(program, title="Kelompok B", venue=aula, start=time(13), end=time(14), optional=True)
    found = kinds(program)
    assert found["Paparan"] == {"venue_taken"} and found["Diskusi"] == {"venue_taken"}
    assert found["Kelompok A"] == {"venue_taken"} and found["Kelompok B"] == {"venue_taken"}
    [clash] = clashes_by_item(program)[program.items[0].id]
    assert "Ruang Rapat Khusus Setda" in clash.message and "Diskusi" in clash.message
    assert "10.00–12.00 WIB" in clash.message
    assert program.title not in clash.message  # its own program goes without saying


def test_a_venue_for_several_groups_at_once_takes_overlapping_items(
    make_program, make_item, make_venue
):
    paltuding = make_venue(name="Pos Paltuding", seats=None, shared_use=True)
    first, second = make_program(first_day=DAY), make_program(first_day=DAY)
    make_item(first, title="Trek Seruyan", venue=paltuding, start=time(1), end=time(6))
    make_item(second, title="Trek Gowa", venue=paltuding, start=time(2), end=time(7))
    make_item(
        second, title="Trek Gowa B", venue=paltuding, start=time(2), end=time(7), optional=True
    )
    assert kinds(first) == {"Trek Seruyan": set()}
    assert kinds(second) == {"Trek Gowa": set(), "Trek Gowa B": set()}


def test_a_cancelled_item_frees_the_room(make_program, make_item, make_venue):
    room = _setda(make_venue)
    first, second = make_program(first_day=DAY), make_program(first_day=DAY)
    make_item(first, title="Paparan", venue=room, start=time(9), end=time(11))
    make_item(
        second, title="Batal", venue=room, start=time(9), end=time(11), status=ItemStatus.CANCELLED
    )
    make_item(
        first, title="Juga batal", venue=room, start=time(10), end=time(11), status="cancelled"
    )
    assert all(found == set() for found in kinds(first).values())
    assert kinds(second) == {"Batal": set()}


def test_the_double_booking_shows_on_both_program_pages_and_counts_once_on_the_dashboard(
    staff_client, make_program, make_item, make_venue, monkeypatch
):
    from planner.workspace import views as dashboard

    monkeypatch.setattr(dashboard, "host_today", lambda: date(2026, 12, 1))
    room = _setda(make_venue)
    gowa = make_program(title="Studi Tiru MPP Kabupaten Gowa", first_day=DAY)
    seruyan = make_program(title="Studi Banding Kabupaten Seruyan", first_day=DAY)
    make_item(gowa, title="Paparan MPP", venue=room, start=time(9), end=time(11))
    make_item(seruyan, title="Paparan SAKIP", venue=room, start=time(10), end=time(12))

    gowa_page = text(staff_client.get(f"/staff/programs/{gowa.slug}"))
    seruyan_page = text(staff_client.get(f"/staff/programs/{seruyan.slug}"))
    for page, other, times in (
        (gowa_page, "Studi Banding Kabupaten Seruyan", "10.00–12.00 WIB"),
        (seruyan_page, "Studi Tiru MPP Kabupaten Gowa", "09.00–11.00 WIB"),
    ):
        warnings = re.findall(r'<li class="clash clash--venue_taken">(.*?)</li>', page, re.S)
        assert len(warnings) == 1
        assert "Ruang Rapat Khusus Setda" in warnings[0] and other in warnings[0]
        assert times in warnings[0]
        assert "editor-item--clash" in page

    page = text(staff_client.get("/staff/"))
    assert re.search(r'id="clashes-heading">[^<]*<span class="count count--warn">1</span>', page)
    assert len(re.findall(r'<li class="clash clash--venue_taken">', page)) == 1
    assert "Ruang Rapat Khusus Setda" in page

    seruyan.items[0].status = ItemStatus.CANCELLED
    db.session.commit()
    page = text(staff_client.get("/staff/"))
    assert "count--warn" not in page and "clash--venue_taken" not in page


def test_staff_mark_a_venue_for_several_groups_at_once(staff_client, make_venue):
    venue = make_venue(name="Pos Paltuding")
    page = text(staff_client.get(f"/staff/venues/{venue.public_id}"))
    assert re.search(r'<input[^>]*name="shared_use"', page)
    response = post_back(staff_client, f"/staff/venues/{venue.public_id}", "name", shared_use="y")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).shared_use is True
    assert re.search(
        r'<input[^>]*checked[^>]*name="shared_use"|<input[^>]*name="shared_use"[^>]*checked',
        text(staff_client.get(f"/staff/venues/{venue.public_id}")),
    )
    listing = text(staff_client.get("/staff/venues"))
    assert re.search(r"Pos Paltuding</a> <span class=\"badge\">", listing)


def test_the_api_takes_and_answers_the_several_groups_flag(client, make_staff):
    from planner.staff.tokens import create_token

    _, secret = create_token(make_staff(), "tes")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    made = client.post(
        "/api/v1/staff/venues", headers=bearer, json={"name": "Pos Paltuding", "shared_use": True}
    )
    assert made.status_code == 201 and made.json["shared_use"] is True
    plain = client.post("/api/v1/staff/venues", headers=bearer, json={"name": "Ruang Setda"})
    assert plain.status_code == 201 and plain.json["shared_use"] is False
    wrong = client.post(
        "/api/v1/staff/venues", headers=bearer, json={"name": "Aula", "shared_use": "ya"}
    )
    assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["shared_use"]
