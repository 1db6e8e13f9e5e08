"""What people type is kept as they mean it: digits are 0-9, one-line fields hold one line,
nothing invisible makes two names look alike; a decision taken on a stale page is refused."""

import pytest
from sqlalchemy import func, select, update

from planner.core.database import db
from planner.delegations import review
from planner.delegations.models import Delegation, DelegationStatus
from tests.helpers import login, post, register, text


def delegations() -> int:
    return db.session.scalar(select(func.count()).select_from(Delegation))


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("members-1-nip", "١٩٧٠٠١٠١١٩٩٥٠٣١٠٠١", "NIP hanya berisi angka"),
        ("members-1-nip", "19700101199503\u200b1001", "satu baris"),
        ("members-1-phone", "٠٨١٢٣٤٥٦٧٨٩٠", "angka 0 sampai 9"),
        ("members-0-full_name", "Budi\u200bSantoso", "satu baris"),
        ("members-0-full_name", "Budi \u202eosotnaS", "karakter kendali"),
        ("leader_name", "H. Yulhaidir\nBupati", "satu baris"),
        ("institution", "Pemerintah\tKabupaten Seruyan", "satu baris"),
    ],
)
def test_a_value_that_is_not_what_it_looks_like_is_refused_at_its_field(
    client, make_program, field, value, message
):
    program = make_program()
    response = register(client, program, members=3, **{field: value})
    assert response.status_code == 422
    page = text(response)
    error = page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert delegations() == 0


def test_full_width_digits_are_read_as_digits(client, make_program):
    program = make_program()
    response = register(
        client, program, members=3, **{"members-1-nip": "１９７００１０１１９９５０３１００１"}
    )
    assert response.status_code == 303
    delegation = db.session.scalar(select(Delegation))
    assert delegation.members[1].nip == "197001011995031001"


def test_notes_may_have_several_lines(client, make_program):
    program = make_program()
    response = register(client, program, members=3, arrival_notes="Tiba Selasa\nHotel Ketapang")
    assert response.status_code == 303


def test_a_decision_on_a_page_that_went_stale_is_refused_not_a_500(
    client, make_program, make_delegation, make_staff
):
    delegation = make_delegation(make_program())
    login(client, make_staff())
    seen = delegation.version
    db.session.execute(
        update(Delegation).where(Delegation.id == delegation.id).values(version=seen + 1)
    )
    db.session.commit()
    response = post(
        client,
        f"/staff/delegations/{delegation.public_id}/status",
        {"status": "approved", "reason": "Surat lengkap", "version": str(seen)},
    )
    assert response.status_code == 409
    assert "mengubah rombongan ini" in text(response)
    db.session.refresh(delegation)
    assert delegation.status == DelegationStatus.PENDING


def test_a_decision_whose_row_changes_underneath_is_refused_too(
    client, make_program, make_delegation, make_staff, monkeypatch
):
    delegation = make_delegation(make_program())
    login(client, make_staff())
    decide = review.change_status

    def someone_else_saves_first(target, *args, **kwargs):
        with db.engine.begin() as connection:  # another worker commits after this one loaded
            connection.execute(
                update(Delegation)
                .where(Delegation.id == target.id)
                .values(version=Delegation.version + 1)
            )
        decide(target, *args, **kwargs)

    monkeypatch.setattr(review, "change_status", someone_else_saves_first)
    response = post(
        client,
        f"/staff/delegations/{delegation.public_id}/status",
        {"status": "approved", "reason": "Surat lengkap", "version": str(delegation.version)},
    )
    assert response.status_code == 409
    db.session.refresh(delegation)
    assert delegation.status == DelegationStatus.PENDING
