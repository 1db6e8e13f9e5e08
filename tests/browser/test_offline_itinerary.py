"""After one visit online, the member's and the delegation's pages, their styles and script and
their calendars open in airplane mode; the device keeps nothing but what it opened itself."""

import re

import pytest
from icalendar import Calendar
from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import Delegation
from tests.browser.conftest import ARTIFACTS, AXE, PHONE, serious_violations

CONTACT_NAME = "Rina Wulandari"
CONTACT_PHONE = "+6281349876543"


@pytest.fixture
def protocol_contact(live_server):
    """The demo program names its protocol contact for these tests, and is put back after."""
    with live_server.app.app_context():
        program = db.session.scalar(
            select(Delegation).where(Delegation.token == live_server.delegation_token)
        ).program
        before = program.protocol_contact_name, program.protocol_contact_phone
        program.protocol_contact_name, program.protocol_contact_phone = CONTACT_NAME, CONTACT_PHONE
        db.session.commit()
    yield
    with live_server.app.app_context():
        program = db.session.scalar(
            select(Delegation).where(Delegation.token == live_server.delegation_token)
        ).program
        program.protocol_contact_name, program.protocol_contact_phone = before
        db.session.commit()


def kept_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(request.url);
            }
            return urls.sort();
        }"""
    )


def visit_online(page, url: str) -> None:
    """The first visit: the page registers its worker, which keeps the page and its calendar."""
    page.goto(url)
    page.wait_for_function("async () => Boolean(await navigator.serviceWorker.ready)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    path = url.split("://", 1)[1].split("/", 1)[1]
    page.wait_for_function(
        """async (path) => Boolean(await caches.match('/' + path)
            && await caches.match('/' + path + '/schedule.ics'))""",
        arg=path,
    )
    assert page.locator("[data-offline-note]").is_hidden()


def offline_calendar(page, href: str) -> tuple[Calendar, str]:
    answer = page.evaluate(
        """async (href) => {
            const response = await fetch(href);
            return [response.status, response.headers.get('Content-Disposition') || '',
                    await response.text()];
        }""",
        href,
    )
    status, disposition, body = answer
    assert status == 200
    return Calendar.from_ical(body), disposition


def assert_offline_page(page, live_server, path: str) -> None:
    page.context.set_offline(True)
    page.reload()
    note = page.locator("[data-offline-note]")
    assert note.is_visible()
    # The note takes the place of the "last updated" line, with the same time.
    updated = page.locator(".updated-at").text_content()
    assert page.locator(".updated-at").is_hidden()
    when = re.search(r"\d{2}[.:]\d{2} WIB", updated).group(0)
    assert when in note.inner_text()
    assert page.locator("[data-refresh]").is_hidden()  # nothing to refresh without signal
    assert page.locator("[data-itinerary]").get_attribute("data-served") == "cache"
    # The style sheet came from the kept copy too.
    assert page.evaluate("getComputedStyle(document.querySelector('.offline-note')).display") == (
        "flex"
    )
    # The page's own calendar, as the "Download .ics" link asks for it.
    href = page.locator(".calendar-box a", has_text=re.compile(r"\.ics")).get_attribute("href")
    assert path + "/schedule.ics" in href
    calendar, disposition = offline_calendar(page, href)
    assert calendar.walk("VEVENT")
    assert disposition.startswith("attachment")
    # Back online: the page offers the fresh copy.
    page.context.set_offline(False)
    page.locator("[data-refresh]").wait_for(state="visible")
    page.click("[data-refresh]")
    page.wait_for_load_state()
    assert page.locator("[data-itinerary]").get_attribute("data-served") == "network"
    assert page.locator("[data-offline-note]").is_hidden()
    # Only this page, its calendar and public static files are on the device.
    base = live_server.url
    allowed = {base + path, base + path + "/schedule.ics"}
    for url in kept_urls(page):
        assert (
            url in allowed
            or url.startswith(base + "/static/")
            or url.endswith("/itinerary.webmanifest")
        ), url


def test_the_member_page_opens_in_airplane_mode(live_server, browser_page, protocol_contact):
    page = browser_page(PHONE, "id")
    path = f"/m/{live_server.member_token}"
    visit_online(page, live_server.url + path)
    page.context.set_offline(True)
    page.reload()
    contact = page.locator(".protocol-contact")
    assert CONTACT_NAME in contact.inner_text()
    assert contact.locator("a[href='tel:+6281349876543']").is_visible()
    assert page.locator(".stop").count() > 0
    # What is new on the page passes axe and has phone-sized targets, offline too.
    if AXE.exists():
        assert serious_violations(page, AXE.read_text()) == []
    heights = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                '.protocol-contact a, .day-contact a, .offline-note button'))
            .filter(el => el.offsetParent !== null)
            .map(el => el.getBoundingClientRect().height)"""
    )
    assert heights and min(heights) >= 44
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "member-offline-id-phone.png"))  # what the phone shows
    page.screenshot(path=str(folder / "member-offline-id-phone-full.png"), full_page=True)
    page.context.set_offline(False)
    assert_offline_page(page, live_server, path)


def test_the_delegation_page_opens_in_airplane_mode(live_server, browser_page, protocol_contact):
    page = browser_page(PHONE, "en")
    path = f"/d/{live_server.delegation_token}"
    visit_online(page, live_server.url + path)
    # A member's QR code is another token: the page shows it, the device does not keep it.
    with page.expect_response(lambda response: response.url.endswith("/qr.svg")) as qr:
        page.locator("details.qr summary").first.click()
    assert qr.value.ok
    assert not [url for url in kept_urls(page) if "/m/" in url]
    assert_offline_page(page, live_server, path)
    assert CONTACT_NAME in page.locator(".protocol-contact").inner_text()


def test_staff_pages_are_never_under_the_worker(live_server, browser_page):
    page = browser_page(PHONE, "id")
    visit_online(page, f"{live_server.url}/m/{live_server.member_token}")
    live_server.login(page)
    page.goto(live_server.url + "/staff/")
    assert page.evaluate("navigator.serviceWorker.controller") is None
    assert not [url for url in kept_urls(page) if "/staff" in url or "/api" in url]
