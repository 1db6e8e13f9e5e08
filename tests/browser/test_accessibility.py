"""The pages people open on a phone have targets a thumb can hit and text they can read
(test_every_page checks every page's width and accessibility)."""

import pytest

from tests.browser.conftest import PHONE

PUBLIC_PAGES = {
    "home": "/",
    "program": "/programs/studi-tiru-banyuwangi",
    "register": "/programs/studi-tiru-banyuwangi/register",
    "delegation": "/d/{delegation}",
    "member": "/m/{member}",
    "login": "/staff/login",
    "lost-link": "/programs/studi-tiru-banyuwangi/lost-link",
    "password-reset": "/staff/password-reset",
    "visit-request": "/visits/request",
    "open-days": "/visits/availability",
    "request-page": "/visits/r/{request}",
}
PHONE_PAGES = (
    "program",
    "register",
    "delegation",
    "member",
    "lost-link",
    "visit-request",
    "open-days",
    "request-page",
)
TARGETS = (
    "button, a.button, input:not([type=hidden]):not([type=checkbox]), select, textarea, "
    ".site-nav a, .language a, .language__current, label.check, .breadcrumbs a"
)


def url_of(live_server, path: str) -> str:
    return live_server.url + path.format(
        delegation=live_server.delegation_token,
        member=live_server.member_token,
        request=live_server.request_token,
    )


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_phone_pages_fit_375_px_with_44_px_targets(live_server, browser_page, name):
    page = browser_page(PHONE)
    page.goto(url_of(live_server, PUBLIC_PAGES[name]))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    small = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.offsetParent !== null)
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
            .filter(([_, height]) => height < 44)""",
        TARGETS,
    )
    assert small == []
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 16
