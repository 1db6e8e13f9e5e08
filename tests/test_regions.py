"""Issue 18: the visiting government is chosen from the Kemendagri region list, on the
registration form, on the visit-request form and through the JSON API; its province and time
zone follow from it and are shown where arrivals are planned and to staff."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import Delegation
from planner.regions import reference
from planner.visits.models import VisitRequest
from tests import test_api_visit_requests, test_visit_requests
from tests.helpers import nip, post_back, register, text
from tests.test_api_visit_requests import a_request, post_request
from tests.test_visit_requests import request_form, send

# The host's offer and topics, as the visit-request tests set them up.
offer = test_visit_requests.offer
topics = test_api_visit_requests.topics

SERUYAN = "62.07"  # Kabupaten Seruyan, Kalimantan Tengah: WIB
SELAYAR = "73.01"  # Kabupaten Kepulauan Selayar, Sulawesi Selatan: WITA


@pytest.fixture
def program(make_program):
    return make_program(max_participants=100)


def only_delegation() -> Delegation:
    return db.session.scalars(select(Delegation)).one()


def zone_note(html: str) -> str:
    """The shown time-zone note of the delegation form ("" when it is hidden)."""
    match = re.search(r"<p class=\"callout callout--info zone-note\"([^>]*)>([^<]*)</p>", html)
    assert match, "the delegation form has no time-zone note"
    return "" if " hidden" in match.group(1) else match.group(2)


def region_select(html: str) -> str:
    return re.search(r'<select[^>]*id="region_code".*?</select>', html, re.S).group(0)


def region_line(html: str) -> str:
    match = re.search(r'<p class="region-line">(.*?)</p>', html, re.S)
    assert match, "the staff page shows no region line"
    return re.sub(r"<[^>]+>", "", match.group(1))


# --- the registration form ------------------------------------------------------------------


def test_a_regency_chosen_by_code_gives_institution_province_and_its_zone(
    client, program, staff_client
):
    response = register(client, program, institution="", province="", region_code=SERUYAN)
    assert response.status_code == 303, text(response)[:2000]
    delegation = only_delegation()
    assert (delegation.region_code, delegation.institution, delegation.province) == (
        SERUYAN,
        "Pemerintah Kabupaten Seruyan",
        "Kalimantan Tengah",
    )
    edit = text(client.get(f"/d/{delegation.token}/edit"))
    assert "WIB" in zone_note(edit) and "WITA" not in zone_note(edit)
    chosen = re.findall(r'<option value="([^"]*)" selected>', region_select(edit))
    assert chosen == [SERUYAN]
    staff = text(staff_client.get(f"/staff/delegations/{delegation.public_id}"))
    assert region_line(staff) == "Kabupaten Seruyan (62.07) · Kalimantan Tengah · WIB"


def test_a_sulawesi_regency_is_on_wita_one_hour_ahead_of_the_host(client, program, staff_client):
    response = register(client, program, institution="", province="Jawa Timur", region_code=SELAYAR)
    assert response.status_code == 303, text(response)[:2000]
    delegation = only_delegation()
    assert delegation.province == "Sulawesi Selatan"  # the province always follows the region
    note = zone_note(text(client.get(f"/d/{delegation.token}/edit")))
    assert "WITA" in note and "1" in note and "WIB" in note  # and the host's zone next to it
    staff = text(staff_client.get(f"/staff/delegations/{delegation.public_id}"))
    assert region_line(staff).endswith("Sulawesi Selatan · WITA")
    answer = client.get(f"/api/v1/delegations/{delegation.token}").json
    assert answer["region"]["zone_label"] == "WITA"
    assert answer["region"]["timezone"] == "Asia/Makassar"


def test_a_typed_institution_is_kept_with_its_region(client, program):
    response = register(
        client, program, institution="DPRD Kabupaten Seruyan", province="", region_code=SERUYAN
    )
    assert response.status_code == 303, text(response)[:2000]
    delegation = only_delegation()
    assert delegation.institution == "DPRD Kabupaten Seruyan"
    assert delegation.province == "Kalimantan Tengah"


def test_an_unknown_code_is_an_error_at_the_field(client, program):
    response = register(client, program, institution="", province="", region_code="62.99")
    assert response.status_code == 422
    html = text(response)
    assert 'id="region_code-error"' in html and "62.07" in html  # what a code looks like
    assert 'href="#region_code"' in html
    assert 'aria-invalid="true"' in html[html.find("<select") :][:400]
    assert db.session.scalar(select(func.count(Delegation.id))) == 0


def test_without_a_region_institution_and_province_are_required(client, program):
    response = register(client, program, institution="", province="", region_code="")
    assert response.status_code == 422
    html = text(response)
    for field in ("institution", "province"):
        error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
        assert error and "wajib diisi" in error.group(1)
    assert 'id="region_code-error"' not in html
    assert db.session.scalar(select(func.count(Delegation.id))) == 0


def test_other_institutions_register_as_before_without_a_region(client, program):
    response = register(
        client, program, institution="Kementerian Dalam Negeri", province="DKI Jakarta"
    )
    assert response.status_code == 303
    delegation = only_delegation()
    assert (delegation.region_code, delegation.institution) == ("", "Kementerian Dalam Negeri")
    assert zone_note(text(client.get(f"/d/{delegation.token}/edit"))) == ""


def test_editing_keeps_the_region_and_saving_unchanged_changes_nothing(client, program):
    register(client, program, institution="", province="", region_code=SERUYAN)
    delegation = only_delegation()
    url = f"/d/{delegation.token}/edit"
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    version = delegation.version
    assert post_back(client, url, "institution", save="1").status_code == 303
    db.session.expire_all()
    assert (delegation.region_code, delegation.version) == (SERUYAN, version)
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events
    # Another region: the province follows; the institution is the one shown (typed).
    answer = post_back(client, url, "institution", save="1", region_code=SELAYAR, institution="")
    assert answer.status_code == 303
    db.session.expire_all()
    assert (delegation.region_code, delegation.province, delegation.institution) == (
        SELAYAR,
        "Sulawesi Selatan",
        "Pemerintah Kabupaten Kepulauan Selayar",
    )


# --- the visit-request form -----------------------------------------------------------------


def test_a_visit_request_by_code_gives_institution_province_and_zone_to_staff(
    client,
    offer,
    staff_client,
):
    response = send(client, request_form(offer, institution="", province="", region_code=SERUYAN))
    assert response.status_code == 303, text(response)[:3000]
    visit = db.session.scalars(select(VisitRequest)).one()
    assert (visit.region_code, visit.institution, visit.province) == (
        SERUYAN,
        "Pemerintah Kabupaten Seruyan",
        "Kalimantan Tengah",
    )
    staff = text(staff_client.get(f"/staff/requests/{visit.public_id}"))
    assert region_line(staff) == "Kabupaten Seruyan (62.07) · Kalimantan Tengah · WIB"


def test_the_visit_request_form_refuses_an_unknown_code_at_the_field(client, offer):
    response = send(client, request_form(offer, region_code="99.99"))
    assert response.status_code == 422
    assert 'id="region_code-error"' in text(response)
    assert db.session.scalar(select(func.count(VisitRequest.id))) == 0


# --- the JSON API ---------------------------------------------------------------------------


def registration_body(**overrides) -> dict:
    body = {
        "region_code": SERUYAN,
        "leader_name": "H. Yulhaidir",
        "leader_title": "Bupati Seruyan",
        "contact": {"name": "Rina", "phone": "0812 5566 7788", "email": "rina@seruyankab.go.id"},
        "members": [{"full_name": "H. Yulhaidir", "position": "Bupati Seruyan", "nip": nip(0, 49)}],
    }
    body.update(overrides)
    return body


def test_the_api_registers_by_code_and_answers_province_and_zone(client, program):
    answer = client.post(f"/api/v1/programs/{program.slug}/registrations", json=registration_body())
    assert answer.status_code == 201, answer.json
    out = answer.json
    assert (out["region_code"], out["institution"], out["province"]) == (
        SERUYAN,
        "Pemerintah Kabupaten Seruyan",
        "Kalimantan Tengah",
    )
    assert out["region"] == {
        "code": SERUYAN,
        "name": "Kabupaten Seruyan",
        "province_code": "62",
        "province": "Kalimantan Tengah",
        "timezone": "Asia/Jakarta",
        "zone_label": "WIB",
    }


def test_the_api_refuses_an_unknown_code_at_region_code(client, program):
    answer = client.post(
        f"/api/v1/programs/{program.slug}/registrations",
        json=registration_body(region_code="Seruyan"),
    )
    assert answer.status_code == 422
    assert list(answer.json["errors"]) == ["region_code"]
    missing = client.post(
        f"/api/v1/programs/{program.slug}/registrations", json=registration_body(region_code="")
    )
    assert missing.status_code == 422
    assert {"institution", "province"} <= set(missing.json["errors"])
    assert db.session.scalar(select(func.count(Delegation.id))) == 0


def test_an_api_visit_request_by_code_follows_the_list(client, topics):
    body = a_request(topics, region_code=SELAYAR, institution="DPRD Kabupaten Kepulauan Selayar")
    del body["province"]
    answer = post_request(client, body)
    assert answer.status_code == 201, answer.json
    out = client.get(f"/api/v1/visit-requests/{answer.json['manage_url'].rsplit('/', 1)[1]}").json
    assert (out["institution"], out["province"]) == (
        "DPRD Kabupaten Kepulauan Selayar",
        "Sulawesi Selatan",
    )
    assert out["region"]["zone_label"] == "WITA"
    wrong = post_request(client, a_request(topics, region_code="62.07.01"))
    assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["region_code"]


# --- the field as a page renders it ---------------------------------------------------------


def test_the_region_select_lists_every_region_by_province_and_loads_the_type_ahead(
    client,
    program,
    offer,
):
    for url in (f"/programs/{program.slug}/register", "/visits/request"):
        html = text(client.get(url))
        select_html = region_select(html)
        assert re.search(r'<label for="region_code">', html)
        assert re.match(r'<select[^>]*aria-describedby="region_code-hint"', select_html)
        options = re.findall(r'<option value="([^"]*)"', select_html)
        assert options[0] == "" and re.findall(r'value="([^"]*)" selected', select_html) == [""]
        everything = [r for p in reference.provinces() for r in (p, *reference.regions_of(p.code))]
        assert options[1:] == [region.code for region in everything]
        groups = re.findall(r'<optgroup label="([^"]+)"', select_html)
        assert len(groups) == len(reference.provinces()) and "Kalimantan Tengah (WIB)" in groups
        central = select_html[select_html.find('label="Kalimantan Tengah (WIB)"') :]
        central = central[: central.find("</optgroup>")]
        assert '<option value="62">Provinsi Kalimantan Tengah</option>' in central
        assert '<option value="62.07">Kabupaten Seruyan</option>' in central
        assert html.count("<optgroup") == len(groups)  # the list is on the page once
        assert 'src="/static/js/regions.js"' in html
    script = client.get("/static/js/regions.js")
    assert script.status_code == 200 and b"data-region-select" in script.data


bearer = test_api_visit_requests.bearer


def test_a_request_that_becomes_a_delegation_keeps_its_region(
    client, bearer, topics, make_program, make_item
):
    program = make_program(first_day=date.today() + timedelta(days=40))
    make_item(program)
    answer = post_request(client, a_request(topics, region_code=SELAYAR, institution=""))
    assert answer.status_code == 201, answer.json
    visit = db.session.scalars(select(VisitRequest)).one()
    decided = client.post(
        f"/api/v1/staff/visit-requests/{visit.public_id}/decision",
        json={"decision": "merge", "program": program.slug, "reason": "Bersama."},
        headers=bearer,
    )
    assert decided.status_code == 200, decided.json
    delegation = only_delegation()
    assert (delegation.region_code, delegation.institution, delegation.province) == (
        SELAYAR,
        "Pemerintah Kabupaten Kepulauan Selayar",
        "Sulawesi Selatan",
    )


def test_without_a_day_the_zone_note_is_for_the_hosts_today(app, monkeypatch):
    # A host in a zone with summer time: the difference depends on the day it is read for.
    from flask_babel import force_locale

    from planner.delegations import region_choice

    seruyan = reference.region(SERUYAN)
    for today, hours in ((date(2026, 1, 15), 6), (date(2026, 7, 15), 5)):
        monkeypatch.setattr(region_choice, "host_today", lambda today=today: today)
        with app.test_request_context(), force_locale("en"):
            note = region_choice.zone_note(seruyan, "Europe/Berlin")
        assert f"WIB, {hours} hours ahead of the host's Europe/Berlin" in note
