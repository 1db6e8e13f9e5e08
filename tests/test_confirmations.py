"""What cannot be undone is asked first (issue 19): the first POST answers with a page saying
what will happen and changes nothing; that page's own form (the same fields, confirm=1, a fresh
CSRF token) does it. With JavaScript, the form's <dialog> says the same words in place."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.core.outbox import OutgoingMessage
from planner.delegations.models import Delegation, DelegationStatus, Member
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.staff.tokens import create_token
from planner.venues.models import Venue
from planner.visits.models import Holiday, RequestStatus, VisitRequest, WishedDates
from tests.helpers import form_on, login, post, post_back, text


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def messages() -> int:
    return db.session.scalar(select(func.count()).select_from(OutgoingMessage))


def confirm_on(page: str) -> dict:
    """The confirmation page's form: the same fields, plus confirm=1 and its CSRF token."""
    form = form_on(page, "confirm")
    assert ("confirm", "1") in form["fields"]
    assert any(name == "csrf_token" and value for name, value in form["fields"])
    return form


def post_form(client, form: dict):
    """Post a parsed form as a browser would (repeated names kept)."""
    return client.post(form["action"], data=MultiDict(form["fields"]))


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


# --- the contact cancels -------------------------------------------------------------------


def test_cancelling_asks_first_says_what_happens_and_changes_nothing(
    english, make_program, make_delegation
):
    program = make_program(title="Studi tiru Mal Pelayanan Publik")
    delegation = make_delegation(program, members=3, institution="Pemerintah Kabupaten Seruyan")
    page = f"/d/{delegation.token}"
    shown = text(english.get(page))
    # With JavaScript: the form holds its dialog, with the same question, and the script.
    assert "<dialog" in shown and "/static/js/confirm.js" in shown
    assert "Cancel the registration of Pemerintah Kabupaten Seruyan" in shown
    before = messages()

    asked = post_back(english, page, "reason", reason="Anggaran dialihkan")
    assert asked.status_code == 200
    html = text(asked)
    assert (
        "Cancel the registration of Pemerintah Kabupaten Seruyan for Studi tiru Mal Pelayanan "
        "Publik?" in html
    )
    assert "Its 3 members lose their seats in the program" in html
    assert "only the host&#39;s protocol staff can restore" in html
    assert f'href="{page}"' in html  # the way back
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).status == DelegationStatus.PENDING
    assert events("delegation.cancelled") == [] and messages() == before

    form = confirm_on(html)
    assert ("reason", "Anggaran dialihkan") in form["fields"]  # what was typed is kept
    done = post_form(english, form)
    assert done.status_code == 303 and done.location.endswith(page)
    db.session.expire_all()
    cancelled = db.session.get(Delegation, delegation.id)
    assert cancelled.status == DelegationStatus.CANCELLED
    assert cancelled.status_reason == "Anggaran dialihkan"
    assert len(events("delegation.cancelled")) == 1 and messages() == before + 1


def test_the_confirmation_still_needs_its_csrf_token(client, make_program, make_delegation):
    delegation = make_delegation(make_program())
    url = f"/d/{delegation.token}/cancel"
    client.get(f"/d/{delegation.token}")
    assert client.post(url, data={"confirm": "1"}).status_code == 400
    forged = client.post(url, data={"confirm": "1", "csrf_token": "forged"})
    assert forged.status_code == 400
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).status == DelegationStatus.PENDING
    assert events("delegation.cancelled") == []


# --- staff decide and delete ---------------------------------------------------------------


def test_rejecting_asks_first_and_approving_does_not(
    client, make_staff, make_program, make_delegation
):
    login(client, make_staff())
    client.set_cookie("lang", "en")
    delegation = make_delegation(make_program(), members=2)
    page = f"/staff/delegations/{delegation.public_id}"
    shown = text(client.get(page))
    assert shown.count('data-confirm-field="status"') == 2  # rejected, cancelled
    before = messages()

    asked = post_back(client, page, "reason", status="rejected", reason="Jadwal tidak sesuai")
    assert asked.status_code == 200
    html = text(asked)
    assert f"Reject the registration of {delegation.institution}" in html
    assert "Its 2 members lose their seats" in html
    assert "Jadwal tidak sesuai" in html  # the reason the contact will read
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).status == DelegationStatus.PENDING
    assert events("delegation.status_changed") == [] and messages() == before

    assert post_form(client, confirm_on(html)).status_code == 303
    db.session.expire_all()
    rejected = db.session.get(Delegation, delegation.id)
    assert rejected.status == DelegationStatus.REJECTED
    assert rejected.status_reason == "Jadwal tidak sesuai"
    assert len(events("delegation.status_changed")) == 1 and messages() == before + 1

    # Back in: no question (nothing is lost), done at once.
    again = post_back(client, page, "reason", status="approved", reason="Jadwal disesuaikan")
    assert again.status_code == 303


def test_a_decision_with_errors_is_not_asked_about(
    client, make_staff, make_program, make_delegation
):
    login(client, make_staff())
    delegation = make_delegation(make_program())
    page = f"/staff/delegations/{delegation.public_id}"
    response = post_back(client, page, "reason", status="rejected", reason="")
    assert response.status_code == 422 and 'name="confirm"' not in text(response)


def test_deleting_a_delegation_asks_first(client, make_staff, make_program, make_delegation):
    login(client, make_staff())
    client.set_cookie("lang", "en")
    delegation = make_delegation(make_program(), members=3)
    url = f"/staff/delegations/{delegation.public_id}/delete"
    asked = post(client, url)
    assert asked.status_code == 200
    html = text(asked)
    assert f"Delete {delegation.institution} and the personal data of its 3 members?" in html
    assert "This cannot be undone." in html
    assert db.session.scalar(select(func.count()).select_from(Member)) == 3
    assert events("delegation.deleted") == []
    assert post_form(client, confirm_on(html)).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Delegation)) == 0
    assert len(events("delegation.deleted")) == 1


def test_deleting_a_place_asks_first_unless_it_is_refused(
    staff_client, make_program, make_item, make_venue
):
    staff_client.set_cookie("lang", "en")
    used = make_venue(name="Pendopo")
    make_item(make_program(), venue=used)
    refused = post(staff_client, f"/staff/venues/{used.public_id}/delete")
    assert refused.status_code == 303  # refused at once: nothing to confirm
    venue = make_venue(name="Aula Minak Jinggo")
    asked = post(staff_client, f"/staff/venues/{venue.public_id}/delete")
    assert asked.status_code == 200 and "Delete the place Aula Minak Jinggo?" in text(asked)
    assert db.session.scalar(select(func.count()).select_from(Venue)) == 2
    assert events("venue.deleted") == []
    assert post_form(staff_client, confirm_on(text(asked))).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Venue)) == 1
    assert len(events("venue.deleted")) == 1


def test_removing_a_holiday_asks_first(staff_client):
    staff_client.set_cookie("lang", "en")
    holiday = Holiday(day=date(2026, 12, 25), name="Hari Raya Natal")
    db.session.add(holiday)
    db.session.commit()
    shown = text(staff_client.get("/staff/host"))
    assert "Remove the holiday Hari Raya Natal?" in shown  # in its dialog
    asked = post(staff_client, f"/staff/holidays/{holiday.id}/delete")
    assert asked.status_code == 200 and "Remove the holiday Hari Raya Natal?" in text(asked)
    assert db.session.scalar(select(func.count()).select_from(Holiday)) == 1
    assert post_form(staff_client, confirm_on(text(asked))).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Holiday)) == 0


def test_removing_a_draft_agenda_item_asks_first(staff_client, make_program, make_item):
    staff_client.set_cookie("lang", "en")
    program = make_program(status=ProgramStatus.DRAFT, title="Studi tiru Ijen")
    item = make_item(program, title="Pendakian Kawah Ijen")
    url = f"/staff/items/{item.public_id}/remove"
    asked = post(staff_client, url)
    assert asked.status_code == 200
    assert "Remove Pendakian Kawah Ijen from the agenda of Studi tiru Ijen?" in text(asked)
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 1
    assert post_form(staff_client, confirm_on(text(asked))).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0


# --- an edit that removes members ----------------------------------------------------------


def edit_removing_the_last(client, url: str, delegation, **changes):
    last = len(delegation.members) - 1
    emptied = {
        f"members-{last}-{name}": "" for name in ("full_name", "position", "nip", "phone", "rank")
    }
    return post_back(client, url, "institution", **emptied, **changes)


def test_an_edit_that_removes_members_names_them_first(english, make_program, make_delegation):
    delegation = make_delegation(make_program(), members=3)
    names = [member.full_name for member in delegation.members]
    tokens = {member.full_name: member.token for member in delegation.members}
    url = f"/d/{delegation.token}/edit"

    asked = edit_removing_the_last(english, url, delegation, leader_title="Bupati Seruyan")
    assert asked.status_code == 200
    html = text(asked)
    assert "This member will be removed:" in html and names[2] in html
    assert names[0] not in re.sub(r'value="[^"]*"', "", html)  # only who goes is named
    assert "personal link and calendar stop working" in html
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Member)) == 3
    assert db.session.get(Delegation, delegation.id).leader_title == "Bupati"  # nothing saved
    assert events("delegation.members_changed") == []

    # "No, back to the form": the form again, with what was typed, still unsaved.
    form = confirm_on(html)
    back = [(k, v) for k, v in form["fields"] if k != "confirm"] + [("confirm_back", "1")]
    shown = post_form(english, {**form, "fields": back})
    assert shown.status_code == 200 and 'value="Bupati Seruyan"' in text(shown)
    assert db.session.scalar(select(func.count()).select_from(Member)) == 3

    done = post_form(english, form)
    assert done.status_code == 303
    db.session.expire_all()
    left = db.session.scalars(select(Member).order_by(Member.sort_order)).all()
    assert [m.full_name for m in left] == names[:2]
    assert all(m.token == tokens[m.full_name] for m in left)  # kept members keep their links
    assert db.session.get(Delegation, delegation.id).leader_title == "Bupati Seruyan"
    assert english.get(f"/m/{tokens[names[2]]}").status_code == 404


def test_staff_edits_that_remove_no_one_are_saved_at_once(
    staff_client, make_program, make_delegation
):
    delegation = make_delegation(make_program(), members=2)
    url = f"/staff/delegations/{delegation.public_id}/edit"
    response = post_back(staff_client, url, "institution", leader_title="Wakil Bupati")
    assert response.status_code == 303
    staff_asked = edit_removing_the_last(staff_client, url, delegation)
    assert staff_asked.status_code == 200 and 'name="confirm"' in text(staff_asked)
    assert db.session.scalar(select(func.count()).select_from(Member)) == 2


def test_the_confirmation_page_needs_a_fresh_token_of_the_session(
    client, make_program, make_delegation
):
    delegation = make_delegation(make_program())
    page = f"/d/{delegation.token}"
    asked = post_back(client, page, "reason", reason="")
    form = confirm_on(text(asked))
    stripped = [(k, v) for k, v in form["fields"] if k != "csrf_token"]
    assert post_form(client, {**form, "fields": stripped}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).status == DelegationStatus.PENDING


def test_revoking_an_api_token_asks_first(client, make_staff):
    owner = make_staff()
    token, _ = create_token(owner, "integrasi SIPD")
    db.session.commit()
    login(client, owner)
    client.set_cookie("lang", "en")
    assert "Revoke the API token integrasi SIPD?" in text(client.get("/staff/account"))
    asked = post(client, f"/staff/api-tokens/{token.public_id}/revoke")
    assert asked.status_code == 200 and "Scripts and systems that use it" in text(asked)
    db.session.refresh(token)
    assert token.revoked_at is None
    assert post_form(client, confirm_on(text(asked))).status_code == 303
    db.session.refresh(token)
    assert token.revoked_at is not None


# --- visit requests and programs -----------------------------------------------------------


def test_declining_a_visit_request_asks_first_with_the_reason(staff_client, make_visit_request):
    staff_client.set_cookie("lang", "en")
    day = date(2026, 12, 7)
    wished = [WishedDates(preference=1, first_day=day, last_day=day)]
    visit = make_visit_request(institution="Pemerintah Kabupaten Sigi", wished_dates=wished)
    page = f"/staff/requests/{visit.public_id}"
    action = f"{page}/decline"
    shown = text(staff_client.get(page))
    assert "Decline the visit request of Pemerintah Kabupaten Sigi?" in shown  # in its dialog
    before = messages()

    empty = post_back(staff_client, page, "decline-reason", action, **{"decline-reason": ""})
    assert empty.status_code == 422 and 'name="confirm"' not in text(empty)

    asked = post_back(
        staff_client, page, "decline-reason", action, **{"decline-reason": "Bupati dinas luar."}
    )
    assert asked.status_code == 200
    html = text(asked)
    assert "Decline the visit request of Pemerintah Kabupaten Sigi?" in html
    assert "The requester is sent the decision with your reason: “Bupati dinas luar.”" in html
    assert "the message cannot be taken back" in html
    assert f'href="{page}#decline-heading"' in html
    db.session.expire_all()
    assert db.session.get(VisitRequest, visit.id).status == RequestStatus.NEW
    assert events("visit_request.declined") == [] and messages() == before

    assert post_form(staff_client, confirm_on(html)).status_code == 303
    db.session.expire_all()
    declined = db.session.get(VisitRequest, visit.id)
    assert declined.status == RequestStatus.DECLINED
    assert declined.reason == "Bupati dinas luar."
    assert len(events("visit_request.declined")) == 1 and messages() == before + 1


def test_withdrawing_a_visit_request_asks_first(english, make_visit_request):
    visit = make_visit_request(institution="Pemerintah Kota Palu")
    page = f"/visits/r/{visit.token}"
    action = f"{page}/withdraw"
    shown = text(english.get(page))
    assert "Withdraw the visit request of Pemerintah Kota Palu?" in shown  # in its dialog

    asked = post_back(english, page, "csrf_token", action)
    assert asked.status_code == 200
    html = text(asked)
    assert "Withdraw the visit request of Pemerintah Kota Palu?" in html
    assert "to visit after all, send a new request" in html
    assert f'href="{page}"' in html
    db.session.expire_all()
    assert db.session.get(VisitRequest, visit.id).status == RequestStatus.NEW
    assert events("visit_request.withdrawn") == []

    # The confirmation needs its CSRF token like any form.
    assert english.post(action, data={"confirm": "1"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(VisitRequest, visit.id).status == RequestStatus.NEW

    done = post_form(english, confirm_on(html))
    assert done.status_code == 303 and done.location.endswith(page)
    db.session.expire_all()
    assert db.session.get(VisitRequest, visit.id).status == RequestStatus.WITHDRAWN
    assert len(events("visit_request.withdrawn")) == 1


def test_archiving_a_program_asks_first_and_closing_does_not(staff_client, make_program):
    staff_client.set_cookie("lang", "en")
    program = make_program(title="Studi tiru Ijen")
    page = f"/staff/programs/{program.slug}"
    action = f"{page}/status"
    assert "Archive Studi tiru Ijen?" in text(staff_client.get(page))  # in its dialog

    asked = post(staff_client, action, {"status": "archived"})
    assert asked.status_code == 200
    html = text(asked)
    assert "Archive Studi tiru Ijen?" in html
    assert "an archived program cannot be published again" in html
    db.session.expire_all()
    assert db.session.get(Program, program.id).status == ProgramStatus.PUBLISHED

    assert post_form(staff_client, confirm_on(html)).status_code == 303
    db.session.expire_all()
    assert db.session.get(Program, program.id).status == ProgramStatus.ARCHIVED

    other = make_program(title="Studi banding Kawah Ijen")
    closed = post(staff_client, f"/staff/programs/{other.slug}/status", {"status": "closed"})
    assert closed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Program, other.id).status == ProgramStatus.CLOSED
