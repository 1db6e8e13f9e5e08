"""The regency's figures (issue 18): every number hand-counted on a small made-up history."""

import re
from datetime import UTC, date, datetime, time

import pytest

from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.figures import compute, counter
from planner.figures.compute import (
    Count,
    DayRow,
    LeadTime,
    MonthRow,
    OptionalRow,
    PlaceRow,
    ProgramRow,
    RepeatVisitor,
    TopicRow,
    VenueRow,
)
from planner.programs.models import ItemKind, ItemStatus, ProgramStatus
from planner.programs.times import host_today
from planner.staff.tokens import create_token
from planner.visits import host
from planner.visits.models import HostProfile, RequestStatus, Topic, VisitRequest, WishedDates
from tests.helpers import count_statements, post, text

APPROVED, CANCELLED = DelegationStatus.APPROVED, DelegationStatus.CANCELLED
REJECTED, WAITLISTED = DelegationStatus.REJECTED, DelegationStatus.WAITLISTED
PENDING = DelegationStatus.PENDING
NOT_MATCHED = "Instansi lain (tanpa kode wilayah)"  # the name figures give in Indonesian


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _request(created_at: datetime, topics: list[Topic], **overrides) -> VisitRequest:
    fields = dict(
        institution="Pemerintah Kabupaten Contoh",
        province="Jawa Timur",
        leader_name="Bupati Contoh",
        leader_title="Bupati",
        contact_name="Kepala Protokol",
        contact_phone="+6281234567890",
        contact_email="protokol@contoh.go.id",
        size=10,
        created_at=created_at,
        topics=topics,
        wished_dates=[
            WishedDates(preference=1, first_day=date(2026, 3, 5), last_day=date(2026, 3, 5))
        ],
    )
    fields.update(overrides)
    visit = VisitRequest(**fields)
    db.session.add(visit)
    return visit


class History:
    """2025: one program; 2026: four (one draft, one without delegations); 2027: one."""

    def __init__(self, make_program, make_item, make_venue, make_delegation):
        self.make_program, self.make_item, self.make_delegation = (
            make_program,
            make_item,
            make_delegation,
        )
        mpp = make_venue(name="Mal Pelayanan Publik")
        pendopo = make_venue(name="Pendopo Sabha Swagata")
        paltuding = make_venue(name="Paltuding")

        # 2025: Seruyan and Palangkaraya come; Malang is rejected.
        p25 = make_program(
            slug="mpp-2025",
            title="Studi tiru MPP 2025",
            first_day=date(2025, 3, 10),
            last_day=date(2025, 3, 11),
            status=ProgramStatus.ARCHIVED,
        )
        make_item(p25, venue=mpp)
        make_delegation(p25, members=4, status=APPROVED, region_code="62.07")
        make_delegation(p25, members=2, status=APPROVED, region_code="62.71")
        make_delegation(p25, members=3, status=REJECTED, region_code="35.07")

        # 2026, January: two visits, one cancelled, one waitlisted; the Ijen trek.
        self.january = make_program(
            slug="mpp-januari",
            title="Studi tiru MPP Januari",
            first_day=date(2026, 1, 20),
            last_day=date(2026, 1, 21),
            status=ProgramStatus.CLOSED,
        )
        make_item(self.january, venue=mpp)
        make_item(self.january, venue=pendopo, start=time(12), end=time(13), kind=ItemKind.MEAL)
        trek = make_item(
            self.january,
            title="Pendakian Kawah Ijen",
            day=date(2026, 1, 21),
            start=time(1),
            end=time(6),
            venue=paltuding,
            optional=True,
            capacity=30,
            kind=ItemKind.FIELD_TRIP,
        )
        seruyan = make_delegation(
            self.january,
            members=5,
            status=APPROVED,
            region_code="62.07",
            created_at=utc(2025, 12, 21, 3),  # 30 days ahead
        )
        kapuas = make_delegation(
            self.january,
            members=3,
            status=APPROVED,
            region_code="62.03",
            created_at=utc(2026, 1, 10, 3),  # 10 days ahead
        )
        gone = make_delegation(self.january, members=2, status=CANCELLED, region_code="63.01")
        make_delegation(self.january, members=4, status=WAITLISTED, region_code="51.03")
        for member in seruyan.members[:3] + kapuas.members[:1] + gone.members[:1]:
            member.optional_items.append(trek)

        # 2026, March: Malang came through a visit request; a university without a code.
        self.march = make_program(
            slug="sakip-maret",
            title="Studi banding SAKIP Maret",
            first_day=date(2026, 3, 5),
            last_day=date(2026, 3, 5),
            status=ProgramStatus.DRAFT,  # made from a template by accepting the request
        )
        make_item(self.march, venue=pendopo)
        make_item(self.march, venue=mpp, status=ItemStatus.CANCELLED)
        culinary = make_item(
            self.march,
            title="Wisata kuliner",
            start=time(19),
            end=time(21),
            optional=True,
            status=ItemStatus.CANCELLED,
        )
        malang = make_delegation(
            self.march,
            members=6,
            status=APPROVED,
            region_code="35.07",
            created_at=utc(2026, 2, 20, 3),
        )
        malang.members[0].optional_items.append(culinary)
        make_delegation(
            self.march,
            members=4,
            status=APPROVED,
            region_code="",
            institution="Universitas Brawijaya",
            # 01.00 WIB on 1 March: 4 days ahead in the host's calendar (5 by UTC's).
            created_at=utc(2026, 2, 28, 18),
        )
        make_delegation(self.march, members=2, status=REJECTED, region_code="62.07")
        make_delegation(self.march, members=1, status=PENDING, region_code="36.71")

        # A draft nobody registered for, and a published program nobody came to.
        make_program(slug="draft-juni", first_day=date(2026, 6, 1), status=ProgramStatus.DRAFT)
        self.july = make_program(
            slug="juli",
            title="Studi tiru Juli",
            first_day=date(2026, 7, 15),
            last_day=date(2026, 7, 17),
        )
        make_item(self.july, venue=mpp)

        # 2027: Kapuas comes again.
        p27 = make_program(slug="mpp-2027", first_day=date(2027, 2, 1))
        make_delegation(p27, members=2, status=APPROVED, region_code="62.03")

        # Topics: the request that brought Malang, one still open, one from 2025, and one
        # sent at 00.30 WIB on 1 January 2026 (still 2025 in UTC).
        self.mpp = Topic(title_id="Mal Pelayanan Publik", title_en="Public service mall")
        self.sakip = Topic(title_id="SAKIP", sort_order=1)
        self.kampung = Topic(title_id="Smart Kampung", sort_order=2)
        db.session.add_all([self.mpp, self.sakip, self.kampung])
        _request(
            utc(2026, 2, 1, 3),  # 32 days before 5 March
            [self.mpp, self.sakip],
            status=RequestStatus.ACCEPTED,
            delegation=malang,
            program=self.march,
            region_code="35.07",
        )
        _request(utc(2026, 4, 10, 3), [self.sakip])
        _request(utc(2025, 11, 1, 3), [self.mpp])
        _request(utc(2025, 12, 31, 17, 30), [self.kampung])
        db.session.commit()

    def grow(self, n: int) -> None:
        """n more programs in 2026 and 2024, with delegations of every kind, members choosing
        the optional items, and visit requests."""
        for i in range(n):
            for year in (2026, 2024):
                program = self.make_program(first_day=date(year, 1 + i % 12, 1 + i % 25))
                optional = self.make_item(program, optional=True, capacity=50)
                for status in (APPROVED, APPROVED, CANCELLED, WAITLISTED):
                    delegation = self.make_delegation(
                        program, members=4, status=status, region_code=f"62.{i % 14 + 1:02d}"
                    )
                    delegation.members[0].optional_items.append(optional)
                visit = _request(utc(year, 2, 1), [self.sakip], delegation=delegation)
                visit.program = program
        db.session.commit()


@pytest.fixture
def history(make_program, make_item, make_venue, make_delegation):
    return History(make_program, make_item, make_venue, make_delegation)


def test_every_figure_of_the_year_is_counted_by_hand(app, history):
    figures = compute.year_figures(2026)

    assert (figures.year, figures.delegations, figures.participants) == (2026, 4, 18)
    assert (figures.provinces, figures.regions, figures.average_size) == (2, 3, 4.5)

    none = Count()
    assert figures.by_month[0] == MonthRow(
        1,
        visited=Count(2, 8),
        pending=none,
        waitlisted=Count(1, 4),
        rejected=none,
        cancelled=Count(1, 2),
    )
    assert figures.by_month[2] == MonthRow(
        3,
        visited=Count(2, 10),
        pending=Count(1, 1),
        waitlisted=none,
        rejected=Count(1, 2),
        cancelled=none,
    )
    assert [row.month for row in figures.by_month] == list(range(1, 13))
    assert all(
        row == MonthRow(row.month, none, none, none, none, none)
        for row in figures.by_month
        if row.month not in (1, 3)
    )

    assert figures.by_province == (
        PlaceRow("62", "Kalimantan Tengah", "Kalimantan Tengah", 2, 8),
        PlaceRow("35", "Jawa Timur", "Jawa Timur", 1, 6),
        PlaceRow("", NOT_MATCHED, "", 1, 4),
    )
    assert figures.by_region == (
        PlaceRow("35.07", "Kabupaten Malang", "Jawa Timur", 1, 6),
        PlaceRow("62.07", "Kabupaten Seruyan", "Kalimantan Tengah", 1, 5),
        PlaceRow("62.03", "Kabupaten Kapuas", "Kalimantan Tengah", 1, 3),
        PlaceRow("", NOT_MATCHED, "", 1, 4),
    )
    # The draft without delegations is left out; the draft with the accepted request is not.
    assert figures.by_program == (
        ProgramRow(
            "mpp-januari", "Studi tiru MPP Januari", date(2026, 1, 20), date(2026, 1, 21), 2, 8
        ),
        ProgramRow(
            "sakip-maret", "Studi banding SAKIP Maret", date(2026, 3, 5), date(2026, 3, 5), 2, 10
        ),
        ProgramRow("juli", "Studi tiru Juli", date(2026, 7, 15), date(2026, 7, 17), 0, 0),
    )
    assert figures.by_topic == (
        TopicRow(history.sakip.public_id, "SAKIP", "", requested=2, visited=1),
        TopicRow(
            history.mpp.public_id, "Mal Pelayanan Publik", "Public service mall", 1, visited=1
        ),
        TopicRow(history.kampung.public_id, "Smart Kampung", "", requested=1, visited=0),
    )
    assert figures.by_topic[1].title("en") == "Public service mall"
    # 30, 10, 32 (from the request, not the delegation's 13) and 4 days.
    assert figures.lead_time == LeadTime(
        visits=4, median_days=20.0, average_days=19.0, shortest_days=4, longest_days=32
    )
    assert figures.repeat_visitors == (
        RepeatVisitor("62.03", "Kabupaten Kapuas", "Kalimantan Tengah", (2026, 2027)),
        RepeatVisitor("62.07", "Kabupaten Seruyan", "Kalimantan Tengah", (2025, 2026)),
    )
    # Cancelled items and the program nobody came to are not counted.
    assert figures.busiest_venues == (
        VenueRow("Pendopo Sabha Swagata", items=2, delegations=4, participants=18),
        VenueRow("Mal Pelayanan Publik", items=1, delegations=2, participants=8),
        VenueRow("Paltuding", items=1, delegations=2, participants=8),
    )
    assert figures.busiest_days == (
        DayRow(date(2026, 3, 5), 2, 10),
        DayRow(date(2026, 1, 20), 2, 8),
        DayRow(date(2026, 1, 21), 2, 8),
    )
    # The cancelled delegation's member who had chosen the trek is not counted.
    assert figures.optional_items == (
        OptionalRow(
            "mpp-januari",
            "Studi tiru MPP Januari",
            "Pendakian Kawah Ijen",
            date(2026, 1, 21),
            joined=4,
            capacity=30,
            cancelled=False,
        ),
        OptionalRow(
            "sakip-maret",
            "Studi banding SAKIP Maret",
            "Wisata kuliner",
            date(2026, 3, 5),
            joined=1,
            capacity=None,
            cancelled=True,
        ),
    )

    assert figures.previous == compute.year_totals(2025)
    previous = compute.year_figures(2025, with_previous=False)
    assert (previous.year, previous.delegations, previous.participants) == (2025, 2, 6)
    assert (previous.provinces, previous.regions, previous.previous) == (1, 2, None)
    assert (figures.previous.provinces, figures.previous.regions) == (1, 2)
    assert figures.previous.lead_time == previous.lead_time
    assert previous.by_region == (
        PlaceRow("62.07", "Kabupaten Seruyan", "Kalimantan Tengah", 1, 4),
        PlaceRow("62.71", "Kota Palangkaraya", "Kalimantan Tengah", 1, 2),
    )
    assert previous.repeat_visitors == (
        RepeatVisitor("62.07", "Kabupaten Seruyan", "Kalimantan Tengah", (2025, 2026)),
    )


def test_a_year_without_visits_has_zeros_not_errors(app, history):
    figures = compute.year_figures(2030)
    assert (figures.delegations, figures.participants, figures.average_size) == (0, 0, 0.0)
    assert figures.by_province == figures.by_region == figures.by_program == ()
    assert figures.lead_time == LeadTime(0, None, None, None, None)
    assert figures.previous.delegations == 0


def _api(client, headers, year=2026):
    return client.get(f"/api/v1/staff/figures?year={year}", headers=headers)


@pytest.fixture
def token(make_staff):
    _, secret = create_token(make_staff(), "tes")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_answers_the_figures_to_staff_only(client, history, token):
    assert client.get("/api/v1/staff/figures?year=2026").status_code == 401
    assert _api(client, {"Authorization": "Bearer salah"}).status_code == 401

    answer = _api(client, token)
    assert answer.status_code == 200
    body = answer.json
    assert (body["year"], body["delegations"], body["participants"]) == (2026, 4, 18)
    assert (body["provinces"], body["regions"], body["average_size"]) == (2, 3, 4.5)
    assert body["by_month"][0] == {
        "month": 1,
        "delegations": 2,
        "participants": 8,
        "pending": {"delegations": 0, "participants": 0},
        "waitlisted": {"delegations": 1, "participants": 4},
        "rejected": {"delegations": 0, "participants": 0},
        "cancelled": {"delegations": 1, "participants": 2},
    }
    assert len(body["by_month"]) == 12
    assert body["by_province"] == [
        {"code": "62", "name": "Kalimantan Tengah", "delegations": 2, "participants": 8},
        {"code": "35", "name": "Jawa Timur", "delegations": 1, "participants": 6},
        {"code": "", "name": body["by_province"][2]["name"], "delegations": 1, "participants": 4},
    ]
    assert body["by_region"][1] == {
        "code": "62.07",
        "name": "Kabupaten Seruyan",
        "province": "Kalimantan Tengah",
        "delegations": 1,
        "participants": 5,
    }
    assert body["by_program"][0]["first_day"] == "2026-01-20"
    assert [(t["title"], t["requested"], t["visited"]) for t in body["by_topic"]] == [
        ("SAKIP", 2, 1),
        ("Mal Pelayanan Publik", 1, 1),
        ("Smart Kampung", 1, 0),
    ]
    assert body["lead_time"] == {
        "visits": 4,
        "median_days": 20.0,
        "average_days": 19.0,
        "shortest_days": 4,
        "longest_days": 32,
    }
    assert body["repeat_visitors"][1] == {
        "code": "62.07",
        "name": "Kabupaten Seruyan",
        "province": "Kalimantan Tengah",
        "years": [2025, 2026],
    }
    assert body["busiest_venues"][0] == {
        "name": "Pendopo Sabha Swagata",
        "items": 2,
        "delegations": 4,
        "participants": 18,
    }
    assert body["busiest_days"][0] == {"day": "2026-03-05", "delegations": 2, "participants": 10}
    assert body["optional_items"][0] == {
        "program": "mpp-januari",
        "program_title": "Studi tiru MPP Januari",
        "title": "Pendakian Kawah Ijen",
        "day": "2026-01-21",
        "joined": 4,
        "capacity": 30,
        "cancelled": False,
    }
    assert body["previous"] == {
        "year": 2025,
        "delegations": 2,
        "participants": 6,
        "provinces": 1,
        "regions": 2,
    }


@pytest.mark.parametrize("year", ["1999", "2101", "dua-ribu", "", "2026.5", "٢٠٢٦"])
def test_a_bad_year_is_422_at_year(client, token, year):
    answer = _api(client, token, year)
    assert answer.status_code == 422
    assert list(answer.json["errors"]) == ["year"]


def test_without_a_year_it_is_this_year_and_the_document_describes_it(client, token):
    answer = client.get("/api/v1/staff/figures", headers=token)
    assert answer.status_code == 200
    assert answer.json["year"] == host_today().year
    assert answer.json["previous"]["year"] == host_today().year - 1
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/staff/figures"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["year"]
    assert operation["security"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("FiguresOut")


def test_the_figures_cost_the_same_queries_for_a_small_and_a_large_year(
    app, client, history, token
):
    few, answer = count_statements(app, lambda: _api(client, token))
    assert answer.status_code == 200
    history.grow(12)
    many, answer = count_statements(app, lambda: _api(client, token))
    assert answer.json["delegations"] == 4 + 12 * 2
    assert many == few


# --- the public counter ----------------------------------------------------------------


@pytest.fixture
def in_2026(monkeypatch):
    monkeypatch.setattr(counter, "host_today", lambda: date(2026, 12, 2))


def _counter(client) -> str | None:
    found = re.search(r'id="visit-counter">([^<]*)<', text(client.get("/")))
    return found and found.group(1)


def _host_form(version: int, **overrides) -> dict:
    data = {
        "version": str(version),
        "name": "PEMERINTAH KABUPATEN BANYUWANGI",
        "place": "Banyuwangi",
        "lead_working_days": "5",
        "max_size": "60",
        "daily_delegations": "2",
    }
    data.update(overrides)
    return data


def test_the_counter_is_off_until_staff_switch_it_on(client, staff_client, history, in_2026):
    assert _counter(client) is None
    profile = host.profile()
    assert profile.public_counter is False
    db.session.commit()

    answer = post(staff_client, "/staff/host", _host_form(profile.version, public_counter="y"))
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(HostProfile, host.PROFILE_ID).public_counter is True
    checkbox = re.search(
        r'<input[^>]*name="public_counter"[^>]*>', text(staff_client.get("/staff/host"))
    )
    assert "checked" in checkbox.group(0)
    sentence = _counter(client)
    # 4 delegations from 2 provinces in 2026 (Kalimantan Tengah and Jawa Timur).
    assert re.search(r"\b4\b.*\b2\b.*Banyuwangi", sentence), sentence

    version = db.session.get(HostProfile, host.PROFILE_ID).version
    db.session.commit()
    post(staff_client, "/staff/host", _host_form(version))  # unticked
    assert _counter(client) is None


def test_the_counter_writes_numbers_the_indonesian_way(client, app, monkeypatch, in_2026):
    profile = host.profile()
    profile.public_counter, profile.place = True, ""
    profile.name = "PEMERINTAH KABUPATEN BANYUWANGI"
    db.session.commit()
    assert _counter(client) is None  # nobody came yet this year: no "0 delegations"
    monkeypatch.setattr(
        counter, "headline", lambda year: compute.Headline(year, delegations=1500, provinces=31)
    )
    sentence = _counter(client)
    assert "1.500" in sentence and "31" in sentence and "Kabupaten Banyuwangi" in sentence


def test_the_home_page_counter_costs_the_same_queries_as_history_grows(
    app, client, history, in_2026
):
    profile = host.profile()
    profile.public_counter, profile.place = True, "Banyuwangi"
    db.session.commit()
    few, answer = count_statements(app, lambda: client.get("/"))
    assert "Banyuwangi" in _counter(client)
    history.grow(12)
    many, answer = count_statements(app, lambda: client.get("/"))
    assert answer.status_code == 200
    assert many == few
    assert re.search(r"\b28\b", _counter(client))  # 4 + 12 programs x 2 visits
