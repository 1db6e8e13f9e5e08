"""What the host offers, as staff keep it: topics, program templates, the host's settings,
its logo and its holidays."""

import io
import re
from datetime import date, time

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.visits import host
from planner.visits.models import Holiday, HostProfile, ProgramTemplate, TemplateItem, Topic
from tests.helpers import csrf_token, post, post_back, text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def english(staff_client):
    """The staff client reading the pages in English (the messages' own words)."""
    staff_client.set_cookie("lang", "en")
    return staff_client


def events(action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def topic_form(**overrides) -> dict:
    data = {
        "title_id": "Mal Pelayanan Publik (MPP)",
        "title_en": "Public Service Mall",
        "summary_id": "Satu atap untuk 200 layanan.",
        "summary_en": "",
        "unit": "DPMPTSP Kabupaten Banyuwangi",
        "duration_minutes": "120",
        "unavailable_note": "",
        "active": "y",
        "sort_order": "1",
    }
    data.update(overrides)
    return data


def make_topic(**overrides) -> Topic:
    fields = dict(title_id="Paparan SAKIP", duration_minutes=90)
    fields.update(overrides)
    topic = Topic(**fields)
    db.session.add(topic)
    db.session.commit()
    return topic


def make_template(**overrides) -> ProgramTemplate:
    fields = dict(title="Studi tiru 2 hari", days=2)
    fields.update(overrides)
    template = ProgramTemplate(**fields)
    db.session.add(template)
    db.session.commit()
    return template


def item_form(**overrides) -> dict:
    data = {
        "title": "Pendakian malam ke Kawah Ijen",
        "day": "2",
        "starts_at": "01:00",
        "ends_at": "05:00",
        "kind": "field_trip",
        "venue": "",
        "topic": "",
        "presenter": "Pemandu TWA Kawah Ijen",
        "description": "",
        "requirements": "Jalan menanjak 3 km, jaket tebal; masker gas disediakan.",
        "dress_code": "",
        "optional": "y",
    }
    data.update(overrides)
    return data


# Topics


def test_create_and_edit_a_topic_with_places_and_unavailable_weekdays(staff_client, make_venue):
    mpp, pendopo = make_venue(name="Mal Pelayanan Publik"), make_venue(name="Pendopo")
    response = post(
        staff_client,
        "/staff/topics/new",
        topic_form(venues=[mpp.public_id], unavailable_weekdays=["4", "0"]),
    )
    assert response.status_code == 303
    topic = db.session.scalar(select(Topic))
    assert topic.title_en == "Public Service Mall" and topic.duration_minutes == 120
    assert [venue.name for venue in topic.venues] == ["Mal Pelayanan Publik"]
    assert topic.unavailable_weekdays == [0, 4]  # Monday and Friday
    created = events("topic.created")
    assert len(created) == 1 and created[0].object_id == topic.public_id
    assert created[0].changes["venues"] == [None, ["Mal Pelayanan Publik"]]

    page = text(staff_client.get(f"/staff/topics/{topic.public_id}"))
    assert re.search(
        rf'value="{mpp.public_id}"[^>]*checked|checked[^>]*value="{mpp.public_id}"', page
    )
    version = topic.version
    response = post_back(
        staff_client,
        f"/staff/topics/{topic.public_id}",
        "title_id",
        venues=[mpp.public_id, pendopo.public_id],
        unavailable_weekdays=["5"],
    )
    assert response.status_code == 303
    db.session.expire_all()
    topic = db.session.get(Topic, topic.id)
    assert sorted(venue.name for venue in topic.venues) == ["Mal Pelayanan Publik", "Pendopo"]
    assert topic.unavailable_weekdays == [5]
    assert topic.version > version
    updated = events("topic.updated")
    assert len(updated) == 1
    assert updated[0].changes == {
        "unavailable_weekdays": [[0, 4], [5]],
        "venues": [["Mal Pelayanan Publik"], ["Mal Pelayanan Publik", "Pendopo"]],
    }


def test_a_change_of_places_alone_moves_the_topics_version_on(staff_client, make_venue):
    mpp = make_venue(name="Mal Pelayanan Publik")
    topic = make_topic()
    version = topic.version
    response = post_back(
        staff_client, f"/staff/topics/{topic.public_id}", "title_id", venues=[mpp.public_id]
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).version > version


def test_saving_a_topic_unchanged_changes_and_records_nothing(staff_client, make_venue):
    mpp = make_venue(name="Mal Pelayanan Publik")
    topic = make_topic(unavailable_weekdays=[4], unavailable_note="Tidak pada bulan Ramadan")
    topic.venues.append(mpp)
    db.session.commit()
    version = topic.version
    response = post_back(staff_client, f"/staff/topics/{topic.public_id}", "title_id")
    assert response.status_code == 303
    assert events() == []
    db.session.expire_all()
    topic = db.session.get(Topic, topic.id)
    assert topic.version == version and topic.unavailable_weekdays == [4]
    assert [venue.name for venue in topic.venues] == ["Mal Pelayanan Publik"]


def test_a_topic_changed_meanwhile_answers_409_with_the_other_version(english):
    topic = make_topic(title_id="Paparan SAKIP")
    seen = topic.version
    first = post(
        english,
        f"/staff/topics/{topic.public_id}",
        topic_form(title_id="Paparan SAKIP (diperbarui)", version=str(seen)),
    )
    assert first.status_code == 303
    second = post(
        english,
        f"/staff/topics/{topic.public_id}",
        topic_form(title_id="Paparan lain", version=str(seen)),
    )
    assert second.status_code == 409
    page = text(second)
    assert "Someone else changed this" in page
    assert 'value="Paparan SAKIP (diperbarui)"' in page  # their version is shown
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).title_id == "Paparan SAKIP (diperbarui)"
    assert len(events("topic.updated")) == 1


def test_a_bad_topic_form_answers_422_at_the_field(english):
    response = post(english, "/staff/topics/new", topic_form(title_id="", duration_minutes="2000"))
    assert response.status_code == 422
    page = text(response)
    assert 'id="title_id-error"' in page and 'id="duration_minutes-error"' in page
    assert count(Topic) == 0


# Program templates


def test_a_template_with_a_night_item_on_day_2(staff_client, make_venue):
    paltuding = make_venue(name="Pos Paltuding, Kawah Ijen")
    ijen = make_topic(title_id="Pariwisata Kawah Ijen")
    response = post(
        staff_client,
        "/staff/templates/new",
        {"title": "Studi tiru 2 hari dengan Kawah Ijen", "summary": "", "days": "2"},
    )
    assert response.status_code == 303
    template = db.session.scalar(select(ProgramTemplate))
    assert response.headers["Location"] == f"/staff/templates/{template.public_id}"
    assert template.days == 2 and len(events("template.created")) == 1

    response = post(
        staff_client,
        f"/staff/templates/{template.public_id}/items",
        item_form(venue=paltuding.public_id, topic=ijen.public_id),
    )
    assert response.status_code == 303
    item = db.session.scalar(select(TemplateItem))
    assert (item.day, item.starts_at, item.ends_at) == (2, time(1, 0), time(5, 0))
    assert item.venue_id == paltuding.id and item.topic_id == ijen.id and item.optional
    added = events("template.item_added")[0]
    assert added.object_id == template.public_id
    assert added.changes["venue"] == [None, "Pos Paltuding, Kawah Ijen"]
    assert added.changes["topic"] == [None, "Pariwisata Kawah Ijen"]

    page = text(staff_client.get(f"/staff/templates/{template.public_id}"))
    day_2 = page.split("Hari ke-2", 1)[1]
    assert "01.00–05.00" in day_2 and "Pendakian malam ke Kawah Ijen" in day_2
    assert "Pos Paltuding, Kawah Ijen" in day_2 and "Pariwisata Kawah Ijen" in day_2


def test_an_item_ending_before_it_starts_ends_the_next_morning(staff_client):
    template = make_template(days=1)
    response = post(
        staff_client,
        f"/staff/templates/{template.public_id}/items",
        item_form(day="1", starts_at="22:00", ends_at="02:00"),
    )
    assert response.status_code == 303
    item = db.session.scalar(select(TemplateItem))
    assert (item.starts_at, item.ends_at) == (time(22, 0), time(2, 0))
    page = text(staff_client.get(f"/staff/templates/{template.public_id}"))
    assert "22.00–02.00" in page


def test_an_item_day_beyond_the_templates_days_is_refused_at_the_field(english):
    template = make_template(days=1)
    response = post(english, f"/staff/templates/{template.public_id}/items", item_form(day="2"))
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="day-error">([^<]*)</p>', text(response))
    assert error and "This template has 1 day: choose day 1" in error.group(1)
    assert count(TemplateItem) == 0 and events() == []


def test_a_template_cannot_get_fewer_days_than_its_items_use(english):
    template = make_template(days=2)
    template.items.append(
        TemplateItem(day=2, starts_at=time(1), ends_at=time(7), title="Trek", kind="field_trip")
    )
    db.session.commit()
    response = post_back(english, f"/staff/templates/{template.public_id}", "days", days="1")
    assert response.status_code == 422
    assert 'id="days-error"' in text(response) and "up to day 2" in text(response)
    db.session.expire_all()
    assert db.session.get(ProgramTemplate, template.id).days == 2


def test_removing_a_template_item(staff_client):
    template = make_template(days=1)
    template.items.append(
        TemplateItem(day=1, starts_at=time(8), ends_at=time(9), title="Penyambutan", kind="welcome")
    )
    db.session.commit()
    item = template.items[0]
    other = make_template()
    assert (
        post(staff_client, f"/staff/templates/{other.public_id}/items/{item.id}/delete").status_code
        == 404
    )
    response = post(
        staff_client,
        f"/staff/templates/{template.public_id}/items/{item.id}/delete",
        {"confirm": "1"},
    )
    assert response.status_code == 303
    assert count(TemplateItem) == 0
    assert events("template.item_removed")[0].changes["title"] == ["Penyambutan", None]


# The host


def host_form(**overrides) -> dict:
    data = {
        "name": "PEMERINTAH KABUPATEN BANYUWANGI",
        "office": "SEKRETARIAT DAERAH",
        "address": "Jl. Ahmad Yani No. 100, Banyuwangi 68416",
        "lead_working_days": "10",
        "max_size": "80",
        "daily_delegations": "3",
        "signing_official_name": "Dr. Ir. H. Mujiono, M.Si.",
        "signing_official_title": "Sekretaris Daerah Kabupaten Banyuwangi",
        "signing_official_nip": "19651106 199303 1 009",
        "contact_name": "Bagian Protokol dan Komunikasi Pimpinan",
        "contact_phone": "0333 425001",
    }
    data.update(overrides)
    return data


def test_host_settings_are_saved_with_the_nip_normalised(staff_client):
    version = host.profile().version
    db.session.commit()
    response = post(staff_client, "/staff/host", host_form(version=str(version)))
    assert response.status_code == 303
    db.session.expire_all()
    profile = db.session.get(HostProfile, host.PROFILE_ID)
    assert profile.name == "PEMERINTAH KABUPATEN BANYUWANGI"
    assert profile.signing_official_nip == "196511061993031009"
    assert profile.contact_phone == "+62333425001"
    assert (profile.lead_working_days, profile.max_size, profile.daily_delegations) == (10, 80, 3)
    updated = events("host.updated")
    assert len(updated) == 1 and updated[0].object_type == "HostProfile"
    assert updated[0].changes["signing_official_nip"] == ["", "196511061993031009"]

    # Saved again as shown: nothing changes, nothing is recorded.
    assert post_back(staff_client, "/staff/host", "signing_official_nip").status_code == 303
    assert len(events("host.updated")) == 1


def test_a_bad_nip_or_limit_is_refused_at_the_field(english):
    response = post(
        english, "/staff/host", host_form(signing_official_nip="1965110619930310", max_size="0")
    )
    assert response.status_code == 422
    page = text(response)
    assert "A NIP has 18 digits; this one has 16. Check the NIP on the SK or staff card." in page
    assert 'id="max_size-error"' in page
    assert host.profile().signing_official_nip == ""


def test_host_settings_changed_meanwhile_answer_409(staff_client):
    seen = host.profile().version
    db.session.commit()
    assert post(staff_client, "/staff/host", host_form(version=str(seen))).status_code == 303
    second = post(staff_client, "/staff/host", host_form(max_size="10", version=str(seen)))
    assert second.status_code == 409
    db.session.expire_all()
    assert db.session.get(HostProfile, host.PROFILE_ID).max_size == 80


def upload(client, content: bytes, filename: str):
    return post(
        client,
        "/staff/host/logo",
        {"logo": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_a_png_logo_is_kept_and_served_with_its_type(staff_client, client):
    assert staff_client.get("/staff/host/logo").status_code == 404
    assert upload(staff_client, PNG, "logo.png").status_code == 303
    response = staff_client.get("/staff/host/logo")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert events("host.updated")[0].changes["logo_type"] == [None, "image/png"]
    assert 'src="/staff/host/logo"' in text(staff_client.get("/staff/host"))

    # A JPEG under a misleading name is a JPEG.
    assert upload(staff_client, JPEG, "logo.png").status_code == 303
    assert staff_client.get("/staff/host/logo").mimetype == "image/jpeg"

    assert post(staff_client, "/staff/host/logo/delete", {"confirm": "1"}).status_code == 303
    assert staff_client.get("/staff/host/logo").status_code == 404


@pytest.mark.parametrize(
    ("content", "filename"), [(PDF, "logo.pdf"), (SVG, "logo.svg"), (SVG, "logo.png")]
)
def test_a_logo_that_is_not_png_or_jpeg_is_refused(english, content, filename):
    response = upload(english, content, filename)
    assert response.status_code == 422
    assert "The logo must be a PNG or JPEG picture" in text(response)
    assert host.profile().logo is None and events() == []


def test_a_logo_over_500_kb_is_refused(english):
    response = upload(english, PNG + b"\x00" * (500 * 1024), "big.png")
    assert response.status_code == 422
    assert "at most 500 KB" in text(response)
    assert host.profile().logo is None


def test_a_holiday_is_added_once_and_can_be_removed(english):
    data = {"day": "2026-12-25", "name": "Hari Raya Natal"}
    assert post(english, "/staff/holidays", data).status_code == 303
    holiday = db.session.scalar(select(Holiday))
    assert (holiday.day, holiday.name) == (date(2026, 12, 25), "Hari Raya Natal")
    assert events("host.holiday_added")[0].changes["holiday_day"] == [None, "2026-12-25"]

    again = post(english, "/staff/holidays", {"day": "2026-12-25", "name": "Natal"})
    assert again.status_code == 422
    error = re.search(r'<p class="field-error" id="day-error">([^<]*)</p>', text(again))
    assert error and "Friday, 25 December 2026 is already entered, as Hari Raya Natal" in (
        error.group(1)
    )
    assert count(Holiday) == 1

    response = post(english, f"/staff/holidays/{holiday.id}/delete", {"confirm": "1"})
    assert response.status_code == 303
    assert count(Holiday) == 0 and len(events("host.holiday_removed")) == 1


# Access


CATALOG_URLS = [
    ("GET", "/staff/topics"),
    ("GET", "/staff/topics/new"),
    ("POST", "/staff/topics/new"),
    ("GET", "/staff/topics/x"),
    ("POST", "/staff/topics/x"),
    ("GET", "/staff/templates"),
    ("GET", "/staff/templates/new"),
    ("POST", "/staff/templates/new"),
    ("GET", "/staff/templates/x"),
    ("POST", "/staff/templates/x"),
    ("POST", "/staff/templates/x/items"),
    ("POST", "/staff/templates/x/items/1/delete"),
    ("GET", "/staff/host"),
    ("POST", "/staff/host"),
    ("GET", "/staff/host/logo"),
    ("POST", "/staff/host/logo"),
    ("POST", "/staff/host/logo/delete"),
    ("POST", "/staff/holidays"),
    ("POST", "/staff/holidays/1/delete"),
]


def test_every_catalog_page_needs_a_login(app, client):
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("catalog.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert len(rules) == len(CATALOG_URLS)  # every route of the blueprint is listed here
    token = csrf_token(client)  # a POST passes the CSRF check, then meets the login check
    for method, url in CATALOG_URLS:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, f"{method} {url}"
        assert response.headers["Location"].startswith("/staff/login"), f"{method} {url}"


def test_the_catalog_pages_open_for_staff(staff_client, make_venue):
    make_venue()
    topic, template = make_topic(), make_template()
    for url in (
        "/staff/topics",
        "/staff/topics/new",
        f"/staff/topics/{topic.public_id}",
        "/staff/templates",
        "/staff/templates/new",
        f"/staff/templates/{template.public_id}",
        "/staff/host",
    ):
        assert staff_client.get(url).status_code == 200, url


# The demo


def test_the_demo_has_the_hosts_catalog_once(app):
    from planner.demo import load_demo
    from planner.visits import availability

    for _ in range(2):
        load_demo(today=date(2026, 11, 28))
        db.session.commit()
    assert count(Topic) == 4 and count(ProgramTemplate) == 2 and count(Holiday) == 4
    profile = host.profile()
    assert profile.name == "PEMERINTAH KABUPATEN BANYUWANGI"
    assert len(profile.signing_official_nip) == 18
    two_days = db.session.scalar(
        select(ProgramTemplate).where(
            ProgramTemplate.title == "Studi tiru 2 hari dengan Kawah Ijen"
        )
    )
    trek = next(item for item in two_days.items if item.day == 2 and item.optional)
    assert (trek.starts_at, trek.ends_at) == (time(1, 0), time(7, 0))
    assert trek.topic.title_id == "Pariwisata Kawah Ijen"
    assert trek.venue.name == "Pos Paltuding, Kawah Ijen"
    # The trek's place is closed on the first Friday of the month: so is the topic.
    first_friday = availability.calendar(date(2027, 1, 1), date(2027, 1, 1), [trek.topic])[0]
    assert first_friday.closed_topics == ["Pariwisata Kawah Ijen"]
    assert first_friday.holiday == "Tahun Baru 2027 Masehi"
