"""Staff review: lists, decisions with reasons, capacity re-checked when moving in."""

from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import DelegationStatus
from tests.helpers import login, post, text


def test_staff_see_delegations_with_counts_and_filters(
    client, make_program, make_delegation, make_staff
):
    program = make_program()
    make_delegation(program, members=4, institution="Kabupaten Seruyan")
    make_delegation(
        program, members=2, institution="Kabupaten Kutai", status=DelegationStatus.APPROVED
    )
    login(client, make_staff())
    page = text(client.get(f"/staff/programs/{program.slug}/delegations"))
    assert "Kabupaten Seruyan" in page and "Kabupaten Kutai" in page
    filtered = text(client.get(f"/staff/programs/{program.slug}/delegations?status=approved"))
    assert "Kabupaten Kutai" in filtered and "Kabupaten Seruyan" not in filtered
    assert client.get(f"/staff/programs/{program.slug}/delegations?status=bogus").status_code == 200


def test_the_full_record_shows_personal_data_to_staff(
    client, make_program, make_delegation, make_staff
):
    delegation = make_delegation(make_program(), members=2)
    delegation.members[0].nip = "197001011995031001"
    db.session.commit()
    login(client, make_staff())
    page = text(client.get(f"/staff/delegations/{delegation.public_id}"))
    # Shown as people write it (stored as +6281234567890).
    assert "197001011995031001" in page and "0812-3456-7890" in page


def test_approve_with_a_reason_is_recorded(client, make_program, make_delegation, make_staff):
    delegation = make_delegation(make_program())
    login(client, make_staff())
    response = post(
        client,
        f"/staff/delegations/{delegation.public_id}/status",
        {"status": "approved", "reason": "Surat lengkap"},
    )
    assert response.status_code == 303
    db.session.refresh(delegation)
    assert (
        delegation.status == DelegationStatus.APPROVED
        and delegation.status_reason == "Surat lengkap"
    )
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "delegation.status_changed")
    )
    assert event.changes["status"] == ["pending", "approved"]
    assert "Surat lengkap" in text(client.get(f"/d/{delegation.token}"))


def test_moving_a_waitlisted_delegation_in_rechecks_capacity(
    client, make_program, make_delegation, make_staff
):
    program = make_program(max_participants=5)
    make_delegation(program, members=4, status=DelegationStatus.APPROVED)
    waiting = make_delegation(program, members=3, status=DelegationStatus.WAITLISTED)
    login(client, make_staff())
    response = post(
        client,
        f"/staff/delegations/{waiting.public_id}/status",
        {"status": "approved", "reason": "Ada kursi"},
    )
    assert response.status_code == 422
    assert "Kuota yang tersisa di program ini tidak cukup" in text(response)
    db.session.refresh(waiting)
    assert waiting.status == DelegationStatus.WAITLISTED


def test_a_transition_without_a_reason_or_not_allowed_is_refused(
    client, make_program, make_delegation, make_staff
):
    delegation = make_delegation(make_program(), status=DelegationStatus.APPROVED)
    login(client, make_staff())
    assert (
        post(
            client,
            f"/staff/delegations/{delegation.public_id}/status",
            {"status": "rejected", "reason": ""},
        ).status_code
        == 422
    )
    assert (
        post(
            client,
            f"/staff/delegations/{delegation.public_id}/status",
            {"status": "pending", "reason": "x"},
        ).status_code
        == 422
    )
    db.session.refresh(delegation)
    assert delegation.status == DelegationStatus.APPROVED


def test_the_letter_is_served_to_staff_but_not_to_the_public(
    client, make_program, make_delegation, make_staff
):
    from planner.delegations.models import RequestLetter

    delegation = make_delegation(make_program())
    delegation.request_letter = RequestLetter(filename="surat.pdf", size=4, content=b"%PDF")
    db.session.commit()
    url = f"/staff/delegations/{delegation.public_id}/letter.pdf"
    assert client.get(url).status_code == 302
    login(client, make_staff())
    assert client.get(url).data == b"%PDF"
