"""The itinerary offline: the service worker and manifest routes, what the private pages carry
for them, and the host's protocol contact on the day. The browser side is in
tests/browser/test_offline_itinerary.py."""

import json
import re
from pathlib import Path

import pytest

from planner.core.database import db

SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "js" / "itinerary-sw.js"


@pytest.fixture
def delegation(make_program, make_item, make_venue, make_delegation):
    program = make_program(
        protocol_contact_name="Rina Protokol", protocol_contact_phone="+6281349876543"
    )
    make_item(program, title="Pendakian Kawah Ijen", venue=make_venue(name="Pos Paltuding"))
    return make_delegation(program, members=2)


def test_the_service_worker_is_javascript_asked_for_every_time(client):
    response = client.get("/itinerary-sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == SERVICE_WORKER.read_bytes()
    # Served from the root, it may take the scope of any page without Service-Worker-Allowed.
    assert "Service-Worker-Allowed" not in response.headers
    assert "private" not in response.headers["Cache-Control"]


def test_the_service_worker_keeps_only_its_own_page(client):
    source = SERVICE_WORKER.read_text()
    code = re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)
    for never in ("/staff", "/api", "/d/", "/m/", "/visits", "/programs"):
        assert never not in code, never
    # Everything it keeps is the registering page (its scope), its calendar, or a static file.
    assert "var PAGE = new URL(self.registration.scope).pathname;" in code
    assert 'var CALENDAR = PAGE + "/schedule.ics";' in code
    assert code.count("cache.put(") == 2 and code.count("caches.open(") == 2
    static = re.search(r"var STATIC = \[([^\]]*)\]", code).group(1)
    for path in re.findall(r'"([^"]+)"', static):
        assert client.get("/" + path).status_code == 200, path


def test_the_manifest_is_json_and_names_no_token(client):
    response = client.get("/itinerary.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "planner"
    assert manifest["lang"] == "id"
    # No start_url: the installed app opens the itinerary that linked the manifest.
    assert "start_url" not in manifest and "scope" not in manifest
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_private_pages_stay_no_store_and_name_their_own_scope(client, delegation):
    member = delegation.members[0]
    for path in (f"/d/{delegation.token}", f"/m/{member.token}"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        page = response.get_data(as_text=True)
        assert page.count('data-served="network"') == 1  # the mark the worker's copy changes
        assert f'data-sw-scope="{path}"' in page
        assert 'data-sw="/itinerary-sw.js"' in page
        assert '<link rel="manifest" href="/itinerary.webmanifest">' in page
        assert "<script>" not in page  # CSP: the worker is registered from planner.js
    for path in (f"/d/{delegation.token}/schedule.ics", f"/m/{member.token}/schedule.ics"):
        assert client.get(path).headers["Cache-Control"] == "private, no-cache"


def updated_line(client, path: str, language: str) -> str:
    page = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
    line = re.search(r'<p class="updated-at.*?</p>', page, re.DOTALL).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", line).split())


def test_the_page_says_when_it_was_fetched_in_the_programs_zone(client, delegation):
    path = f"/m/{delegation.members[0].token}"
    assert re.search(r"\d{2}\.\d{2} WIB$", updated_line(client, path, "id"))
    english = updated_line(client, path, "en")
    assert re.fullmatch(r"Last updated \w{3}, \d{1,2} \w{3} at \d{2}:\d{2} WIB", english)


def test_both_pages_show_whom_to_call_on_the_day(client, delegation):
    member = delegation.members[0]
    for path in (f"/d/{delegation.token}", f"/m/{member.token}"):
        page = client.get(path).get_data(as_text=True)
        assert "Rina Protokol" in page
        assert "0813-4987-6543" in page
        assert 'href="tel:+6281349876543"' in page
        assert 'href="https://wa.me/6281349876543"' in page
        assert "Pos Paltuding" in page  # the meeting point of the item
        assert 'class="day-contact"' in page  # again under the day's heading


def test_no_contact_block_when_the_program_names_none(client, delegation):
    program = delegation.program
    program.protocol_contact_name = program.protocol_contact_phone = ""
    db.session.commit()
    for path in (f"/d/{delegation.token}", f"/m/{delegation.members[0].token}"):
        page = client.get(path).get_data(as_text=True)
        assert "protocol-contact" not in page and "day-contact" not in page
