"""The JSON API of visit requests: the topics on offer, requesting a visit (the request form's
rules at their paths, Idempotency-Key), the requester's view, and staff's list and decisions."""

from datetime import date, time, timedelta

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.delegations.links import manage_url
from planner.delegations.models import Delegation, DelegationStatus
from planner.programs.models import Program, ProgramStatus
from planner.staff.tokens import create_token
from planner.visits.models import (
    ProgramTemplate,
    RequestStatus,
    TemplateItem,
    Topic,
    VisitRequest,
    WishedDates,
)

API = "/api/v1"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def ahead(days: int) -> str:
    """A day far enough ahead for the host's lead time (5 working days by default)."""
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def topics(app):
    rows = [
        Topic(
            title_id="Mal Pelayanan Publik",
            title_en="Public service mall",
            summary_id="Layanan perizinan di satu tempat.",
            summary_en="Permits in one place.",
            unit="DPMPTSP",
            duration_minutes=90,
            sort_order=1,
        ),
        Topic(title_id="SAKIP", summary_id="Akuntabilitas kinerja.", sort_order=2),
        Topic(title_id="Topik lama", active=False, sort_order=3),
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


@pytest.fixture
def template(app, topics):
    row = ProgramTemplate(
        title="Studi tiru MPP, 1 hari",
        summary="Kunjungan ke Mal Pelayanan Publik.",
        days=1,
        items=[
            TemplateItem(day=1, starts_at=time(8), ends_at=time(10), title="Paparan MPP"),
            TemplateItem(
                day=1, starts_at=time(10), ends_at=time(12), title="SAKIP", topic=topics[1]
            ),
        ],
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def bearer(make_staff):
    _, secret = create_token(make_staff(), "tes")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def a_request(offered, **overrides) -> dict:
    body = {
        "institution": "Pemerintah Kabupaten Seruyan",
        "region_code": "62.07",
        "province": "Kalimantan Tengah",
        "leader_name": "Drs. Yulhaidir",
        "leader_title": "Sekretaris Daerah Kabupaten Seruyan",
        "contact": {"name": "Rina", "phone": "0812 5566 7788", "email": "rina@seruyankab.go.id"},
        "request_letter": {"number": "005/123/2026", "date": date.today().isoformat()},
        "wished_dates": [
            {"first_day": ahead(40), "last_day": ahead(41)},
            {"first_day": ahead(30), "last_day": ahead(30)},
        ],
        "size": 12,
        "topics": [offered[0].public_id, offered[1].public_id],
        "notes": "Kami datang dengan bus.",
    }
    body.update(overrides)
    return body


def post_request(client, body, key: str | None = None, **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(f"{API}/visit-requests", json=body, headers=headers)


def a_visit(client, topics) -> VisitRequest:
    answer = post_request(client, a_request(topics))
    assert answer.status_code == 201, answer.json
    return db.session.scalars(select(VisitRequest).filter_by(public_id=answer.json["id"])).one()


def decide(client, bearer, visit: VisitRequest, **body):
    return client.post(
        f"{API}/staff/visit-requests/{visit.public_id}/decision", json=body, headers=bearer
    )


def fresh(visit: VisitRequest) -> VisitRequest:
    db.session.expire_all()
    return db.session.get(VisitRequest, visit.id)


# --- topics ------------------------------------------------------------------------------


def test_topics_are_the_active_ones_in_the_requests_language(client, topics):
    listed = client.get(f"{API}/topics").json["topics"]
    assert [t["id"] for t in listed] == [topics[0].public_id, topics[1].public_id]
    assert listed[0] == {
        "id": topics[0].public_id,
        "title": "Mal Pelayanan Publik",
        "summary": "Layanan perizinan di satu tempat.",
        "unit": "DPMPTSP",
        "duration_minutes": 90,
    }
    english = client.get(f"{API}/topics", headers={"Accept-Language": "en"}).json["topics"]
    assert [t["title"] for t in english] == ["Public service mall", "SAKIP"]
    assert english[0]["summary"] == "Permits in one place."
    assert english[1]["summary"] == "Akuntabilitas kinerja."  # no English: the Indonesian


# --- requesting a visit ----------------------------------------------------------------------


def test_a_valid_request_is_saved_with_its_dates_in_order_and_its_topics(client, topics):
    body = a_request(topics)
    answer = post_request(client, body)
    assert answer.status_code == 201, answer.json
    out = answer.json
    assert out["status"] == "new"
    assert out["manage_url"].startswith("https://planner.example.id/visits/r/")
    assert out["wished_dates"] == body["wished_dates"]
    assert out["topics"] == [
        {"id": topics[0].public_id, "title": "Mal Pelayanan Publik"},
        {"id": topics[1].public_id, "title": "SAKIP"},
    ]
    assert out["contact"]["email"] == "rina@seruyankab.go.id"
    assert out["request_letter"] == body["request_letter"]
    assert out["proposal"] is None and out["delegation_url"] is None and out["program"] is None
    assert "version" not in out
    visit = db.session.scalars(select(VisitRequest)).one()
    assert visit.public_id == out["id"] and visit.size == 12 and visit.region_code == "62.07"
    assert [(w.preference, w.first_day.isoformat()) for w in visit.wished_dates] == [
        (1, ahead(40)),
        (2, ahead(30)),
    ]
    assert {t.public_id for t in visit.topics} == {topics[0].public_id, topics[1].public_id}
    assert out["manage_url"].endswith(visit.token)


@pytest.mark.parametrize(
    ("wished", "path"),
    [
        ({"first_day": ahead(1), "last_day": ahead(2)}, "wished_dates.1.first_day"),
        ({"first_day": ahead(-1), "last_day": ahead(2)}, "wished_dates.1.first_day"),
        ({"first_day": ahead(31), "last_day": ahead(30)}, "wished_dates.1.last_day"),
    ],
    ids=["inside-lead-time", "past", "end-before-start"],
)
def test_wrong_dates_are_refused_at_their_path_and_nothing_is_saved(client, topics, wished, path):
    body = a_request(topics)
    body["wished_dates"] = [body["wished_dates"][0], wished]
    answer = post_request(client, body)
    assert answer.status_code == 422
    assert list(answer.json["errors"]) == [path]
    assert count(VisitRequest) == 0 and count(WishedDates) == 0


def test_the_lead_time_is_explained_in_the_callers_language(client, topics):
    body = a_request(topics, wished_dates=[{"first_day": ahead(1), "last_day": ahead(1)}])
    answer = post_request(client, body, **{"Accept-Language": "en"})
    (message,) = answer.json["errors"]["wished_dates.0.first_day"]
    assert "working days" in message


@pytest.mark.parametrize("size", [0, -3, 61])
def test_a_size_of_none_or_over_the_hosts_maximum_is_refused(client, topics, size):
    answer = post_request(client, a_request(topics, size=size))
    assert answer.status_code == 422 and list(answer.json["errors"]) == ["size"]
    assert count(VisitRequest) == 0


def test_an_unknown_or_inactive_topic_is_named_by_its_place(client, topics):
    body = a_request(topics, topics=[topics[0].public_id, "tidak-ada", topics[2].public_id])
    answer = post_request(client, body)
    assert answer.status_code == 422
    assert sorted(answer.json["errors"]) == ["topics.1", "topics.2"]
    assert count(VisitRequest) == 0


def test_no_topic_and_no_dates_are_refused(client, topics):
    answer = post_request(client, a_request(topics, topics=[], wished_dates=[]))
    assert answer.status_code == 422
    assert sorted(answer.json["errors"]) == ["topics", "wished_dates"]


def test_more_date_ranges_than_the_form_has_rows_are_refused(client, topics):
    ranges = [{"first_day": ahead(30 + 7 * i), "last_day": ahead(30 + 7 * i)} for i in range(4)]
    answer = post_request(client, a_request(topics, wished_dates=ranges))
    assert answer.status_code == 422 and list(answer.json["errors"]) == ["wished_dates"]
    assert count(VisitRequest) == 0


def test_missing_fields_and_wrong_types_are_named(client, topics):
    body = a_request(topics)
    # Without a region (its code would give the institution), the institution is required.
    del body["institution"], body["region_code"], body["contact"]
    answer = post_request(client, body)
    assert answer.status_code == 422
    assert {"institution", "contact.name", "contact.phone", "contact.email"} <= set(
        answer.json["errors"]
    )
    typed = post_request(client, a_request(topics, size="12"))
    assert typed.status_code == 422 and list(typed.json["errors"]) == ["size"]
    assert count(VisitRequest) == 0


def test_the_same_key_gets_the_first_answer_and_creates_one_request(client, topics):
    body = a_request(topics)
    first = post_request(client, body, key="kunjungan-seruyan-1")
    again = post_request(client, body, key="kunjungan-seruyan-1")
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert count(VisitRequest) == 1
    other = post_request(client, {**body, "size": 20}, key="kunjungan-seruyan-1")
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]
    assert count(VisitRequest) == 1
    assert post_request(client, body, key="kunjungan-seruyan-2").status_code == 201
    assert count(VisitRequest) == 2


def test_the_requester_reads_the_request_by_its_token(client, topics):
    created = post_request(client, a_request(topics)).json
    token = created["manage_url"].rsplit("/", 1)[1]
    shown = client.get(f"{API}/visit-requests/{token}")
    assert shown.status_code == 200 and shown.json == created
    wrong = token[:-1] + ("y" if token[-1] != "y" else "z")
    assert client.get(f"{API}/visit-requests/{wrong}").status_code == 404
    assert client.get(f"{API}/visit-requests/{created['id']}").status_code == 404


# --- staff ---------------------------------------------------------------------------------


def test_the_staff_list_needs_a_token(client, topics):
    a_visit(client, topics)
    assert client.get(f"{API}/staff/visit-requests").status_code == 401
    wrong = {"Authorization": "Bearer salah"}
    assert client.get(f"{API}/staff/visit-requests", headers=wrong).status_code == 401
    decision = client.post(
        f"{API}/staff/visit-requests/x/decision", json={"decision": "decline", "reason": "x"}
    )
    assert decision.status_code == 401


def test_staff_list_newest_first_with_versions_and_a_status_filter(
    client, bearer, topics, template
):
    older, newer = a_visit(client, topics), a_visit(client, topics)
    assert decide(client, bearer, older, decision="decline", reason="Penuh.").status_code == 200
    listed = client.get(f"{API}/staff/visit-requests", headers=bearer).json["visit_requests"]
    assert [r["id"] for r in listed] == [newer.public_id, older.public_id]
    assert listed[0]["version"] == fresh(newer).version
    assert listed[0]["contact"]["phone"]
    new = client.get(f"{API}/staff/visit-requests?status=new", headers=bearer).json
    assert [r["id"] for r in new["visit_requests"]] == [newer.public_id]
    wrong = client.get(f"{API}/staff/visit-requests?status=baru", headers=bearer)
    assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["status"]
    one = client.get(f"{API}/staff/visit-requests/{older.public_id}", headers=bearer)
    assert one.json["status"] == "declined" and one.json["reason"] == "Penuh."
    assert client.get(f"{API}/staff/visit-requests/tidak-ada", headers=bearer).status_code == 404


def test_staff_propose_other_dates(client, bearer, topics):
    visit = a_visit(client, topics)
    answer = decide(
        client,
        bearer,
        visit,
        decision="propose",
        first_day=ahead(50),
        last_day=ahead(51),
        reason="Tanggal itu sudah penuh.",
        version=visit.version,
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "proposed"
    assert answer.json["proposal"] == {
        "first_day": ahead(50),
        "last_day": ahead(51),
        "reason": "Tanggal itu sudah penuh.",
        "answer": None,
    }
    token = visit.token
    assert client.get(f"{API}/visit-requests/{token}").json["proposal"]["first_day"] == ahead(50)
    backwards = decide(
        client,
        bearer,
        visit,
        decision="propose",
        first_day=ahead(52),
        last_day=ahead(51),
        reason="x",
    )
    assert backwards.status_code == 422 and list(backwards.json["errors"]) == ["last_day"]
    missing = decide(client, bearer, visit, decision="propose", reason="x")
    assert missing.status_code == 422
    assert set(missing.json["errors"]) == {"first_day", "last_day"}


def test_staff_decline(client, bearer, topics, mailbox):
    visit = a_visit(client, topics)
    no_reason = decide(client, bearer, visit, decision="decline")
    assert no_reason.status_code == 422 and list(no_reason.json["errors"]) == ["reason"]
    answer = decide(client, bearer, visit, decision="decline", reason="Kami sedang renovasi.")
    assert answer.status_code == 200
    assert answer.json["status"] == "declined" and answer.json["reason"] == "Kami sedang renovasi."
    again = decide(client, bearer, visit, decision="decline", reason="Lagi.")
    assert again.status_code == 409
    assert fresh(visit).reason == "Kami sedang renovasi."


def test_staff_accept_with_a_template_makes_a_program_with_the_delegation(
    client, bearer, topics, template
):
    visit = a_visit(client, topics)
    unknown = decide(client, bearer, visit, decision="accept", template="x", reason="Selamat.")
    assert unknown.status_code == 422 and list(unknown.json["errors"]) == ["template"]
    answer = decide(
        client, bearer, visit, decision="accept", template=template.public_id, reason="Selamat."
    )
    assert answer.status_code == 200, answer.json
    out = answer.json
    assert out["status"] == "accepted"
    program = db.session.scalars(select(Program)).one()
    assert program.title == "Studi tiru Pemerintah Kabupaten Seruyan"
    assert program.first_day.isoformat() == ahead(40)  # the first wished day
    assert program.status == ProgramStatus.PUBLISHED and not program.listed
    assert [item.title for item in program.items] == ["Paparan MPP", "SAKIP"]
    delegation = db.session.scalars(select(Delegation)).one()
    assert delegation.program_id == program.id
    assert delegation.status == DelegationStatus.APPROVED
    assert out["program"] == {
        "slug": program.slug,
        "title": program.title,
        "first_day": ahead(40),
        "last_day": ahead(40),
    }
    shown = client.get(f"{API}/visit-requests/{visit.token}").json
    assert shown["delegation_url"] == out["delegation_url"] == manage_url(delegation)
    assert shown["status"] == "accepted" and shown["program"]["slug"] == program.slug


def test_staff_accept_with_a_day_and_title_of_their_own(client, bearer, topics, template):
    visit = a_visit(client, topics)
    answer = decide(
        client,
        bearer,
        visit,
        decision="accept",
        template=template.public_id,
        first_day=ahead(45),
        title="Studi tiru MPP Seruyan",
        reason="Selamat datang.",
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["program"]["first_day"] == ahead(45)
    assert answer.json["program"]["title"] == "Studi tiru MPP Seruyan"
    far = a_visit(client, topics)
    too_late = decide(
        client,
        bearer,
        far,
        decision="accept",
        template=template.public_id,
        first_day="9999-12-31",
        reason="x",
    )
    assert too_late.status_code == 422 and list(too_late.json["errors"]) == ["first_day"]
    assert count(Program) == 1


def test_staff_merge_into_a_published_program(
    client, bearer, topics, make_program, make_item, make_delegation
):
    program = make_program(first_day=date.today() + timedelta(days=40))
    make_item(program)
    make_delegation(program)
    draft = make_program(status=ProgramStatus.DRAFT)
    visit = a_visit(client, topics)
    refused = decide(client, bearer, visit, decision="merge", program=draft.slug, reason="x")
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["program"]
    answer = decide(
        client, bearer, visit, decision="merge", program=program.slug, reason="Bersama Kutim."
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "merged" and answer.json["program"]["slug"] == program.slug
    joined = db.session.scalars(
        select(Delegation).where(Delegation.institution == "Pemerintah Kabupaten Seruyan")
    ).one()
    assert joined.program_id == program.id
    assert answer.json["delegation_url"].endswith(joined.token)
    assert count(Program) == 2


def test_a_decision_on_an_old_version_is_refused_and_changes_nothing(
    client, bearer, topics, template
):
    visit = a_visit(client, topics)
    seen = visit.version
    first = decide(
        client,
        bearer,
        visit,
        decision="propose",
        first_day=ahead(50),
        last_day=ahead(50),
        reason="Tanggal lain.",
        version=seen,
    )
    assert first.status_code == 200
    events = count(AuditEvent)
    late = decide(
        client,
        bearer,
        visit,
        decision="accept",
        template=template.public_id,
        reason="Diterima.",
        version=seen,
    )
    assert late.status_code == 409
    assert (
        "fetch it again"
        in client.post(
            f"{API}/staff/visit-requests/{visit.public_id}/decision",
            json={"decision": "decline", "reason": "x", "version": seen},
            headers={**bearer, "Accept-Language": "en"},
        ).json["message"]
    )
    again = fresh(visit)
    assert again.status == RequestStatus.PROPOSED and again.reason == "Tanggal lain."
    assert count(Program) == 0 and count(Delegation) == 0
    assert count(AuditEvent) == events


def test_decision_bodies_are_typed(client, bearer, topics):
    visit = a_visit(client, topics)
    wrong = decide(client, bearer, visit, decision="approve", reason="x", version="2")
    assert wrong.status_code == 422 and set(wrong.json["errors"]) == {"decision", "version"}
    missing = decide(client, bearer, visit, reason="x")
    assert missing.status_code == 422 and list(missing.json["errors"]) == ["decision"]
    assert fresh(visit).status == RequestStatus.NEW


def test_the_documented_answers_match(client, bearer, topics, template):
    document = client.get(f"{API}/openapi.json").json

    def conforms(response, path, method):
        operation = document["paths"][path][method]
        schema = operation["responses"][str(response.status_code)]["content"]["application/json"]
        validator = Draft202012Validator({**schema["schema"], "components": document["components"]})
        assert [e.message for e in validator.iter_errors(response.json)] == []

    conforms(client.get(f"{API}/topics"), "/api/v1/topics", "get")
    created = post_request(client, a_request(topics))
    conforms(created, "/api/v1/visit-requests", "post")
    visit = db.session.scalars(select(VisitRequest)).one()
    accepted = decide(
        client, bearer, visit, decision="accept", template=template.public_id, reason="Selamat."
    )
    conforms(accepted, "/api/v1/staff/visit-requests/{public_id}/decision", "post")
    conforms(
        client.get(f"{API}/visit-requests/{visit.token}"), "/api/v1/visit-requests/{token}", "get"
    )
    conforms(
        client.get(f"{API}/staff/visit-requests", headers=bearer),
        "/api/v1/staff/visit-requests",
        "get",
    )


def test_staff_list_comes_a_page_at_a_time(client, bearer, topics, monkeypatch):
    from planner.api import staff_views

    monkeypatch.setattr(staff_views, "REQUESTS_PER_PAGE", 2)
    visits = [a_visit(client, topics) for _ in range(3)]
    first = client.get(f"{API}/staff/visit-requests", headers=bearer).json
    assert [r["id"] for r in first["visit_requests"]] == [v.public_id for v in visits[:0:-1]]
    assert first["next_page"] == 2
    second = client.get(f"{API}/staff/visit-requests?page=2", headers=bearer).json
    assert [r["id"] for r in second["visit_requests"]] == [visits[0].public_id]
    assert second["next_page"] is None
    for page in ("0", "abc", "99999999999999999999"):
        wrong = client.get(f"{API}/staff/visit-requests?page={page}", headers=bearer)
        assert wrong.status_code == 422 and list(wrong.json["errors"]) == ["page"]
