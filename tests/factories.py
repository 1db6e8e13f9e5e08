"""Factory fixtures: one call builds a valid object; tests override only what they care about."""

from datetime import date, time, timedelta
from itertools import count

import pytest

from planner.core.database import db
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberRole
from planner.programs.models import AgendaItem, ItemKind, Program, ProgramStatus
from planner.programs.times import to_utc
from planner.staff.models import Role, StaffUser
from planner.venues.models import Venue
from planner.visits.models import VisitRequest

_sequence = count(1)


@pytest.fixture
def make_venue(app):
    def make(**overrides) -> Venue:
        n = next(_sequence)
        fields = dict(
            name=f"Aula {n}",
            address=f"Jl. Contoh No. {n}, Banyuwangi",
            latitude=-8.2,
            longitude=114.37,
            seats=100,
        )
        fields.update(overrides)
        venue = Venue(**fields)
        db.session.add(venue)
        db.session.commit()
        return venue

    return make


@pytest.fixture
def make_program(app):
    def make(**overrides) -> Program:
        n = next(_sequence)
        first_day = overrides.pop("first_day", date(2026, 12, 9))
        fields = dict(
            slug=f"program-{n}",
            title=f"Studi tiru {n}",
            first_day=first_day,
            last_day=first_day + timedelta(days=1),
            timezone="Asia/Jakarta",
            status=ProgramStatus.PUBLISHED,
        )
        fields.update(overrides)
        program = Program(**fields)
        db.session.add(program)
        db.session.commit()
        return program

    return make


@pytest.fixture
def make_item(app):
    def make(program: Program, **overrides) -> AgendaItem:
        day = overrides.pop("day", program.first_day)
        start = overrides.pop("start", time(8, 0))
        end = overrides.pop("end", time(9, 0))
        fields = dict(
            title=f"Acara {next(_sequence)}",
            kind=ItemKind.BRIEFING,
            starts_at=to_utc(day, start, program.timezone),
            ends_at=to_utc(day, end, program.timezone),
        )
        fields.update(overrides)
        item = AgendaItem(program=program, **fields)
        db.session.add(item)
        db.session.commit()
        return item

    return make


@pytest.fixture
def make_delegation(app):
    def make(program: Program, members: int = 3, **overrides) -> Delegation:
        n = next(_sequence)
        fields = dict(
            institution=f"Pemerintah Kabupaten Contoh {n}",
            province="Kalimantan Tengah",
            leader_name="Bupati Contoh",
            leader_title="Bupati",
            contact_name="Kepala Protokol",
            contact_phone="+6281234567890",
            contact_email=f"protokol{n}@contoh.go.id",
            status=DelegationStatus.PENDING,
        )
        fields.update(overrides)
        delegation = Delegation(program=program, **fields)
        for i in range(members):
            delegation.members.append(
                Member(
                    full_name=f"Peserta {n}-{i}",
                    position="Kepala Bagian",
                    role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER,
                    gender="L" if i % 2 else "P",
                    sort_order=i,
                )
            )
        db.session.add(delegation)
        db.session.commit()
        return delegation

    return make


@pytest.fixture
def make_visit_request(app):
    def make(**overrides) -> VisitRequest:
        fields = dict(
            institution="Pemerintah Kabupaten Seruyan",
            province="Kalimantan Tengah",
            leader_name="H. Yulhaidir",
            leader_title="Bupati Seruyan",
            contact_name="Syahrul",
            contact_phone="+6281349876543",
            contact_email="protokol@seruyankab.go.id",
            size=30,
        )
        fields.update(overrides)
        visit = VisitRequest(**fields)
        db.session.add(visit)
        db.session.commit()
        return visit

    return make


@pytest.fixture
def make_staff(app):
    def make(role: str = Role.STAFF, password: str = "rahasia-sekali-123", **overrides):
        n = next(_sequence)
        fields = dict(email=f"staf{n}@banyuwangikab.go.id", name=f"Staf {n}", role=role)
        fields.update(overrides)
        user = StaffUser(**fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def staff_client(client, make_staff):
    """A client logged in as protocol staff."""
    from tests.helpers import login

    login(client, make_staff(role=Role.STAFF))
    return client
