"""Every HTML page of the product fits a phone (375 px) and a desk (1280 px), in Indonesian and
in English, and axe-core finds no serious or critical problem on it.

The pages are not listed by hand: every GET rule of the URL map is asked for with the demo's
objects, and each one answering HTML is checked, so a new page is checked from its first
commit. A rule with a new kind of argument fails the walk until `demo_values` gives it one.
"""

import pytest
from sqlalchemy import select

from planner.core.database import db
from planner.delegations import registration
from planner.delegations.models import CheckinPoint, Delegation
from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL
from planner.programs.models import AgendaItem
from planner.staff.models import StaffUser
from planner.venues.models import Venue
from planner.visits.models import ProgramTemplate, Topic, VisitRequest
from tests.browser.conftest import DESK, PHONE, screenshot, serious_violations
from tests.helpers import fill_rule, login

# GET rules that are not pages to look at, and why.
NOT_PAGES = {
    "static": "files",
    "i18n.switch_language": "a redirect back to the page it came from",
    "staff.accept_invitation": "needs the one-time secret of an e-mailed invitation",
    "staff.reset_password": "needs the one-time secret of an e-mailed reset link",
    "public.readyz": "JSON for the load balancer (503 here, where no worker runs)",
}
# Pages always in one language, whatever the reader's.
FIXED_LANGUAGE = {"requests.print_reply": "id"}  # an official letter of the host
JSON_API = "/api/"  # answers JSON to programs; tests/test_api*.py check it


def is_file(rule) -> bool:
    """PDFs, calendars, workbooks, images and scripts: tested where they are made."""
    return "." in rule.rule.rsplit("/", 1)[-1] or rule.endpoint == "catalog.logo"


# On a desk no table scrolls inside its box either; on a phone a staff table may (its page
# never does).
OVERFLOW = """() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    boxes: Array.from(document.querySelectorAll('.table-wrap, table, pre'))
        .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
        .map(el => el.className || el.tagName),
})"""


def demo_values(live_server) -> dict:
    """The demo's objects, by the argument names and endpoints of the URL map."""
    with live_server.app.app_context():
        delegation = next(
            d
            for d in db.session.scalars(select(Delegation).order_by(Delegation.id))
            if registration.can_contact_edit(d) and d.members
        )
        item = db_first(
            select(AgendaItem)
            .where(AgendaItem.program_id == delegation.program_id)
            .order_by(AgendaItem.optional.desc(), AgendaItem.starts_at)
        )
        tokens = {
            "/d/": delegation.token,
            "/m/": delegation.members[0].token,
            "/visits/": live_server.request_token,
        }
        public_ids = {
            "review": delegation.public_id,
            "protocol.delegation_name_tags": delegation.public_id,
            "protocol.order": delegation.public_id,
            "protocol.sppd": delegation.public_id,
            "staff_imports": delegation.public_id,
            "protocol.attendance": item.public_id,
            "programs.edit_item": item.public_id,
            "venues.edit": db_first(select(Venue)).public_id,
            "requests": db_first(select(VisitRequest)).public_id,
            "catalog.edit_template": db_first(select(ProgramTemplate)).public_id,
            "catalog.edit_topic": db_first(select(Topic)).public_id,
            "checkin": db_first(select(CheckinPoint)).public_id,
        }
        staff = db_first(select(StaffUser).where(StaffUser.email == DEMO_STAFF_EMAIL))
        return {
            "common": {
                "slug": delegation.program.slug,
                "what": "participants",
                "extension": "csv",
                "year": delegation.program.first_day.year,
            },
            "token": tokens,
            "public_id": public_ids,
            "staff": staff,
        }


def db_first(statement):
    return db.session.scalars(statement.limit(1)).first()


def url_of(rule, values: dict) -> str:
    arguments = dict(values["common"])
    endpoint = rule.endpoint
    public_id = values["public_id"].get(endpoint, values["public_id"].get(endpoint.split(".")[0]))
    if public_id is not None:
        arguments["public_id"] = public_id
    for start, token in values["token"].items():
        if rule.rule.startswith(start):
            arguments["token"] = token
    missing = set(rule.arguments) - set(arguments)
    assert not missing, f"give {endpoint}'s {sorted(missing)} a value in demo_values"
    return fill_rule(rule, arguments)


@pytest.fixture(scope="module")
def every_page(live_server) -> dict[str, tuple[str, bool]]:
    """{url: (endpoint, needs a login)} of every GET rule answering HTML."""
    app = live_server.app
    values = demo_values(live_server)
    visitor, staff = app.test_client(), app.test_client()
    with app.app_context():
        login(staff, values["staff"], DEMO_PASSWORD)
    found, broken = {}, {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith(JSON_API) or is_file(rule):
            continue
        url = url_of(rule, values)
        response = visitor.get(url)
        response.close()
        needs_login = response.status_code != 200
        if needs_login:
            response = staff.get(url)
            response.close()
        if response.status_code != 200:
            broken[url] = response.status_code
        elif response.mimetype == "text/html":
            found[url] = (rule.endpoint, needs_login)
    assert broken == {}, f"pages that did not answer: {broken}"
    return dict(sorted(found.items()))


def test_the_walk_finds_the_pages_of_every_area(every_page):
    endpoints = {endpoint for endpoint, _ in every_page.values()}
    areas = {endpoint.split(".")[0] for endpoint in endpoints}
    assert {"public", "delegations", "programs", "protocol", "visits", "staff"} <= areas
    assert {"delegations.member", "delegations.register", "protocol.sppd"} <= endpoints
    assert len(every_page) >= 50


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("size", ["phone", "desk"])
def test_every_page_fits_and_passes_axe(
    live_server, browser_page, axe_source, every_page, size, language
):
    viewport = PHONE if size == "phone" else DESK
    visitor, staff = browser_page(viewport, language), browser_page(viewport, language)
    live_server.login(staff)
    problems = {}
    for url, (endpoint, needs_login) in every_page.items():
        page = staff if needs_login else visitor
        page.goto(live_server.url + url)
        found = []
        if page.locator("html").get_attribute("lang") != FIXED_LANGUAGE.get(endpoint, language):
            found.append("not in the page's language")
        overflow = page.evaluate(OVERFLOW)
        if overflow["page"] > 0:
            found.append(f"scrolls sideways by {overflow['page']}px")
        if size == "desk" and overflow["boxes"]:
            found.append(f"boxes scroll sideways: {overflow['boxes']}")
        found += serious_violations(page, axe_source)
        if found:
            problems[url] = found
            screenshot(page, f"every-page-{endpoint}-{language}-{size}")
    assert problems == {}, "\n".join(f"{url} {found}" for url, found in problems.items())
