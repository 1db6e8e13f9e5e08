"""The member import's preview, read on a phone and on a desk: one card per member at 375 px,
a table at 1280 px, neither scrolling sideways, and no NIP broken across lines."""

import io

import openpyxl
from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import Delegation
from tests.browser.conftest import DESK, PHONE, screenshot

# Lines each NIP's text takes (a Range's boxes), and whether the table scrolls sideways.
LAYOUT = """() => ({
    nipLines: Array.from(document.querySelectorAll('.import-preview__nip')).map(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
    }),
    tableScrolls: (w => w.scrollWidth - w.clientWidth)(document.querySelector('.table-wrap')),
    pageScrolls: document.documentElement.scrollWidth - window.innerWidth,
    headerShown: getComputedStyle(document.querySelector('.import-preview thead')).position
        !== 'absolute',
})"""


def test_the_preview_is_cards_on_a_phone_and_a_table_on_a_desk(live_server, browser_page, tmp_path):
    with live_server.app.app_context():
        public_id = db.session.scalar(
            select(Delegation.public_id).where(Delegation.token == live_server.delegation_token)
        )
    page = browser_page(PHONE)
    live_server.login(page)
    url = f"{live_server.url}/staff/delegations/{public_id}/import"
    downloaded = page.request.get(f"{url}/template.xlsx")
    assert downloaded.ok
    book = openpyxl.load_workbook(io.BytesIO(downloaded.body()))
    sheet = book.active
    sheet["B2"] = "Sekretaris Daerah Kabupaten Seruyan"  # the one fixed cell
    path = tmp_path / "anggota.xlsx"
    book.save(path)
    page.goto(url)
    page.set_input_files("input[type=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector(".import-preview")
    rows = page.locator(".import-preview tbody tr").count()
    assert rows >= 20
    phone = page.evaluate(LAYOUT)
    screenshot(page, "import-preview-phone")
    page.set_viewport_size(DESK)
    desk = page.evaluate(LAYOUT)
    screenshot(page, "import-preview-desk")
    assert not phone["headerShown"] and desk["headerShown"]  # cards, then a table
    assert phone["pageScrolls"] <= 0 and phone["tableScrolls"] <= 0
    assert desk["pageScrolls"] <= 0 and desk["tableScrolls"] <= 0
    assert set(phone["nipLines"]) == {1} and set(desk["nipLines"]) == {1}
    assert "1 diubah" in page.inner_text("[role=status]")
