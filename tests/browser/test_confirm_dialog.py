"""Cancelling a registration in a real browser: with JavaScript the form's own dialog asks (and
"go back" leaves everything as it was); without JavaScript the confirmation page asks."""

from sqlalchemy import select

from planner.core.database import db
from planner.delegations import registration
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberRole
from planner.programs.models import Program
from tests.browser.conftest import PHONE, screenshot

CANCEL = "form[action$='/cancel'] button[type=submit]"


def fresh_delegation(live_server, institution: str) -> str:
    """A delegation of its own (the demo's stay as they are for the other browser tests)."""
    with live_server.app.app_context():
        program = next(  # one still open for the contact's changes
            program
            for program in db.session.scalars(select(Program).order_by(Program.id))
            if registration.registration_problem(program) is None
        )
        delegation = Delegation(
            program=program,
            institution=institution,
            province="Kalimantan Tengah",
            leader_name="Bupati Contoh",
            leader_title="Bupati",
            contact_name="Kepala Protokol",
            contact_phone="+6281234567890",
            contact_email="protokol@contoh.go.id",
            status=DelegationStatus.PENDING,
        )
        delegation.members.append(
            Member(full_name="Peserta Satu", position="Kepala Bagian", role=MemberRole.LEADER)
        )
        db.session.add(delegation)
        db.session.commit()
        return delegation.token


def status_of(live_server, token: str) -> str:
    with live_server.app.app_context():
        return db.session.scalar(select(Delegation.status).where(Delegation.token == token))


def test_with_javascript_the_dialog_asks_in_place(live_server, browser_page):
    token = fresh_delegation(live_server, "Pemerintah Kabupaten Dialog")
    page = browser_page(PHONE)
    page.goto(f"{live_server.url}/d/{token}")
    assert page.locator("dialog[open]").count() == 0
    page.click(CANCEL)
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert "Pemerintah Kabupaten Dialog" in dialog.inner_text()
    screenshot(page, "confirm-dialog-phone")
    dialog.locator("[data-confirm-back]").click()
    assert page.locator("dialog[open]").count() == 0
    assert page.url.endswith(f"/d/{token}")
    assert status_of(live_server, token) == DelegationStatus.PENDING

    page.click(CANCEL)
    with page.expect_navigation():
        page.locator("dialog[open] [data-confirm-yes]").click()
    assert page.url.endswith(f"/d/{token}")
    assert status_of(live_server, token) == DelegationStatus.CANCELLED


def test_without_javascript_the_confirmation_page_asks(live_server, chromium):
    token = fresh_delegation(live_server, "Pemerintah Kabupaten Tanpa Skrip")
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False, locale="id")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/d/{token}")
        page.fill("#reason", "Anggaran dialihkan")
        page.click(CANCEL)
        assert "/cancel" in page.url
        assert "Pemerintah Kabupaten Tanpa Skrip" in page.inner_text("h1")
        screenshot(page, "confirm-page-phone")
        assert status_of(live_server, token) == DelegationStatus.PENDING
        page.click(".confirm-page button[type=submit]")
        assert page.url.endswith(f"/d/{token}")
        assert status_of(live_server, token) == DelegationStatus.CANCELLED
        with live_server.app.app_context():
            reason = db.session.scalar(
                select(Delegation.status_reason).where(Delegation.token == token)
            )
        assert reason == "Anggaran dialihkan"
    finally:
        context.close()
