"""The check-in scanner on a staff phone, with Chromium's fake camera showing a name tag's QR.

Chromium reads the fake camera's file when it starts, so each code gets its own browser; the
test writes the file itself: the QR of "CK:" + a member's check-in code (segno) as a
YUV4MPEG2 video, a text header and raw grey planes.
"""

import re
from pathlib import Path

import pytest
import segno
from sqlalchemy import select

from planner.core import checkcodes
from planner.core.database import db
from planner.delegations.models import (
    SEAT_HOLDING_STATUSES,
    Checkin,
    CheckinPoint,
    Delegation,
    Member,
)
from planner.programs.models import Program
from planner.programs.queries import program_days
from tests.browser.conftest import (
    ARTIFACTS,
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    serious_violations,
)

WIDTH, HEIGHT, FRAMES = 640, 480, 3
POINT_TITLE = "Bus di bandara (uji pemindai)"
SHOTS = ARTIFACTS / "checkin"


def write_y4m(path: Path, text: str) -> Path:
    """A few identical frames of the QR of `text`, black on white, centred, in 4:2:0."""
    rows = [list(row) for row in segno.make(text, error="m", micro=False).matrix_iter(border=4)]
    scale = (HEIGHT - 60) // len(rows)
    size = scale * len(rows)
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))
    for y in range(size):
        row = rows[y // scale]
        start = (top + y) * WIDTH + left
        luma[start : start + size] = bytes(0 if row[x // scale] else 255 for x in range(size))
    chroma = b"\x80" * ((WIDTH // 2) * (HEIGHT // 2))
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * FRAMES)
    return path


@pytest.fixture
def camera_browser(chromium, tmp_path):
    """A Chromium whose camera shows the QR of the given text; closed after the test."""
    browsers = []

    def launch(text: str):
        video = write_y4m(tmp_path / f"camera-{len(browsers)}.y4m", text)
        browser = chromium.browser_type.launch(
            executable_path=str(CHROMIUM),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


@pytest.fixture(autouse=True)
def remove_points(live_server):
    """The demo is shared by the session's browser tests: the points opened here (and their
    check-ins) go again."""
    with live_server.app.app_context():
        before = set(db.session.scalars(select(CheckinPoint.id)))
    yield
    with live_server.app.app_context():
        for point in db.session.scalars(select(CheckinPoint)):
            if point.id not in before:
                db.session.delete(point)
        db.session.commit()


@pytest.fixture
def phone(live_server):
    """A staff phone: a fresh context of a camera browser, logged in; console errors fail."""
    errors = []

    def open_phone(browser, language="id"):
        context = browser.new_context(
            viewport=PHONE,
            locale=language,
            extra_http_headers={"Accept-Language": language},
            permissions=["camera"],
        )
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        live_server.login(page)
        return context, page

    yield open_phone
    # The scanner's own refused requests (a stale token: 401) are answers, not errors.
    real = [e for e in errors if "the server responded with a status of 4" not in e]
    assert real == []


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _members(app):
    """Three members of the demo program's delegations that hold seats."""
    with app.app_context():
        program = db.session.scalar(select(Program).order_by(Program.id))
        members = db.session.scalars(
            select(Member)
            .join(Delegation)
            .where(
                Delegation.program_id == program.id,
                Delegation.status.in_(SEAT_HOLDING_STATUSES),
            )
            .order_by(Delegation.institution, Member.id)
        ).all()
        picked = [{"id": m.id, "name": m.full_name, "code": m.checkin_code} for m in members[:3]]
        return program.slug, picked


def _open_point(live_server, page, slug: str, title: str, item: str = "") -> str:
    """Opens a point on the staff page, for an agenda item or else the program's first day;
    its public id."""
    with live_server.app.app_context():
        program = db.session.scalar(select(Program).where(Program.slug == slug))
        day = next(iter(program_days(program))).isoformat()
    page.goto(f"{live_server.url}/staff/programs/{slug}/checkin")
    page.fill("#title", title)
    if item:
        page.select_option("#item", item)
    else:
        page.fill("#day", day)
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(f"**/staff/programs/{slug}/checkin")
    with live_server.app.app_context():
        point = db.session.scalar(
            select(CheckinPoint)
            .where(CheckinPoint.title == title)
            .order_by(CheckinPoint.id.desc())
            .limit(1)
        )
        assert point is not None, "the point was not opened"
        return point.public_id


def _answer(page, tone: str, timeout: int = 15000):
    try:
        page.wait_for_selector(f"[data-answer][data-tone={tone}]", timeout=timeout)
    except Exception:
        shot(page, f"failed-waiting-for-{tone}")
        raise
    return page.locator("[data-answer]")


def _check_in_by_name(page, name: str) -> None:
    page.fill("[data-search]", name)
    page.locator("[data-matches] button", has_text=name).first.click()
    page.click("[data-checkin-name]")
    _answer(page, "green", timeout=2000)
    assert name in page.locator("[data-answer-name]").inner_text()


def test_scanner_checks_in_online_and_offline_and_stores_each_once(
    live_server, camera_browser, phone
):
    slug, (first, second, third) = _members(live_server.app)
    browser = camera_browser(checkcodes.qr_text(first["code"]))
    context, page = phone(browser)
    point_id = _open_point(live_server, page, slug, POINT_TITLE)
    scanner_url = f"{live_server.url}/staff/checkin/{point_id}"

    # Online: the fake camera shows the first member's tag -> green with the name.
    page.goto(scanner_url)
    answer = _answer(page, "green")
    assert first["name"] in answer.inner_text()
    assert page.get_attribute("#scanner", "data-decoder") in ("jsQR", "BarcodeDetector")
    page.wait_for_selector("[data-sync][data-tone=ok]", timeout=10000)
    shot(page, "1-green-online")

    # The tag stays in view: counted once, the answer stays green.
    page.wait_for_timeout(1500)
    assert page.get_attribute("[data-answer]", "data-tone") == "green"

    # Counts per delegation, with the missing names and their phones.
    delegation = page.locator(".scanner__delegation").first
    assert "1" in delegation.locator("summary strong").inner_text()
    delegation.locator("summary").click()
    missing = delegation.locator(".scanner__missing li", has_text=second["name"])
    assert missing.locator("a[href^='tel:+62']").count() == 1
    assert missing.locator("a[href^='https://wa.me/62']").count() == 1
    assert delegation.locator(".scanner__missing li", has_text=first["name"]).count() == 0
    delegation.locator("summary").scroll_into_view_if_needed()
    shot(page, "1b-missing-names", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if AXE.exists():
        assert serious_violations(page, AXE.read_text()) == []

    # Offline: two forgotten tags, by name; the banner counts what waits.
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    context.set_offline(True)
    _check_in_by_name(page, second["name"])
    _check_in_by_name(page, third["name"])
    banner = page.locator("[data-sync]")
    page.wait_for_selector("[data-sync][data-waiting='2'][data-tone=offline]", timeout=5000)
    assert "2" in banner.inner_text()
    # The same member again, still offline: amber, and not queued twice.
    page.fill("[data-search]", second["name"])
    page.locator("[data-matches] button", has_text=second["name"]).first.click()
    page.click("[data-checkin-name]")
    _answer(page, "amber", timeout=2000)
    assert page.get_attribute("[data-sync]", "data-waiting") == "2"
    shot(page, "2-offline-two-waiting")

    # The page opens again with no signal, from the service worker, with the queue.
    assert page.reload().from_service_worker
    page.wait_for_selector("[data-sync][data-waiting='2']", timeout=10000)
    shot(page, "3-offline-reloaded")

    # Back online: the queue goes out and the banner says so.
    context.set_offline(False)
    page.wait_for_selector("[data-sync][data-tone=ok]", timeout=20000)
    assert page.get_attribute("[data-sync]", "data-waiting") == "0"
    shot(page, "4-all-sent")

    with live_server.app.app_context():
        point = db.session.scalar(select(CheckinPoint).where(CheckinPoint.public_id == point_id))
        stored = db.session.scalars(select(Checkin).where(Checkin.point_id == point.id)).all()
        by_member = sorted(c.member_id for c in stored)
        assert by_member == sorted(m["id"] for m in (first, second, third))
        sources = {c.member_id: c.source for c in stored}
        assert sources[first["id"]] == "scan"
        assert sources[second["id"]] == sources[third["id"]] == "name"

    # A second phone scanning the first member: amber, checked in already.
    other_context, other = phone(browser)
    other.goto(scanner_url)
    answer = _answer(other, "amber")
    assert first["name"] in answer.inner_text()
    assert re.search(r"\b\d\d\.\d\d WIB\b", other.inner_text("[data-verdict]"))  # at 01.46 WIB
    shot(other, "5-second-phone-amber")
    other_context.close()
    context.close()

    with live_server.app.app_context():
        count = len(db.session.scalars(select(Checkin).where(Checkin.point_id == point.id)).all())
        assert count == 3


def test_scanner_refuses_a_forged_code(live_server, camera_browser, phone):
    slug, (first, *_rest) = _members(live_server.app)
    code = first["code"]
    forged = code[:-1] + next(c for c in checkcodes.ALPHABET if c != code[-1])
    context, page = phone(camera_browser(checkcodes.qr_text(forged)))
    point_id = _open_point(live_server, page, slug, "Pendopo (uji kode palsu)")
    page.goto(f"{live_server.url}/staff/checkin/{point_id}")
    _answer(page, "red")
    assert page.locator("[data-answer-name]").inner_text() == ""
    shot(page, "6-forged-red")
    context.close()


def test_scanner_says_amber_for_a_member_not_on_an_optional_items_list(
    live_server, camera_browser, phone
):
    """Pos Paltuding before the Ijen trek: a member who did not sign up gets amber."""
    with live_server.app.app_context():
        program = db.session.scalar(select(Program).order_by(Program.id))
        trek = next(i for i in program.items if i.optional and not i.is_cancelled)
        member = db.session.scalars(
            select(Member)
            .join(Delegation)
            .where(
                Delegation.program_id == program.id,
                Delegation.status.in_(SEAT_HOLDING_STATUSES),
            )
            .order_by(Member.id)
        ).all()
        stay = next(m for m in member if trek not in m.optional_items)
        slug, trek_id, name, code = program.slug, trek.public_id, stay.full_name, stay.checkin_code
    context, page = phone(camera_browser(checkcodes.qr_text(code)))
    point_id = _open_point(live_server, page, slug, "Pos Paltuding 01.00", item=trek_id)
    page.goto(f"{live_server.url}/staff/checkin/{point_id}")
    answer = _answer(page, "amber")
    assert name in answer.inner_text()
    shot(page, "7-not-on-the-trek-list-amber")
    context.close()
    with live_server.app.app_context():
        point = db.session.scalar(select(CheckinPoint).where(CheckinPoint.public_id == point_id))
        assert db.session.scalars(select(Checkin).where(Checkin.point_id == point.id)).all() == []
