"""Many delegations registering at the same moment never overbook a program.

First the race is shown to exist (with the program lock removed and the gap between
counting and inserting widened), then the lock is shown to stop it, as pretix's
concurrency tests do.
"""

import threading
import time

import pytest
from sqlalchemy import func, select

from planner.core.database import db
from planner.delegations import capacity
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, Member
from tests.conftest import IsolatedClient
from tests.helpers import csrf_token, registration_form

REQUESTS = 24
MEMBERS = 3
SEATS = 15  # room for 5 of the 24 delegations


@pytest.fixture
def slow_counting(monkeypatch):
    """Widen the window between counting seats and taking them, so a race shows every time."""
    count = capacity.program_has_room

    def slow(*args, **kwargs):
        result = count(*args, **kwargs)
        time.sleep(0.05)
        return result

    monkeypatch.setattr(capacity, "program_has_room", slow)


def fire_registrations(app, program) -> list[int]:
    page = f"/programs/{program.slug}/register"
    app.test_client_class = IsolatedClient
    clients = [app.test_client() for _ in range(REQUESTS)]
    forms = []
    for index, client in enumerate(clients):
        data = registration_form(members=MEMBERS, institution=f"Pemerintah Kabupaten {index}")
        data["csrf_token"] = csrf_token(client, page)
        forms.append(data)
    barrier = threading.Barrier(REQUESTS)
    answers: list[int] = [0] * REQUESTS

    def run(index: int) -> None:
        barrier.wait()
        answers[index] = clients[index].post(page, data=forms[index]).status_code

    threads = [threading.Thread(target=run, args=(index,)) for index in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def seats_held(program) -> int:
    return db.session.scalar(
        select(func.count(Member.id))
        .join(Delegation)
        .where(Delegation.program_id == program.id, Delegation.status.in_(SEAT_HOLDING_STATUSES))
    )


def test_without_the_lock_simultaneous_registrations_overbook(
    app, make_program, slow_counting, monkeypatch
):
    monkeypatch.setattr(capacity, "lock_program", lambda program: None)
    program = make_program(max_participants=SEATS, waitlist=False)
    fire_registrations(app, program)
    assert seats_held(program) > SEATS  # the race is real


def test_with_the_lock_no_cap_is_ever_exceeded_and_everyone_gets_an_answer(
    app, make_program, slow_counting
):
    program = make_program(max_participants=SEATS, waitlist=False)
    answers = fire_registrations(app, program)
    assert seats_held(program) == SEATS
    assert sorted(answers) == [303] * (SEATS // MEMBERS) + [409] * (REQUESTS - SEATS // MEMBERS)


def test_the_delegation_cap_holds_too(app, make_program, slow_counting):
    program = make_program(max_delegations=4, waitlist=True)
    answers = fire_registrations(app, program)
    assert all(answer == 303 for answer in answers)
    held = db.session.scalar(
        select(func.count())
        .select_from(Delegation)
        .where(Delegation.program_id == program.id, Delegation.status.in_(SEAT_HOLDING_STATUSES))
    )
    waitlisted = db.session.scalar(
        select(func.count()).select_from(Delegation).where(Delegation.status == "waitlisted")
    )
    assert (held, waitlisted) == (4, REQUESTS - 4)
