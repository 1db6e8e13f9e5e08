"""Calendar feeds: what real calendar apps need to import, subscribe and update."""

import os
from datetime import UTC, date, datetime, time, timedelta

import pytest
from babel.dates import format_date
from icalendar import Calendar

from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.programs.agenda import cancel_item, update_item
from planner.programs.times import to_utc
from tests import icalcheck
from tests.helpers import count_queries, count_statements, login, text


@pytest.fixture
def feed_dir(tmp_path):
    """Where a test keeps the feeds it fetched; the independent checker judges each one when
    the test ends."""
    directory = tmp_path / "feeds"
    directory.mkdir()
    yield directory
    icalcheck.check_all(sorted(directory.glob("*.ics")))


def fetch(client, url, feed_dir=None, **kwargs):
    response = client.get(url, **kwargs)
    if response.status_code == 200 and feed_dir is not None:
        (feed_dir / f"feed-{len(list(feed_dir.iterdir())):03d}.ics").write_bytes(response.data)
    return response


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def visit(make_program, make_item, make_venue, make_delegation):
    """The demo's shape: a briefing, an optional night trek, a parallel optional group."""
    program = make_program(first_day=date(2026, 12, 9), timezone="Asia/Jakarta")
    pendopo = make_venue(
        name="Pendopo Sabha Swagata Blambangan", latitude=-8.2192, longitude=114.3691
    )
    ijen = make_venue(
        name="Pos Paltuding", address="Tamansari, Licin", latitude=-8.0322, longitude=114.2283
    )
    briefing = make_item(
        program,
        title="Paparan SAKIP",
        venue=pendopo,
        start=time(9),
        end=time(11),
        presenter="Kepala Bappeda",
        dress_code="PDH",
    )
    trek = make_item(
        program,
        title="Pendakian Kawah Ijen",
        venue=ijen,
        day=date(2026, 12, 10),
        start=time(1),
        end=time(7),
        optional=True,
        capacity=20,
        reminder_minutes=180,
        kind="field_trip",
        requirements="Surat keterangan sehat; jaket tebal, senter",
    )
    other = make_item(
        program,
        title="Kelompok B",
        day=date(2026, 12, 10),
        start=time(2),
        end=time(3),
        optional=True,
    )
    delegation = make_delegation(program, members=3, status=DelegationStatus.APPROVED)
    climber = delegation.members[0]
    climber.optional_items.append(trek)
    db.session.commit()
    return program, delegation, climber, (briefing, trek, other)


def test_the_same_item_has_the_same_uid_in_every_feed(client, visit, feed_dir, make_staff):
    program, delegation, climber, (briefing, trek, _) = visit
    feeds = [
        parse(fetch(client, f"/programs/{program.slug}/agenda.ics", feed_dir)),
        parse(fetch(client, f"/d/{delegation.token}/schedule.ics", feed_dir)),
        parse(fetch(client, f"/m/{climber.token}/schedule.ics", feed_dir)),
    ]
    staff = make_staff()
    feeds.append(
        parse(fetch(client, f"/staff/calendar.ics?token={staff.calendar_token}", feed_dir))
    )
    for calendar in feeds:
        found = events(calendar)
        assert str(found["Paparan SAKIP"]["UID"]) == f"{briefing.public_id}@planner.example.id"
        assert str(found["Pendakian Kawah Ijen"]["UID"]) == f"{trek.public_id}@planner.example.id"


def test_each_feed_holds_the_right_items(client, visit, feed_dir):
    program, delegation, climber, _ = visit
    other_member = delegation.members[1]
    assert set(events(parse(fetch(client, f"/programs/{program.slug}/agenda.ics")))) == {
        "Paparan SAKIP",
        "Pendakian Kawah Ijen",
        "Kelompok B",
    }
    assert set(events(parse(fetch(client, f"/d/{delegation.token}/schedule.ics")))) == {
        "Paparan SAKIP",
        "Pendakian Kawah Ijen",
    }
    assert set(events(parse(fetch(client, f"/m/{climber.token}/schedule.ics", feed_dir)))) == {
        "Paparan SAKIP",
        "Pendakian Kawah Ijen",
    }
    assert set(events(parse(fetch(client, f"/m/{other_member.token}/schedule.ics")))) == {
        "Paparan SAKIP"
    }


def test_times_carry_the_program_zone_with_a_matching_vtimezone(client, visit):
    program, *_ = visit
    response = fetch(client, f"/programs/{program.slug}/agenda.ics")
    body = response.data.decode()
    assert "DTSTART;TZID=Asia/Jakarta:20261210T010000" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta\r\n" in body
    assert "COMMENT" not in body and "METHOD" not in body
    assert "ATTENDEE" not in body and "ORGANIZER" not in body
    trek = events(parse(response))["Pendakian Kawah Ijen"]
    # 01:00 WIB is 18:00 UTC the day before.
    assert trek["DTSTART"].dt.astimezone(UTC) == datetime(2026, 12, 9, 18, 0, tzinfo=UTC)
    calendar = parse(response)
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body and "X-PUBLISHED-TTL:PT1H" in body


def test_an_event_carries_what_a_participant_needs(client, visit):
    program, delegation, climber, (_, trek, _) = visit
    event_ = events(parse(fetch(client, f"/m/{climber.token}/schedule.ics")))[
        "Pendakian Kawah Ijen"
    ]
    assert str(event_["STATUS"]) == "CONFIRMED" and int(event_["SEQUENCE"]) == 0
    assert str(event_["LOCATION"]) == "Pos Paltuding, Tamansari, Licin"
    assert event_["GEO"].latitude == pytest.approx(-8.0322)
    description = str(event_["DESCRIPTION"])
    assert "Surat keterangan sehat; jaket tebal, senter" in description
    assert f"https://planner.example.id/m/{climber.token}" in description
    assert str(event_["URL"]) == f"https://planner.example.id/m/{climber.token}"
    assert [str(c) for c in event_["CATEGORIES"].cats] == ["Kunjungan lapangan"]
    (alarm,) = event_.walk("VALARM")
    assert alarm["TRIGGER"].dt.total_seconds() == -180 * 60
    assert (
        event_["DTSTAMP"].dt == trek.updated_at.replace(microsecond=0)
        or event_["DTSTAMP"].dt == trek.updated_at
    )


def test_a_time_change_raises_sequence_and_last_modified_and_keeps_the_uid(
    client, visit, feed_dir, tmp_path
):
    program, _, climber, (_, trek, _) = visit
    url = f"/m/{climber.token}/schedule.ics"
    before = fetch(client, url, feed_dir)
    old = events(parse(before))["Pendakian Kawah Ijen"]
    (tmp_path / "before.ics").write_bytes(before.data)
    db.session.execute(db.text("SELECT 1"))
    update_item(
        trek,
        {
            "starts_at": to_utc(date(2026, 12, 10), time(2), "Asia/Jakarta"),
            "ends_at": to_utc(date(2026, 12, 10), time(8), "Asia/Jakarta"),
        },
    )
    db.session.commit()
    after = fetch(client, url, feed_dir)
    new = events(parse(after))["Pendakian Kawah Ijen"]
    assert str(new["UID"]) == str(old["UID"])
    assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
    assert new["LAST-MODIFIED"].dt >= old["LAST-MODIFIED"].dt
    assert new["DTSTART"].dt.hour == 2
    assert before.headers["ETag"] != after.headers["ETag"]
    (tmp_path / "after.ics").write_bytes(after.data)
    icalcheck.check(tmp_path / "after.ics", previous=tmp_path / "before.ics")


def test_a_cancelled_item_stays_as_cancelled(client, visit, feed_dir):
    program, _, _, (briefing, _, _) = visit
    cancel_item(briefing)
    db.session.commit()
    found = events(parse(fetch(client, f"/programs/{program.slug}/agenda.ics", feed_dir)))
    assert str(found["Paparan SAKIP"]["STATUS"]) == "CANCELLED"
    assert int(found["Paparan SAKIP"]["SEQUENCE"]) == 1


def test_an_unchanged_feed_answers_304(client, visit):
    program, delegation, climber, (briefing, _, _) = visit
    for url in (
        f"/programs/{program.slug}/agenda.ics",
        f"/d/{delegation.token}/schedule.ics",
        f"/m/{climber.token}/schedule.ics",
    ):
        first = fetch(client, url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert etag.startswith('"') and etag.endswith('"')
        again = fetch(client, url)
        assert again.data == first.data  # the same bytes from one request to the next
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    private = client.get(f"/m/{climber.token}/schedule.ics")
    assert private.headers["Cache-Control"].startswith("private")
    etag = client.get(f"/programs/{program.slug}/agenda.ics").headers["ETag"]
    update_item(briefing, {"description": "Ruang diganti"})
    db.session.commit()
    changed = client.get(f"/programs/{program.slug}/agenda.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_a_choice_change_changes_the_member_feed(client, visit):
    from planner.delegations.records import MemberFields
    from planner.delegations.registration import replace_members

    _, delegation, climber, (_, trek, _) = visit
    url = f"/m/{climber.token}/schedule.ics"
    etag = client.get(url).headers["ETag"]
    members = [
        MemberFields(
            full_name=m.full_name,
            position=m.position,
            id=m.public_id,
            role=m.role,
            optional_items=[],
        )
        for m in delegation.members
    ]
    replace_members(delegation, members)
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Pendakian Kawah Ijen" not in events(parse(response))


def test_long_titles_emoji_quotes_and_line_breaks_fold_safely(
    client, make_program, make_item, feed_dir
):
    program = make_program(title='Studi "Tiru"; Kabupaten, Banyuwangi 🌋')
    make_item(
        program,
        title="Pendakian malam ke Kawah Ijen 🌋🔥 untuk melihat api biru — perjalanan panjang "
        "dari Paltuding sampai bibir kawah; bawa jaket, sarung tangan, senter",
        description="Baris satu\nBaris dua; koma, titik koma\r\nDESCRIPTION:palsu\nEND:VEVENT",
        requirements='Kutipan "ganda" dan \\ garis miring\x07 tak terlihat',
    )
    response = fetch(client, f"/programs/{program.slug}/agenda.ics", feed_dir)
    lines = response.data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # no line splits a multi-byte character
    assert b"\x07" not in response.data
    assert not any(line.startswith(b"END:VEVENT") and b"palsu" in line for line in lines)
    (found,) = parse(response).walk("VEVENT")
    assert "DESCRIPTION:palsu\nEND:VEVENT" in str(found["DESCRIPTION"])
    assert len(parse(response).walk("VEVENT")) == 1


def test_an_empty_program_is_a_valid_empty_calendar(client, make_program):
    # Not handed to the independent checker, whose strict rules expect at least one VEVENT;
    # RFC 5545 asks for at least one component, and the VTIMEZONE is one.
    program = make_program(timezone="Asia/Makassar")
    calendar = parse(fetch(client, f"/programs/{program.slug}/agenda.ics"))
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Makassar"]


def test_wrong_tokens_are_404_never_an_empty_calendar(client, visit, make_staff):
    _, delegation, climber, _ = visit
    assert client.get(f"/m/{climber.token[:-2]}/schedule.ics").status_code == 404
    assert client.get(f"/d/{climber.token}/schedule.ics").status_code == 404
    assert client.get("/staff/calendar.ics?token=wrong").status_code == 404
    assert client.get("/staff/calendar.ics").status_code == 404


def test_staff_can_reset_their_feed_token(client, make_staff):
    from tests.helpers import post

    staff = make_staff()
    old = staff.calendar_token
    login(client, staff)
    assert old in text(client.get("/staff/account"))
    post(client, "/staff/account/calendar-token")
    db.session.refresh(staff)
    assert staff.calendar_token != old
    assert client.get(f"/staff/calendar.ics?token={old}").status_code == 404
    assert client.get(f"/staff/calendar.ics?token={staff.calendar_token}").status_code == 200


def test_feeds_speak_the_language_asked_for(client, visit):
    program, *_ = visit
    indonesian = client.get(f"/programs/{program.slug}/agenda.ics").data.decode()
    english = client.get(f"/programs/{program.slug}/agenda.ics?lang=en").data.decode()
    assert "Pakaian: PDH" in indonesian and "Dress code: PDH" in english


def test_pages_offer_download_subscribe_google_and_a_qr_code(client, visit):
    program, delegation, climber, _ = visit
    page = text(client.get(f"/m/{climber.token}"))
    assert f"webcal://planner.example.id/m/{climber.token}/schedule.ics" in page
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in page
    assert f"/m/{climber.token}/schedule.ics?download=1" in page
    assert "<svg" in page  # the subscription QR code, inline
    for url in (f"/programs/{program.slug}", f"/d/{delegation.token}"):
        assert "webcal://" in text(client.get(url))


@pytest.mark.parametrize("feed", ["program", "member", "delegation", "staff"])
def test_a_feed_makes_the_same_number_of_queries_at_6_and_60_items(
    app, client, make_program, make_item, make_venue, make_delegation, make_staff, feed
):
    staff = make_staff()
    counts = []
    for size in (6, 60):
        program = make_program(first_day=date(2026, 12, 9), last_day=date(2026, 12, 13))
        venues = [make_venue() for _ in range(3)]
        items = [
            make_item(
                program,
                day=date(2026, 12, 9 + i % 5),
                start=time(6 + i // 5 % 12),
                end=time(7 + i // 5 % 12),
                venue=venues[i % 3],
                optional=i % 2 == 0,
            )
            for i in range(size)
        ]
        delegation = make_delegation(program, members=size // 2)
        for member, item in zip(delegation.members, items[::2], strict=False):
            member.optional_items.append(item)
        db.session.commit()
        url = {
            "program": f"/programs/{program.slug}/agenda.ics",
            "member": f"/m/{delegation.members[0].token}/schedule.ics",
            "delegation": f"/d/{delegation.token}/schedule.ics",
            "staff": f"/staff/calendar.ics?token={staff.calendar_token}",
        }[feed]
        counts.append(count_queries(app, client, url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 6


# --- the rendered body is kept under its version ----------------------------------------------


def _reissue_delegation_link(visit):
    from planner.delegations.review import reissue_delegation_link

    reissue_delegation_link(visit[1])


def _reissue_member_link(visit):
    from planner.delegations.review import reissue_member_link

    reissue_member_link(visit[2])


def _drop_the_trek(visit):
    from planner.delegations.records import MemberFields
    from planner.delegations.registration import replace_members

    replace_members(
        visit[1],
        [
            MemberFields(full_name=m.full_name, position=m.position, id=m.public_id, role=m.role)
            for m in visit[1].members
        ],
    )


def _move_the_briefing(visit, make_venue):
    visit[3][0].venue = make_venue(name="Gedung Juang 45", address="Jl. Diponegoro")


FEED_URLS = {
    "program": lambda visit: f"/programs/{visit[0].slug}/agenda.ics",
    "delegation": lambda visit: f"/d/{visit[1].token}/schedule.ics",
    "member": lambda visit: f"/m/{visit[2].token}/schedule.ics",
}
CHANGES = {
    # change: (what it does, the feeds whose bytes must change)
    "item title": (lambda v, _: setattr(v[3][1], "title", "Trek Ijen"), FEED_URLS),
    "item time": (
        lambda v, _: setattr(
            v[3][0], "starts_at", to_utc(date(2026, 12, 9), time(8), "Asia/Jakarta")
        ),
        FEED_URLS,
    ),
    "venue assignment": (_move_the_briefing, FEED_URLS),
    "venue name": (lambda v, _: setattr(v[3][1].venue, "name", "Pos Paltuding Baru"), FEED_URLS),
    "venue address": (
        lambda v, _: setattr(v[3][0].venue, "address", "Jl. Ahmad Yani 1"),
        FEED_URLS,
    ),
    "program title": (lambda v, _: setattr(v[0], "title", "Studi tiru MPP"), FEED_URLS),
    "delegation link": (lambda v, _: _reissue_delegation_link(v), ["delegation"]),
    "member link": (lambda v, _: _reissue_member_link(v), ["member"]),
    "optional choice": (lambda v, _: _drop_the_trek(v), ["delegation", "member"]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_is_never_answered_from_the_warm_cache(client, visit, make_venue, change):
    act, changed_feeds = CHANGES[change]
    before = {feed: fetch(client, FEED_URLS[feed](visit)) for feed in changed_feeds}
    again = {feed: fetch(client, FEED_URLS[feed](visit)) for feed in changed_feeds}
    assert all(again[feed].data == before[feed].data for feed in changed_feeds)
    act(visit, make_venue)
    db.session.commit()
    for feed in changed_feeds:
        after = fetch(client, FEED_URLS[feed](visit))
        assert after.status_code == 200
        assert after.data != before[feed].data, feed
        assert after.headers["ETag"] != before[feed].headers["ETag"], feed


def test_a_polled_feed_asks_the_database_once_a_second_and_then_sees_the_change(
    app, client, visit, monkeypatch
):
    import threading

    from cachetools import TTLCache

    now = [0.0]
    versions = TTLCache(100, 1.0, timer=lambda: now[0])
    monkeypatch.setitem(app.extensions, "planner.versions", (versions, threading.Lock()))
    url = FEED_URLS["program"](visit)
    first = fetch(client, url)
    revalidate = {"If-None-Match": first.headers["ETag"]}
    statements, response = count_statements(app, lambda: client.get(url, headers=revalidate))
    assert (statements, response.status_code) == (0, 304)

    visit[3][0].title = "Paparan SAKIP dan LKjIP"
    db.session.commit()
    assert client.get(url, headers=revalidate).status_code == 304  # within the second
    now[0] = 1.01
    after = client.get(url, headers=revalidate)
    assert after.status_code == 200 and b"LKjIP" in after.data


def test_each_language_has_its_own_cached_body(client, visit):
    url = f"/m/{visit[2].token}/schedule.ics"
    indonesian = fetch(client, url).data
    english = fetch(client, url + "?lang=en").data
    assert b"Pakaian: PDH" in indonesian and b"Dress code: PDH" in english
    assert fetch(client, url).data == indonesian


def test_an_unchanged_feed_is_rendered_once(client, visit, monkeypatch, make_staff):
    from planner.calendar import feeds, views

    rendered = []

    def counting(feed):
        rendered.append(feed.uid)
        return build_calendar(feed)

    build_calendar = views.build_calendar
    monkeypatch.setattr(views, "build_calendar", counting)
    monkeypatch.setattr(feeds, "build_calendar", counting)
    program, delegation, climber, _ = visit
    staff = make_staff()
    for url in (
        f"/programs/{program.slug}/agenda.ics",
        f"/d/{delegation.token}/schedule.ics",
        f"/m/{climber.token}/schedule.ics",
        f"/staff/calendar.ics?token={staff.calendar_token}",
    ):
        first = fetch(client, url)
        assert fetch(client, url).data == first.data
    assert len(rendered) == 4


def test_with_redis_stopped_feeds_are_rendered_and_correct(app, client, visit, monkeypatch):
    from planner.core.cache import BytesCache

    url = f"/m/{visit[2].token}/schedule.ics"
    expected = fetch(client, url).data
    monkeypatch.setitem(app.extensions, "planner.cache", BytesCache("redis://127.0.0.1:1/0"))
    for _ in range(2):
        response = fetch(client, url)
        assert response.status_code == 200 and response.data == expected
    assert set(events(parse(response))) == {"Paparan SAKIP", "Pendakian Kawah Ijen"}


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_with_redis_one_app_server_renders_for_all(app, client, visit, monkeypatch):
    import redis

    from planner.calendar import views
    from planner.core.cache import BytesCache

    redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).flushdb()
    url = f"/programs/{visit[0].slug}/agenda.ics"
    monkeypatch.setitem(app.extensions, "planner.cache", BytesCache(os.environ["TEST_REDIS_URL"]))
    first = fetch(client, url).data
    # Another app server: its own process memory, the same Redis.
    monkeypatch.setitem(app.extensions, "planner.cache", BytesCache(os.environ["TEST_REDIS_URL"]))
    monkeypatch.setattr(views, "build_calendar", lambda feed: pytest.fail("rendered again"))
    assert fetch(client, url).data == first


# --- the staff feed: the last 90 days and everything ahead ------------------------------------


def test_the_staff_feed_covers_90_days_back_and_everything_ahead(
    client, make_program, make_item, make_staff
):
    from planner.programs.times import host_today

    today = host_today()
    for days, title in ((-100, "Seratus hari lalu"), (-30, "Sebulan lalu"), (20, "Akan datang")):
        day = today + timedelta(days=days)
        make_item(make_program(first_day=day, last_day=day), title=title, day=day)
    staff = make_staff()
    calendar = parse(fetch(client, f"/staff/calendar.ics?token={staff.calendar_token}"))
    assert set(events(calendar)) == {"Sebulan lalu", "Akan datang"}
    since = today - timedelta(days=90)
    assert format_date(since, "d MMMM y", locale="id") in str(calendar["DESCRIPTION"])
    english = parse(fetch(client, f"/staff/calendar.ics?token={staff.calendar_token}&lang=en"))
    assert str(english["DESCRIPTION"]) == (
        f"Study visits from {since.day} {since:%B} {since.year} onward: "
        "the last 90 days and everything ahead"
    )
