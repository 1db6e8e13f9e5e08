"""The member's page on the trip: the changes since they first opened it, and Now and Next."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from planner.core.database import db
from planner.delegations import companion
from planner.delegations.models import DelegationStatus, Member
from planner.programs import announcements
from planner.programs.models import ItemStatus
from tests.helpers import text

ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def trip(make_program, make_item, make_venue, make_delegation):
    """A two-day visit (9–10 Dec 2026, WIB) announced at publication, and one member."""
    program = make_program(
        protocol_contact_name="Bagian Protokol", protocol_contact_phone="+6281349876543"
    )
    pendopo = make_venue(name="Pendopo Sabha Swagata")
    items = {
        "welcome": make_item(program, title="Penyambutan", venue=pendopo),
        "photo": make_item(
            program,
            title="Foto bersama",
            start=time(9, 30),
            end=time(10),
            status=ItemStatus.CANCELLED,
        ),
        "briefing": make_item(
            program, title="Paparan Mal Pelayanan Publik", start=time(10), end=time(11)
        ),
        "trek": make_item(
            program, title="Pendakian Kawah Ijen", day=program.last_day, venue=make_venue()
        ),
    }
    announcements.announce_all(program)
    delegation = make_delegation(program, members=1, status=DelegationStatus.APPROVED)
    db.session.commit()
    return program, items, delegation.members[0]


def seen_at(member: Member):
    db.session.expire_all()
    return db.session.get(Member, member.id).first_seen_at


def move(program, item, hours: int = 1) -> None:
    """Staff move the item and send the change notice."""
    item.starts_at += timedelta(hours=hours)
    item.ends_at += timedelta(hours=hours)
    announcements.announce(announcements.pending_changes(program))
    db.session.commit()


def at(monkeypatch, day: int, hour: int, minute: int = 0) -> None:
    """The moment of the page, in WIB (UTC+7), on a day of December 2026."""
    moment = datetime(2026, 12, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)
    monkeypatch.setattr(companion, "utcnow", lambda: moment)


# --- first seen ---------------------------------------------------------------------------


def test_the_first_visit_is_recorded_once_without_touching_the_calendar_feed(client, trip):
    _program, _items, member = trip
    updated = member.updated_at
    assert client.get(f"/m/{member.token}", headers={"User-Agent": ANDROID}).status_code == 200
    first = seen_at(member)
    assert first is not None and first.tzinfo is not None
    client.get(f"/m/{member.token}", headers={"User-Agent": ANDROID})
    assert seen_at(member) == first
    assert db.session.get(Member, member.id).updated_at == updated


def test_the_page_shows_when_its_first_visit_cannot_be_recorded(client, trip, monkeypatch):
    _program, _items, member = trip

    def locked(member):
        raise OperationalError("UPDATE members", {}, Exception("database is locked"))

    monkeypatch.setattr(companion, "mark_seen", locked)
    response = client.get(f"/m/{member.token}", headers={"User-Agent": ANDROID})
    assert response.status_code == 200
    assert member.full_name in text(response)
    assert seen_at(member) is None


def test_link_previews_are_not_a_visit(client, trip):
    _program, _items, member = trip
    url = f"/m/{member.token}"
    whatsapp = client.get(url, headers={"User-Agent": "WhatsApp/2.23.20.0 A"})
    assert whatsapp.status_code == 200
    assert client.head(url, headers={"User-Agent": ANDROID}).status_code == 200
    assert seen_at(member) is None


@pytest.mark.parametrize(
    "agent",
    [
        "WhatsApp/2.23.20.0 A",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "TelegramBot (like TwitterBot)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
        "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
        "",
    ],
)
def test_preview_fetchers_and_robots_are_recognised(agent):
    assert companion.is_preview("GET", agent)


@pytest.mark.parametrize(
    "agent",
    [
        ANDROID,
        "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    ],
)
def test_phones_are_people(agent):
    assert not companion.is_preview("GET", agent)
    assert companion.is_preview("HEAD", agent)


# --- changed since first seen ----------------------------------------------------------------


def test_a_change_announced_after_the_first_visit_is_marked(client, trip):
    program, items, member = trip
    url = f"/m/{member.token}"
    assert "stop__changed" not in text(client.get(url, headers={"User-Agent": ANDROID}))
    move(program, items["briefing"])
    page = text(client.get(url, headers={"User-Agent": ANDROID}))
    assert page.count("stop__changed") == 1 and "10.00 WIB → 11.00 WIB" in page


def test_a_change_announced_before_the_first_visit_is_news_to_nobody_but_the_delegation(
    client, trip
):
    program, items, member = trip
    url = f"/m/{member.token}"
    move(program, items["briefing"])
    client.get(url, headers={"User-Agent": "WhatsApp/2.23.20.0 A"})  # sent in the group chat
    assert "stop__changed" not in text(client.get(url, headers={"User-Agent": ANDROID}))
    assert "stop__changed" not in text(client.get(url, headers={"User-Agent": ANDROID}))
    delegation_page = text(client.get(f"/d/{member.delegation.token}"))
    assert "item__changed" in delegation_page and "10.00 WIB → 11.00 WIB" in delegation_page


def test_publication_marks_nothing_and_a_new_item_is_marked_new(client, trip, make_item):
    program, _items, member = trip
    url = f"/m/{member.token}"
    client.get(url, headers={"User-Agent": ANDROID})
    assert all(item.announced_at is None for item in program.items)
    make_item(program, title="Makan siang bersama", start=time(12), end=time(13))
    announcements.announce(announcements.pending_changes(program))
    db.session.commit()
    page = text(client.get(url, headers={"User-Agent": ANDROID}))
    assert page.count("stop__changed") == 1 and "Acara baru" in page


# --- now and next --------------------------------------------------------------------------


def part(page: str, heading: str) -> str:
    """The "Now" or "Next" section of the page ("" when absent)."""
    if f'id="{heading}-heading"' not in page:
        return ""
    return page.split(f'id="{heading}-heading"', 1)[1].split("</section>", 1)[0]


def test_during_a_running_item_now_shows_it_and_next_skips_the_cancelled_one(
    client, trip, monkeypatch
):
    _program, _items, member = trip
    at(monkeypatch, 9, 8, 30)
    page = text(client.get(f"/m/{member.token}"))
    now, coming = part(page, "now"), part(page, "next")
    assert "Penyambutan" in now and "Pendopo Sabha Swagata" in now and "08.00" in now
    assert "google.com/maps" in now
    assert "Paparan Mal Pelayanan Publik" in coming and "10.00" in coming
    assert "Foto bersama" not in now + coming
    head = page.split('class="now-next"', 1)
    assert len(head) == 2 and head[1].index("now-heading") < head[1].index("protocol-contact")


def test_between_items_only_next_shows_and_names_another_day(client, trip, monkeypatch):
    _program, items, member = trip
    at(monkeypatch, 9, 11, 30)
    page = text(client.get(f"/m/{member.token}"))
    assert part(page, "now") == ""
    coming = part(page, "next")
    assert "Pendakian Kawah Ijen" in coming and "Kam, 10 Des" in coming
    assert "google.com/maps" in coming


def test_a_cancelled_item_is_never_now(client, trip, monkeypatch):
    _program, items, member = trip
    at(monkeypatch, 9, 9, 45)
    page = text(client.get(f"/m/{member.token}"))
    assert part(page, "now") == ""
    assert "Paparan Mal Pelayanan Publik" in part(page, "next")


def test_after_the_last_item_nothing_more_is_on_the_schedule(client, trip, monkeypatch):
    _program, _items, member = trip
    at(monkeypatch, 10, 20)
    page = text(client.get(f"/m/{member.token}"))
    assert part(page, "now") == part(page, "next") == ""
    assert "now-next__done" in page


@pytest.mark.parametrize("day", [8, 11])
def test_outside_the_visit_days_there_is_no_now_and_next(client, trip, monkeypatch, day):
    _program, _items, member = trip
    at(monkeypatch, day, 8, 30)
    assert 'class="now-next' not in text(client.get(f"/m/{member.token}"))


def test_a_cancelled_delegation_has_no_now_and_next(client, trip, monkeypatch):
    _program, _items, member = trip
    member.delegation.status = DelegationStatus.CANCELLED
    db.session.commit()
    at(monkeypatch, 9, 8, 30)
    assert 'class="now-next' not in text(client.get(f"/m/{member.token}"))
