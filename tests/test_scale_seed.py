"""flask seed-scale: years of history on an empty database, usable by every page."""

from datetime import timedelta

from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberItem
from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.staff.models import StaffUser
from planner.visits import host
from planner.visits.models import VisitRequest
from tests.helpers import login


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def seed(runner, *args):
    return runner.invoke(args=["seed-scale", "--years", "1", "--scale", "0.2", *args])


def test_a_year_of_history_in_the_proportions_of_banyuwangi(runner):
    result = seed(runner)
    assert result.exit_code == 0, result.output
    assert f"{DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}" in result.output

    today = host.today()
    # A fifth of a year: 10 programs, 100 delegations, 3,080 members (and a few ahead).
    past = db.session.scalar(select(func.count()).where(Program.last_day < today))
    programs, delegations, members = count(Program), count(Delegation), count(Member)
    assert past == 10
    assert 12 <= count(AgendaItem) / programs <= 16
    assert 80 <= delegations <= 125
    assert 27 <= members / delegations <= 33
    assert 4 <= count(AuditEvent) / delegations <= 6
    assert count(MemberItem) > 0
    assert {str(s) for s in ProgramStatus} == set(db.session.scalars(select(Program.status)))
    assert {str(s) for s in DelegationStatus} == set(db.session.scalars(select(Delegation.status)))
    today = host.today()
    assert db.session.scalar(select(func.min(Program.first_day))) < today - timedelta(days=300)
    assert db.session.scalar(select(func.count()).where(Program.last_day > today)) >= 3


def test_the_seeded_rows_open_on_staff_and_private_pages(runner, client):
    assert seed(runner).exit_code == 0
    largest = db.session.execute(
        select(Program.slug, func.count(Delegation.id))
        .join(Delegation, Delegation.program_id == Program.id)
        .group_by(Program.slug)
        .order_by(func.count(Delegation.id).desc())
        .limit(1)
    ).first()
    delegation = db.session.scalar(
        select(Delegation)
        .join(Program)
        .where(Program.slug == largest.slug, Delegation.status == DelegationStatus.APPROVED)
        .limit(1)
    )
    member = delegation.members[1]
    request = db.session.scalar(select(VisitRequest).order_by(VisitRequest.id.desc()).limit(1))
    for url in (f"/d/{delegation.token}", f"/m/{member.token}", f"/programs/{largest.slug}"):
        assert client.get(url).status_code == 200, url
    for url in (f"/d/{delegation.token}/letter.pdf", f"/visits/r/{request.token}/letter.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.data.startswith(b"%PDF-")
    login(
        client,
        db.session.scalar(select(StaffUser).filter_by(email=DEMO_STAFF_EMAIL)),
        DEMO_PASSWORD,
    )
    for url in (
        "/staff/",
        "/staff/programs",
        f"/staff/programs/{largest.slug}",
        f"/staff/programs/{largest.slug}/delegations",
        f"/staff/delegations/{delegation.public_id}",
        "/staff/requests",
        "/staff/host/logo",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert delegation.institution in client.get(f"/staff/programs/{largest.slug}/delegations").text


def test_a_database_with_data_is_refused_and_left_as_it_was(runner):
    assert seed(runner).exit_code == 0
    before = count(Member)
    result = seed(runner)
    assert result.exit_code == 1
    assert "The database is not empty" in result.output
    assert count(Member) == before
