"""A live server with the demo and Debian's Chromium driven by Playwright.

`make test` runs these tests when /usr/bin/chromium is there and says it skipped them when it
is not; `.ci/run` installs Chromium and sets PLANNER_REQUIRE_BROWSER=1, so there a missing
browser is a failure.
"""

import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from planner.core.database import db
from planner.delegations.models import Delegation, Member, MemberItem
from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL, load_demo
from planner.visits.models import VisitRequest
from tests.conftest import make_test_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 800}


@dataclass
class LiveServer:
    url: str
    app: object
    delegation_token: str
    member_token: str  # a member who climbs Ijen
    request_token: str  # the demo's visit request, waiting in the inbox
    request_id: str

    def login(self, page) -> None:
        page.goto(self.url + "/staff/login")
        page.fill("#email", DEMO_STAFF_EMAIL)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(self.url + "/staff/")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("PLANNER_REQUIRE_BROWSER"):
            pytest.fail(f"PLANNER_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip(
            "browser tests skipped: Debian's Chromium is not installed "
            "(apt-get install chromium); .ci/run installs it"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("live") / "live.sqlite3"
    app = make_test_app(f"sqlite:///{database}")
    with app.app_context():
        db.create_all()
        load_demo(today=date(2026, 11, 28))
        db.session.commit()
        delegation = db.session.scalar(
            select(Delegation).where(Delegation.institution == "Pemerintah Kabupaten Seruyan")
        )
        climber = db.session.scalar(
            select(Member).join(MemberItem).where(Member.delegation_id == delegation.id)
        )
        visit = db.session.scalar(select(VisitRequest))
        tokens = delegation.token, climber.token, visit.token, visit.public_id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PLANNER_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url, app, *tokens)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser_page(chromium):
    """A fresh page; any console error fails the test (a page's own 4xx answer excepted)."""
    contexts, errors = [], []

    def open_page(viewport=PHONE, language="id"):
        context = chromium.new_context(
            viewport=viewport, locale=language, extra_http_headers={"Accept-Language": language}
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console", lambda message: errors.append(message) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: errors.append(error))
        return page

    yield open_page
    for context in contexts:
        context.close()
    real = [
        e
        for e in errors
        if "the server responded with a status of 4" not in str(getattr(e, "text", e))
    ]
    assert real == [], [getattr(e, "text", str(e)) for e in real]


def screenshot(page, name: str) -> None:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        if os.environ.get("PLANNER_REQUIRE_BROWSER"):
            pytest.fail(f"axe-core is missing: run npm ci --prefix tests/a11y ({AXE})")
        pytest.skip("axe-core is not installed: npm ci --prefix tests/a11y")
    return AXE.read_text()


def serious_violations(page, axe_source) -> list[str]:
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
