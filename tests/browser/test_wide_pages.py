"""Pages with wide content stay inside the screen and readable: the week view with four
programs at once, a delegation's members for staff at 1280 px, and the registration banner
whose send button carries a long e-mail address at 375 px."""

import re
from datetime import date, time

import pytest
from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import Delegation
from planner.programs.models import AgendaItem, ItemKind, Program, ProgramStatus
from planner.programs.times import to_utc
from tests.browser.conftest import DESK, PHONE, screenshot

DAY = date(2027, 3, 3)  # a Wednesday far from the demo's week
WEEK = "/staff/calendar?week=2027-03-01"
PROGRAMS = (
    ("Studi tiru pelayanan publik Kabupaten Seruyan", "Paparan SAKIP dan reformasi birokrasi"),
    ("Studi banding Kota Samarinda", "Penyambutan di Pendopo Sabha Swagata"),
    ("Kunjungan kerja DPRD Kabupaten Kutai Timur", "Paparan perencanaan pembangunan daerah"),
    ("Studi tiru Kabupaten Gianyar", "Peninjauan Pasar Banyuwangi"),
)
LONG_EMAIL = "rina.marlina.bagianprotokol@kutaikartanegarakab.go.id"
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def crowded_week(live_server):
    """Four programs with items at 09.00 on one day; archived again afterwards, so the other
    browser tests see the demo as it was."""
    with live_server.app.app_context():
        programs = []
        for number, (program_title, item_title) in enumerate(PROGRAMS):
            program = Program(
                slug=f"ramai-{number}",
                title=program_title,
                first_day=DAY,
                last_day=DAY,
                timezone="Asia/Jakarta",
                status=ProgramStatus.PUBLISHED,
            )
            program.items.append(
                AgendaItem(
                    title=item_title,
                    kind=ItemKind.BRIEFING,
                    starts_at=to_utc(DAY, time(9), "Asia/Jakarta"),
                    ends_at=to_utc(DAY, time(11), "Asia/Jakarta"),
                )
            )
            db.session.add(program)
            programs.append(program)
        db.session.commit()
        ids = [program.id for program in programs]
    yield programs[0].slug
    with live_server.app.app_context():
        for program in db.session.scalars(select(Program).where(Program.id.in_(ids))):
            program.status = ProgramStatus.ARCHIVED
        db.session.commit()


def test_four_programs_at_once_read_at_1280_and_as_a_list_on_a_phone(
    live_server, browser_page, crowded_week
):
    page = browser_page(DESK)
    live_server.login(page)
    page.goto(live_server.url + WEEK)
    assert page.evaluate(SIDEWAYS) <= 0
    items = page.locator(".week__item")
    assert items.count() == 4
    for program_title, item_title in PROGRAMS:
        item = page.locator(".week__item", has_text=item_title)
        box = item.bounding_box()
        assert box["width"] >= 100, f"{item_title} is a sliver of {box['width']}px"
        assert item.get_attribute("title") == f"09.00–11.00 · {item_title} · {program_title}"
        # The whole title is on screen: no word cut off at the lane's side.
        assert item.evaluate("el => el.scrollWidth <= el.clientWidth")
    lefts = sorted(item.bounding_box()["x"] for item in items.all())
    # Side by side, not stacked.
    assert all(b - a >= 100 for a, b in zip(lefts, lefts[1:], strict=False))
    assert page.locator(".week__hour").first.inner_text() == "06.00"
    assert page.locator(".week-list").is_hidden()  # four lanes fit: no list on a desk
    screenshot(page, "week-four-programs-desk")

    page.emulate_media(media="print")
    assert page.locator(".week").is_hidden()
    assert page.locator(".week-list__item").count() == 4
    page.emulate_media(media="screen")

    phone = browser_page(PHONE)
    live_server.login(phone)
    phone.goto(live_server.url + WEEK)
    assert phone.evaluate(SIDEWAYS) <= 0
    assert phone.locator(".week").is_hidden()
    listed = phone.locator(".week-list__item")
    assert listed.count() == 4
    for program_title, item_title in PROGRAMS:
        entry = phone.locator(".week-list__item", has_text=item_title)
        assert entry.is_visible() and program_title in entry.inner_text()
    screenshot(phone, "week-four-programs-phone")


def test_a_delegations_members_fit_1280_with_the_personal_links_in_view(live_server, browser_page):
    with live_server.app.app_context():
        public_id = db.session.scalar(
            select(Delegation.public_id).where(
                Delegation.institution == "Pemerintah Kabupaten Seruyan"
            )
        )
    for name, viewport in (("desk", DESK), ("phone", PHONE)):
        page = browser_page(viewport)
        live_server.login(page)
        for path in (
            "/staff/programs/studi-tiru-banyuwangi/delegations",
            f"/staff/delegations/{public_id}",
        ):
            page.goto(live_server.url + path)
            assert page.evaluate(SIDEWAYS) <= 0, f"{path} at {name}"
            wraps = page.evaluate(
                "Array.from(document.querySelectorAll('.table-wrap'))"
                ".map(wrap => wrap.scrollWidth - wrap.clientWidth)"
            )
            assert all(extra <= 0 for extra in wraps), f"{path} at {name} scrolls by {wraps}"
        new_link = page.locator("#members .member-table__link button").first
        assert new_link.is_visible()
        assert new_link.bounding_box()["x"] + new_link.bounding_box()["width"] <= viewport["width"]
        screenshot(page, f"delegation-members-{name}")


def test_the_registration_banner_with_a_long_address_fits_375_px(
    live_server, browser_page, crowded_week
):
    page = browser_page(PHONE)
    page.goto(f"{live_server.url}/programs/{crowded_week}/register")
    for field, value in {
        "#institution": "Pemerintah Kabupaten Kutai Kartanegara",
        "#province": "Kalimantan Timur",
        "#leader_name": "Drs. Edi Damansyah",
        "#leader_title": "Bupati Kutai Kartanegara",
        "#contact-name": "Rina Marlina",
        "#contact-phone": "0812 5566 7788",
        "#contact-email": LONG_EMAIL,
        "#members-0-full_name": "Rina Marlina",
        "#members-0-position": "Kepala Bagian Protokol",
    }.items():
        page.fill(field, value)
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
    send = page.locator(".key-banner button", has_text=LONG_EMAIL)
    assert send.is_visible()
    assert page.evaluate(SIDEWAYS) <= 0
    box = send.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "registered-long-address-phone")
