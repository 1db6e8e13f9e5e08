"""Every page costs the same number of queries however long the history grows.

A regency keeps years of programs, delegations, members, requests, messages and audit
events on one database. Each GET page of the product (public, private, staff, API, exports,
printed sheets, feeds) is asked once on a small world and again after the world has grown
(more programs past and ahead, more delegations and members in the program shown, more items,
requests, messages and events): a page whose count grows loops over history.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from planner.audit.log import record
from planner.core.database import db
from planner.delegations.checkin import Scan, check_in
from planner.delegations.models import (
    CheckinPoint,
    DelegationStatus,
    Member,
    MemberRole,
    RequestLetter,
)
from planner.messages.composing import registration_confirmation
from planner.programs.models import ItemKind, ProgramStatus
from planner.staff.models import Role
from planner.staff.tokens import create_token
from planner.visits.host import profile
from planner.visits.models import (
    Holiday,
    ProgramTemplate,
    TemplateItem,
    Topic,
    VisitRequest,
    VisitRequestLetter,
    WishedDates,
)
from tests.helpers import count_statements, fill_rule, login, pdf_bytes

STATUSES = [
    DelegationStatus.APPROVED,
    DelegationStatus.PENDING,
    DelegationStatus.WAITLISTED,
    DelegationStatus.CANCELLED,
    DelegationStatus.REJECTED,
]
# Rules without a page to count: static files, redirects and one-time secrets.
NOT_PAGES = {
    "static",
    "i18n.switch_language",
    "staff.accept_invitation",
    "staff.reset_password",
    "staff.login",
    "staff.request_reset",
    "public.readyz",  # its queries are a fixed list of checks; it answers 503 without a worker
}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class World:
    """The objects the pages show, and a way to grow everything around them."""

    def __init__(self, make_program, make_item, make_venue, make_delegation, make_staff):
        self.make_program, self.make_item = make_program, make_item
        self.make_venue, self.make_delegation = make_venue, make_delegation
        self.admin = make_staff(role=Role.ADMIN)
        self.program = make_program(first_day=date(2026, 12, 9), last_day=date(2026, 12, 11))
        self.venue = make_venue()
        self.item = make_item(self.program, venue=self.venue)
        self.trek = make_item(
            self.program, start=time(1), end=time(6), optional=True, kind=ItemKind.FIELD_TRIP
        )
        self.delegation = make_delegation(self.program, members=3, status=DelegationStatus.APPROVED)
        self.member = self.delegation.members[0]
        self.member.optional_items.append(self.trek)
        self.point = CheckinPoint(program=self.program, item=self.item, title="Bus")
        self.topic = Topic(title_id="Mal Pelayanan Publik")
        self.template = ProgramTemplate(
            title="Studi tiru",
            items=[TemplateItem(starts_at=time(8), ends_at=time(9), title="Paparan")],
        )
        self.visit = self._visit_request(0)
        letter = pdf_bytes()
        self.visit.letter = VisitRequestLetter(
            filename="surat.pdf", size=len(letter), content=letter
        )
        self.delegation.request_letter = RequestLetter(
            filename="surat.pdf", size=len(letter), content=letter
        )
        host = profile()
        host.logo, host.logo_type = PNG, "image/png"
        db.session.add_all([self.point, self.topic, self.template, self.visit])
        db.session.commit()
        _, self.api_secret = create_token(self.admin, "tes")
        db.session.commit()
        self.grown = 0

    @staticmethod
    def _visit_request(n: int) -> VisitRequest:
        return VisitRequest(
            institution=f"Pemerintah Kabupaten Contoh {n}",
            province="Kalimantan Tengah",
            leader_name="H. Yulhaidir",
            leader_title="Bupati",
            contact_name="Syahrul",
            contact_phone="+6281349876543",
            contact_email=f"protokol{n}@contoh.go.id",
            size=30,
            wished_dates=[
                WishedDates(preference=1, first_day=date(2027, 3, 1), last_day=date(2027, 3, 2))
            ],
        )

    def grow(self, count: int) -> None:
        """`count` more of everything: in the program shown and in the history around it."""
        for n in range(self.grown, self.grown + count):
            venue = self.make_venue()
            extra = self.make_item(
                self.program,
                day=self.program.first_day + timedelta(days=n % 3),
                start=time(10 + n % 8),
                end=time(11 + n % 8),
                venue=venue,
                optional=n % 2 == 0,
            )
            delegation = self.make_delegation(self.program, members=3, status=STATUSES[n % 5])
            for member in delegation.members:
                member.optional_items.append(self.trek)
            self.delegation.members.append(
                Member(
                    full_name=f"Anggota Tambahan {n}",
                    position="Staf",
                    role=MemberRole.MEMBER,
                    gender="L",
                    sort_order=10 + n,
                    optional_items=[self.trek],
                )
            )
            # history: a program long past, one ahead, each with its agenda and delegations
            for first_day in (date(2019, 3, 4) + timedelta(days=30 * n), date(2027, 2, 1)):
                other = self.make_program(
                    first_day=first_day,
                    last_day=first_day + timedelta(days=1),
                    status=ProgramStatus.CLOSED if n % 3 == 1 else ProgramStatus.PUBLISHED,
                    max_participants=200 if n % 2 == 0 else None,
                )
                self.make_item(other, venue=venue)
                for status in (DelegationStatus.APPROVED, DelegationStatus.PENDING):
                    self.make_delegation(other, members=2, status=status)
            db.session.add_all(
                [self._visit_request(n + 1), Holiday(day=date(2027, 1, 1 + n), name="Libur")]
            )
            record("item.updated", extra, program=self.program, changes={"title": ["a", "b"]})
            record(
                "delegation.status_changed",
                delegation,
                program=self.program,
                delegation=delegation,
                changes={"status": ["pending", "approved"]},
            )
            registration_confirmation(delegation)
            db.session.commit()
        members = db.session.get(type(self.delegation), self.delegation.id).members
        check_in(
            self.point,
            [Scan(f"scan-{self.grown}-{m.id}", m.checkin_code, datetime.now(UTC)) for m in members],
        )
        db.session.commit()
        self.grown += count

    def url(self, rule) -> str:
        values = {
            "slug": self.program.slug,
            "token": self.delegation.token,
            "code": "en",
            "what": "participants",
            "extension": "csv",
            "year": 2026,
        }
        public_ids = {
            "review": self.delegation.public_id,
            "exports.delegation_export": self.delegation.public_id,
            "protocol.delegation_name_tags": self.delegation.public_id,
            "protocol.order": self.delegation.public_id,
            "protocol.sppd": self.delegation.public_id,
            "staff_imports.import_members": self.delegation.public_id,
            "staff_imports.delegation_template": self.delegation.public_id,
            "protocol.attendance": self.trek.public_id,  # an optional item: who chose it
            "programs.edit_item": self.item.public_id,
            "exports.manifest": self.item.public_id,
            "venues.edit": self.venue.public_id,
            "requests": self.visit.public_id,
            "api_staff.visit_request": self.visit.public_id,
            "catalog.edit_template": self.template.public_id,
            "catalog.edit_topic": self.topic.public_id,
            "checkin": self.point.public_id,
            "api_checkin.point": self.point.public_id,
        }
        if rule.endpoint in {"delegations.member", "delegations.member_qr", "calendar.member_feed"}:
            values["token"] = self.member.token
        if rule.endpoint.startswith(("visits.", "api_public.visit_request")):
            values["token"] = self.visit.token
        values["public_id"] = public_ids.get(
            rule.endpoint, public_ids.get(rule.endpoint.split(".")[0])
        )
        url = fill_rule(rule, values)
        if rule.endpoint == "calendar.staff_feed":
            url += f"?token={self.admin.calendar_token}"
        return url


def pages(app) -> list:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
        ),
        key=lambda rule: rule.rule,
    )


def statements(app, client, url: str, headers: dict) -> tuple[int, int]:
    """(status, SQL statements) of GET `url`, its body read in full."""
    count, response = count_statements(app, lambda: client.get(url, headers=headers))
    return response.status_code, count


@pytest.fixture
def world(make_program, make_item, make_venue, make_delegation, make_staff):
    return World(make_program, make_item, make_venue, make_delegation, make_staff)


def costs(app, client, world) -> dict[str, tuple[int, int]]:
    api = {"Authorization": f"Bearer {world.api_secret}"}
    answers = {}
    for rule in pages(app):
        url = world.url(rule)
        headers = api if rule.rule.startswith("/api/v1/staff") else {}
        statements(app, client, url, headers)  # warm: first-use caches and session upkeep
        answers[url] = statements(app, client, url, headers)
    return answers


def test_every_page_costs_the_same_queries_as_the_history_grows(app, client, world):
    login(client, world.admin)
    world.grow(2)
    few = costs(app, client, world)
    world.grow(6)
    many = costs(app, client, world)
    failed = {url: status for url, (status, _) in few.items() if status != 200}
    assert failed == {}, "pages that did not answer 200"
    grew = {url: (few[url][1], many[url][1]) for url in few if few[url] != many[url]}
    assert grew == {}, "pages whose queries grew with the history: (before, after)"
    assert len(few) >= 80
