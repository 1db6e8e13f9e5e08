"""The SPPD list as Chromium prints it (the engine behind "Save as PDF"): A4 portrait, the host's
signature column at least 45 mm wide, nothing past the right margin, the sheet's heading and
the table's head on every page, numbered pages, and the sign-off with the last rows."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import CheckinPoint, Delegation
from tests.browser.conftest import ARTIFACTS

MM_PER_PX = 25.4 / 96
CONTENT_WIDTH_MM = 210 - 2 * 12  # A4 less the list's @page margins
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


@pytest.fixture
def seruyan(live_server):
    with live_server.app.app_context():
        delegation = db.session.scalar(
            select(Delegation).where(Delegation.institution == "Pemerintah Kabupaten Seruyan")
        )
        departs_on = delegation.departs_on or delegation.program.last_day
        return delegation.public_id, len(delegation.members), departs_on


def test_the_sppd_list_prints_on_a4_with_room_to_sign_on_every_page(
    live_server, browser_page, seruyan
):
    public_id, members, departs_on = seruyan
    page = browser_page(viewport={"width": round(CONTENT_WIDTH_MM / MM_PER_PX), "height": 1000})
    live_server.login(page)
    page.goto(f"{live_server.url}/staff/delegations/{public_id}/sppd")
    page.emulate_media(media="print")
    # Laid out at the printed width: the signature column and the table's right edge.
    sign = page.eval_on_selector("th.sign", "th => th.getBoundingClientRect().width")
    right = page.eval_on_selector("table.sppd", "t => t.getBoundingClientRect().right")
    assert sign * MM_PER_PX >= 45
    assert right <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print" / "sppd.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 2  # 30 members do not fit one page
    texts = [p.extract_text() for p in reader.pages]
    for number, (sheet, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
        assert "PENGESAHAN SURAT PERINTAH PERJALANAN DINAS (SPPD)" in text, number
        assert "Tanda tangan" in text and "Nama / NIP" in text, number
        assert f"{number} / {total}" in text, number
    month = MONTHS.split()[departs_on.month - 1]
    signoff = f"Banyuwangi, {departs_on.day} {month} {departs_on.year}"
    last = texts[-1]
    assert signoff in last  # the place and the date, no weekday
    assert f"{members}." in last  # the sign-off is not alone on its page


@pytest.fixture
def first_item(live_server, seruyan):
    public_id = seruyan[0]
    with live_server.app.app_context():
        delegation = db.session.scalar(select(Delegation).where(Delegation.public_id == public_id))
        item = next(item for item in delegation.program.items if not item.optional)
        return item.public_id


def test_the_attendance_list_keeps_its_right_border_on_a4(live_server, browser_page, first_item):
    page = browser_page(viewport={"width": round(CONTENT_WIDTH_MM / MM_PER_PX), "height": 1000})
    live_server.login(page)
    page.goto(f"{live_server.url}/staff/items/{first_item}/attendance")
    page.emulate_media(media="print")
    width = page.viewport_size["width"]
    # Laid out at the printed width: the table, its right border included, inside the page.
    right = page.eval_on_selector(
        "table.grid", "t => t.querySelector('tbody tr td:last-child').getBoundingClientRect().right"
    )
    border = page.eval_on_selector(
        "table.grid tbody td.sign", "td => parseFloat(getComputedStyle(td).borderRightWidth)"
    )
    assert border > 0 and right + border / 2 <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print" / "attendance.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    for number, sheet in enumerate(reader.pages, start=1):
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (
            595,
            842,
        )
        assert "DAFTAR HADIR" in sheet.extract_text().upper(), number


@pytest.fixture
def bus_point(live_server):
    with live_server.app.app_context():
        return db.session.scalar(
            select(CheckinPoint.public_id).where(CheckinPoint.title == "Bus di bandara")
        )


def test_the_check_in_list_prints_its_table_whole(live_server, browser_page, bus_point):
    """A staff page printed from the browser (planner.css): the table's scroll box, which cut
    the right half of its border at the margin, lets it print whole."""
    # The content width of planner.css's A4 page (15 mm margins).
    page = browser_page(viewport={"width": round((210 - 2 * 15) / MM_PER_PX), "height": 1000})
    live_server.login(page)
    page.goto(f"{live_server.url}/staff/checkin/{bus_point}/list")
    page.emulate_media(media="print")
    table = page.eval_on_selector(
        "table.table",
        """t => ({right: t.getBoundingClientRect().right,
                  border: parseFloat(getComputedStyle(t).borderRightWidth),
                  clip: getComputedStyle(t.closest('.table-wrap')).overflowX})""",
    )
    assert table["clip"] == "visible"  # nothing cuts the border's outer half
    assert table["border"] > 0
    assert table["right"] + table["border"] / 2 <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "print" / "checkin-list.pdf").write_bytes(pdf)
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
