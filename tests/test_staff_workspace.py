"""The staff pages as protocol staff use them: building programs and agendas."""

from datetime import date, time
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.times import to_utc
from planner.staff.models import Role
from planner.venues.models import Venue
from tests.helpers import login, post, text


@pytest.fixture
def staff_client(client, make_staff):
    login(client, make_staff(role=Role.STAFF))
    return client


PROGRAM_FORM = {
    "title": "Studi Tiru Kabupaten Seruyan",
    "slug": "",
    "summary": "Kunjungan khusus",
    "description": "",
    "first_day": "2026-12-09",
    "last_day": "2026-12-10",
    "timezone": "Asia/Jakarta",
    "listed": "y",
    "registration_opens_at": "2026-11-01T08:00",
    "registration_closes_at": "2026-12-07T17:00",
    "members_per_delegation": "30",
    "max_delegations": "",
    "max_participants": "120",
    "requires_approval": "y",
    "waitlist": "y",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_staff_create_a_program_as_a_draft(staff_client):
    response = post(staff_client, "/staff/programs/new", PROGRAM_FORM)
    assert response.status_code == 303
    program = db.session.scalar(select(Program))
    assert program.slug == "studi-tiru-kabupaten-seruyan"
    assert program.status == ProgramStatus.DRAFT and program.max_participants == 120
    # 08:00 WIB is 01:00 UTC.
    assert program.registration_opens_at.hour == 1
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "program.created" and event.actor_label.startswith("staf")


def test_a_bad_program_form_shows_errors_at_the_field_and_keeps_the_input(staff_client):
    data = dict(PROGRAM_FORM, last_day="2026-12-01", members_per_delegation="nol", slug="Bad Slug")
    response = post(staff_client, "/staff/programs/new", data)
    assert response.status_code == 422
    page = text(response)
    assert "Hari terakhir tidak boleh sebelum hari pertama." in page
    assert "Isi dengan bilangan bulat, mis. 30." in page
    assert "Alamat web hanya boleh berisi huruf kecil, angka, dan tanda hubung" in page
    assert 'value="Studi Tiru Kabupaten Seruyan"' in page
    assert 'aria-invalid="true"' in page and 'href="#last_day"' in page
    assert count(Program) == 0


def item_form(program, **overrides):
    data = {
        "title": "Pendakian Kawah Ijen",
        "kind": "field_trip",
        "day": program.first_day.isoformat(),
        "start": "01:00",
        "end": "07:00",
        "venue": "",
        "presenter": "Pemandu TWA",
        "description": "",
        "requirements": "Surat keterangan sehat",
        "dress_code": "Jaket tebal",
        "capacity": "20",
        "optional": "y",
        "reminder_minutes": "180",
    }
    data.update(overrides)
    return data


def test_add_an_item_in_local_time(staff_client, make_program, make_venue):
    program = make_program(status=ProgramStatus.DRAFT, first_day=date(2026, 12, 9))
    venue = make_venue(name="Pos Paltuding")
    response = post(
        staff_client,
        f"/staff/programs/{program.slug}/items/new",
        item_form(program, day="2026-12-10", venue=venue.public_id),
    )
    assert response.status_code == 303
    item = db.session.scalar(select(AgendaItem))
    assert item.starts_at.isoformat() == "2026-12-09T18:00:00+00:00"
    assert item.venue_id == venue.id and item.optional and item.capacity == 20
    page = text(staff_client.get(f"/staff/programs/{program.slug}"))
    assert "01.00–07.00" in page and "Pos Paltuding" in page


def test_an_item_that_ends_before_it_starts_is_refused_at_the_end_field(staff_client, make_program):
    program = make_program(status=ProgramStatus.DRAFT)
    response = post(
        staff_client,
        f"/staff/programs/{program.slug}/items/new",
        item_form(program, start="10:00", end="09:00"),
    )
    assert response.status_code == 422
    page = text(response)
    assert 'id="end-error"' in page and "Waktu selesai harus setelah waktu mulai." in page
    assert count(AgendaItem) == 0


def test_an_item_must_start_within_the_program_days(staff_client, make_program):
    program = make_program(status=ProgramStatus.DRAFT, first_day=date(2026, 12, 9))
    response = post(
        staff_client,
        f"/staff/programs/{program.slug}/items/new",
        item_form(program, day="2026-12-20"),
    )
    assert response.status_code == 422 and "Pilihan ini tidak tersedia." in text(response)
    assert count(AgendaItem) == 0


def test_concurrent_edits_of_an_item_are_caught(staff_client, make_program, make_item):
    program = make_program(status=ProgramStatus.PUBLISHED)
    item = make_item(program, title="Paparan SAKIP", start=time(9), end=time(10))
    seen = item.version
    first = post(
        staff_client,
        f"/staff/items/{item.public_id}/edit",
        item_form(
            program,
            title="Paparan SAKIP (diperbarui)",
            start="09:00",
            end="10:00",
            optional="",
            capacity="",
            version=str(seen),
        ),
    )
    assert first.status_code == 303
    second = post(
        staff_client,
        f"/staff/items/{item.public_id}/edit",
        item_form(program, title="Paparan lain", start="09:00", end="10:00", version=str(seen)),
    )
    assert second.status_code == 409
    assert "Orang lain mengubah data ini" in text(second)
    assert "Paparan SAKIP (diperbarui)" in text(second)  # their version is shown
    db.session.refresh(item)
    assert item.title == "Paparan SAKIP (diperbarui)" and item.revision == 1


def test_cancelled_items_stay_visible_and_publishing_needs_an_item(
    staff_client, make_program, make_item
):
    program = make_program(status=ProgramStatus.DRAFT)
    page = text(staff_client.get(f"/staff/programs/{program.slug}/publish"))
    assert "Program belum memiliki acara." in page
    post(staff_client, f"/staff/programs/{program.slug}/publish")
    db.session.refresh(program)
    assert program.status == ProgramStatus.DRAFT
    item = make_item(program, title="Paparan SAKIP")
    assert "Paparan SAKIP" in text(staff_client.get(f"/staff/programs/{program.slug}/publish"))
    assert post(staff_client, f"/staff/programs/{program.slug}/publish").status_code == 303
    post(staff_client, f"/staff/items/{item.public_id}/cancel", {"version": item.version})
    db.session.refresh(item)
    assert item.is_cancelled and item.revision == 1
    page = text(staff_client.get(f"/staff/programs/{program.slug}"))
    assert "Paparan SAKIP" in page and "Dibatalkan" in page
    post(staff_client, f"/staff/items/{item.public_id}/remove")
    assert db.session.get(AgendaItem, item.id) is not None  # published items are not removed


def test_copy_a_program_to_new_dates_through_the_form(staff_client, make_program, make_item):
    program = make_program(first_day=date(2026, 12, 9))
    make_item(program, title="Ijen", day=date(2026, 12, 10), start=time(1), end=time(7))
    response = post(
        staff_client,
        f"/staff/programs/{program.slug}/copy",
        {"first_day": "2027-01-13", "title": "Studi tiru Januari", "slug": ""},
    )
    assert response.status_code == 303
    copy = db.session.scalar(select(Program).where(Program.title == "Studi tiru Januari"))
    assert copy.status == ProgramStatus.DRAFT
    assert copy.items[0].local_start.isoformat() == "2027-01-14T01:00:00+07:00"


def test_deleting_a_venue_in_use_is_refused_with_the_items_listed(
    staff_client, make_program, make_item, make_venue
):
    venue = make_venue(name="Aula Minak Jinggo")
    make_item(make_program(title="Studi tiru Seruyan"), title="Paparan SAKIP", venue=venue)
    response = post(staff_client, f"/staff/venues/{venue.public_id}/delete", follow_redirects=True)
    page = text(response)
    assert "masih dipakai oleh acara" in page and "Paparan SAKIP (Studi tiru Seruyan)" in page
    assert count(Venue) == 1
    unused = make_venue()
    post(staff_client, f"/staff/venues/{unused.public_id}/delete", {"confirm": "1"})
    assert count(Venue) == 1


def test_venue_closures_and_opening_hours_through_the_pages(
    staff_client, make_program, make_item, make_venue
):
    venue = make_venue(name="Pos Paltuding")
    response = post(
        staff_client,
        f"/staff/venues/{venue.public_id}/closures",
        {
            "kind": "monthly",
            "week_of_month": "1",
            "weekday": "4",
            "reason": "Jumat bersih",
            "starts_on": "",
            "ends_on": "",
        },
    )
    assert response.status_code == 303
    page = text(staff_client.get(f"/staff/venues/{venue.public_id}"))
    assert "setiap Jumat pertama dalam sebulan" in page
    program = make_program(first_day=date(2026, 12, 4), last_day=date(2026, 12, 5))
    make_item(program, title="Trek", venue=venue)
    assert "Pos Paltuding tutup pada hari ini: Jumat bersih" in text(
        staff_client.get(f"/staff/programs/{program.slug}")
    )


def test_the_audit_trail_page_shows_old_and_new_values(staff_client, make_program, make_item):
    program = make_program()
    item = make_item(program, title="Paparan SAKP", start=time(9), end=time(10))
    post(
        staff_client,
        f"/staff/items/{item.public_id}/edit",
        item_form(
            program,
            title="Paparan SAKIP",
            start="09:00",
            end="10:00",
            optional="",
            capacity="",
            version=str(item.version),
        ),
    )
    page = text(staff_client.get(f"/staff/programs/{program.slug}/history"))
    assert "<del>Paparan SAKP</del>" in page and "<ins>Paparan SAKIP</ins>" in page
    assert "Acara diubah" in page


def test_dashboard_shows_clashes_pending_delegations_and_seats(
    staff_client, make_program, make_item, make_delegation, monkeypatch
):
    from planner.workspace import views as dashboard

    monkeypatch.setattr(dashboard, "host_today", lambda: date(2026, 12, 1))
    program = make_program(
        title="Studi tiru Seruyan", first_day=date(2026, 12, 9), max_participants=90
    )
    make_item(program, title="Paparan SAKIP", start=time(9), end=time(11))
    make_item(program, title="Tur MPP", start=time(10), end=time(12))
    make_delegation(program, members=30, institution="Pemerintah Kabupaten Seruyan")
    make_delegation(program, members=5, status=DelegationStatus.APPROVED)
    page = text(staff_client.get("/staff/"))
    assert "Bertabrakan dengan" in page
    assert "Pemerintah Kabupaten Seruyan" in page
    assert "35 / 90" in page


def test_week_calendar_shows_every_program_with_its_colour(staff_client, make_program, make_item):
    first = make_program(title="Studi tiru Seruyan", first_day=date(2026, 12, 9))
    second = make_program(title="Studi tiru Kutai", first_day=date(2026, 12, 10))
    make_item(first, title="Paparan SAKIP", start=time(9), end=time(11))
    make_item(second, title="Tur MPP", day=date(2026, 12, 10), start=time(10), end=time(12))
    page = text(staff_client.get("/staff/calendar?week=2026-12-09"))
    assert "Paparan SAKIP" in page and "Tur MPP" in page
    assert "colour-0" in page and "colour-1" in page
    assert "Rab, 9 Des" in page
    assert staff_client.get("/staff/calendar?week=bukan-tanggal").status_code == 200


def test_staff_see_programs_not_yet_over_and_the_past_a_page_at_a_time(
    staff_client, make_program, make_item, monkeypatch
):
    from planner.workspace import program_views

    monkeypatch.setattr(program_views, "host_today", lambda: date(2026, 12, 1))
    monkeypatch.setattr(program_views, "PROGRAMS_PER_PAGE", 2)
    ahead = make_program(title="Studi tiru Seruyan", first_day=date(2026, 12, 9))
    make_item(ahead)
    make_item(ahead, start=time(10), end=time(11))
    for year in (2023, 2024, 2025):
        make_program(title=f"Studi tiru Seruyan {year}", first_day=date(year, 3, 4))
    page = text(staff_client.get("/staff/programs"))
    assert "Studi tiru Seruyan<" in page and "Studi tiru Seruyan 20" not in page
    assert "<td>2</td>" in page  # its two agenda items
    first = text(staff_client.get("/staff/programs?past=1"))
    assert "Studi tiru Seruyan 2025" in first and "Studi tiru Seruyan 2024" in first
    assert "Studi tiru Seruyan 2023" not in first and "Studi tiru Seruyan<" not in first
    assert 'rel="next"' in first
    second = text(staff_client.get("/staff/programs?past=1&page=2"))
    assert (
        "Studi tiru Seruyan 2023" in second
        and 'rel="prev"' in second
        and 'rel="next"' not in second
    )
    assert staff_client.get("/staff/programs?page=abc").status_code == 200


def test_the_pending_list_leaves_out_programs_that_are_over(
    staff_client, make_program, make_delegation, monkeypatch
):
    from planner.workspace import views as dashboard

    monkeypatch.setattr(dashboard, "host_today", lambda: date(2026, 12, 1))
    make_delegation(make_program(first_day=date(2026, 12, 9)), institution="Kabupaten Seruyan")
    make_delegation(make_program(first_day=date(2025, 6, 2)), institution="Kabupaten Kutai Lama")
    page = text(staff_client.get("/staff/"))
    assert "Kabupaten Seruyan" in page and "Kabupaten Kutai Lama" not in page


class _WeekItems(HTMLParser):
    """The week grid's item links and day columns, with their attributes."""

    def __init__(self):
        super().__init__()
        self.items: list[dict] = []
        self.days: list[dict] = []
        self.grid_style = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "week__item" in classes:
            self.items.append(attributes)
        elif "week__day" in classes:
            self.days.append(attributes)
        elif "week" in classes:
            self.grid_style = attributes["style"]


FOUR_PROGRAMS = (
    ("Studi tiru pelayanan publik Kabupaten Seruyan", "Paparan SAKIP dan reformasi birokrasi"),
    ("Studi banding Kota Samarinda", "Penyambutan di Pendopo Sabha Swagata"),
    ("Kunjungan kerja DPRD Kabupaten Kutai Timur", "Paparan perencanaan pembangunan daerah"),
    ("Studi tiru Kabupaten Gianyar", "Peninjauan Pasar Banyuwangi"),
)


def test_four_programs_at_once_each_get_a_readable_lane_of_their_own(
    staff_client, make_program, make_item
):
    for program_title, item_title in FOUR_PROGRAMS:
        program = make_program(title=program_title, first_day=date(2026, 12, 9))
        make_item(program, title=item_title, start=time(9), end=time(11))
    make_item(program, title="Acara bebas", start=time(13), end=time(15))
    html = text(staff_client.get("/staff/calendar?week=2026-12-09"))
    week = _WeekItems()
    week.feed(html)
    by_title = {item["title"].split(" · ")[1]: item for item in week.items}
    assert len(by_title) == 5
    # Each program its own lane, in the legend's order, a quarter of the day each.
    for lane, (program_title, item_title) in enumerate(FOUR_PROGRAMS):
        item = by_title[item_title]
        assert (item["data-lane"], item["data-span"], item["data-lanes"]) == (str(lane), "1", "4")
        assert f"left: {lane * 25:.2f}%" in item["style"]
        assert "width: calc(25.00% - 2px)" in item["style"]
        # The full title, time and program on hover (title) and for a screen reader (the text).
        assert item["title"] == f"09.00–11.00 · {item_title} · {program_title}"
    assert f'<span class="week__title">{FOUR_PROGRAMS[2][1]}</span>' in html
    # What nothing overlaps is as wide as the day.
    assert by_title["Acara bebas"]["data-lanes"] == "1"
    assert "width: calc(100.00% - 2px)" in by_title["Acara bebas"]["style"]
    # Wednesday is as wide as four readable lanes; the empty days give way.
    lanes = [day["data-lanes"] for day in week.days]
    assert lanes == ["1", "1", "4", "1", "1", "1", "1"]
    assert "minmax(26.0rem, 4fr)" in week.grid_style
    assert week.grid_style.count("minmax(6rem, 0.75fr)") == 6
    # Times with the glossary's dot, the hour scale included.
    assert '<div class="week__hour">08.00</div>' in html and "08:00" not in html
    # The list below the grid (phone, paper) has every item with its program.
    assert "week-list--crowded" not in html
    assert html.count('class="week-list__item colour-') == 5


def test_a_day_with_more_programs_at_once_than_lanes_fit_is_also_listed(
    staff_client, make_program, make_item
):
    titles = [f"Paparan inovasi daerah {n}" for n in range(6)]
    for title in titles:
        program = make_program(first_day=date(2026, 12, 10))
        make_item(program, title=title, day=date(2026, 12, 10), start=time(9), end=time(10))
    make_item(program, title="Tur MPP", day=date(2026, 12, 9), start=time(9), end=time(10))
    make_item(  # past midnight
        program,
        title="Pendakian Kawah Ijen",
        starts_at=to_utc(date(2026, 12, 11), time(22), "Asia/Jakarta"),
        ends_at=to_utc(date(2026, 12, 12), time(2), "Asia/Jakarta"),
    )
    html = text(staff_client.get("/staff/calendar?week=2026-12-09"))
    assert '<div class="week__hour">23.00</div>' in html  # the night's last hour is on the scale
    assert "week-list week-list--crowded" in html
    crowded = html.split('class="week-list__day week-list__day--crowded"')[1].split("</section>")[0]
    assert "Kamis, 10 Desember 2026" in crowded
    assert all(title in crowded for title in titles)
    assert "Tur MPP" not in crowded  # Wednesday fits the grid
    assert "minmax(39.0rem, 6fr)" in html
