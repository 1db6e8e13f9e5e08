"""axe-core finds no serious or critical problem; phone pages fit 375 px with big targets."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import DESK, PHONE, screenshot

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
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


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        if os.environ.get("PLANNER_REQUIRE_BROWSER"):
            pytest.fail(f"axe-core is missing: run npm ci --prefix tests/a11y ({AXE})")
        pytest.skip("axe-core is not installed: npm ci --prefix tests/a11y")
    return AXE.read_text()


def url_of(live_server, path: str) -> str:
    return live_server.url + path.format(
        delegation=live_server.delegation_token,
        member=live_server.member_token,
        request=live_server.request_token,
    )


def serious_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_pages_pass_axe_at_both_sizes(live_server, browser_page, axe_source, name, language):
    for size_name, viewport in (("phone", PHONE), ("desk", DESK)):
        page = browser_page(viewport, language)
        page.goto(url_of(live_server, PUBLIC_PAGES[name]))
        assert page.locator("html").get_attribute("lang") == language
        assert serious_violations(page, axe_source) == []
        screenshot(page, f"{name}-{language}-{size_name}")


STAFF_PAGES = {
    "editor": "/staff/programs/studi-tiru-banyuwangi",
    "messages": "/staff/messages",
    "changes": "/staff/programs/studi-tiru-banyuwangi/changes",
    "requests": "/staff/requests",
    "request": "/staff/requests/{request_id}",
    "reply": "/staff/requests/{request_id}/reply",
    "topics": "/staff/topics",
    "templates": "/staff/templates",
    "host": "/staff/host",
    "figures": "/staff/figures?year=2026",
    "calendar": "/staff/calendar?week=2026-11-30",
    "delegation-staff": "/staff/programs/studi-tiru-banyuwangi/delegations",
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_pages_pass_axe(live_server, browser_page, axe_source, name, language):
    for size_name, viewport in (("tablet", {"width": 820, "height": 1180}), ("desk", DESK)):
        page = browser_page(viewport, language)
        live_server.login(page)
        page.goto(live_server.url + STAFF_PAGES[name].format(request_id=live_server.request_id))
        assert serious_violations(page, axe_source) == []
        screenshot(page, f"{name}-{language}-{size_name}")


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
