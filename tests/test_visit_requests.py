"""Visit requests: the public form and its rules, the requester's page, the availability of
days, the staff inbox with its four decisions, and the reply letter."""

import io
import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.core.database import db
from planner.core.outbox import OutgoingMessage
from planner.delegations.models import Delegation, DelegationStatus
from planner.programs.models import Program
from planner.venues.models import ClosureKind, VenueClosure
from planner.visits import host
from planner.visits.models import (
    Holiday,
    ProgramTemplate,
    RequestStatus,
    TemplateItem,
    Topic,
    VisitRequest,
)
from tests.helpers import csrf_token, pdf_bytes, text

PDF = pdf_bytes()


def monday_in(weeks: int) -> date:
    today = date.today()
    return today + timedelta(days=7 * weeks - today.weekday())


@pytest.fixture
def offer(app, make_venue):
    """The host's offer: MPP, SAKIP and Kawah Ijen topics, and a one-day template."""
    mpp = make_venue(name="Mal Pelayanan Publik")
    ijen = make_venue(name="Kawah Ijen")
    ijen.closures.append(
        VenueClosure(kind=ClosureKind.MONTHLY, week_of_month=1, weekday=4, reason="bersih-bersih")
    )
    topics = {
        "mpp": Topic(title_id="Mal Pelayanan Publik", title_en="Public service mall", venues=[mpp]),
        "sakip": Topic(title_id="SAKIP", summary_id="Akuntabilitas kinerja", sort_order=1),
        "ijen": Topic(title_id="Wisata Kawah Ijen", title_en="Ijen crater", venues=[ijen]),
    }
    template = ProgramTemplate(
        title="Studi tiru MPP + SAKIP, 1 hari",
        items=[
            TemplateItem(day=1, starts_at=time(8), ends_at=time(9), title="Penyambutan"),
            TemplateItem(
                day=1,
                starts_at=time(9),
                ends_at=time(11),
                title="Kunjungan MPP",
                topic=topics["mpp"],
                venue=mpp,
            ),
            TemplateItem(
                day=1,
                starts_at=time(13),
                ends_at=time(15),
                title="Paparan SAKIP",
                topic=topics["sakip"],
            ),
            TemplateItem(
                day=2,
                starts_at=time(1),
                ends_at=time(6),
                title="Pendakian Ijen",
                topic=topics["ijen"],
                venue=ijen,
            ),
        ],
    )
    db.session.add_all([*topics.values(), template])
    profile = host.profile()
    profile.name = "PEMERINTAH KABUPATEN BANYUWANGI"
    profile.office = "SEKRETARIAT DAERAH"
    profile.address = "Jl. Ahmad Yani No. 100, Banyuwangi"
    profile.signing_official_name = "Ir. H. Guntur Priambodo, M.M."
    profile.signing_official_title = "Sekretaris Daerah"
    db.session.commit()
    return {"template": template, **topics}


def request_form(offer, **overrides) -> dict:
    first = monday_in(4)
    data = {
        "institution": "Pemerintah Kabupaten Seruyan",
        "province": "Kalimantan Tengah",
        "leader_name": "H. Yulhaidir",
        "leader_title": "Bupati Seruyan",
        "contact-name": "Syahrul Ramadhan",
        "contact-phone": "0813 4987 6543",
        "contact-email": "protokol@seruyankab.go.id",
        "request_letter-number": "005/77/Org/2026",
        "request_letter-date": "2026-11-20",
        "wished_dates-0-first_day": first.isoformat(),
        "wished_dates-0-last_day": first.isoformat(),
        "wished_dates-1-first_day": (first + timedelta(days=2)).isoformat(),
        "wished_dates-1-last_day": (first + timedelta(days=2)).isoformat(),
        "size": "30",
        "topics": [offer["mpp"].public_id, offer["sakip"].public_id],
        "notes": "Tiba dengan pesawat",
    }
    data.update(overrides)
    return data


def send(client, data, letter=PDF):
    payload = dict(data)
    payload["csrf_token"] = csrf_token(client, "/visits/request")
    if letter is not None:
        payload["request_letter-file"] = (io.BytesIO(letter), "surat.pdf")
    return client.post("/visits/request", data=payload, content_type="multipart/form-data")


def requests_saved() -> int:
    return db.session.scalar(select(func.count(VisitRequest.id)))


def test_a_request_with_two_ranges_and_a_letter_gets_a_private_page_and_an_email(client, offer):
    response = send(client, request_form(offer))
    assert response.status_code == 303, text(response)[:3000]
    assert response.location.startswith("/visits/r/")
    visit = db.session.scalars(select(VisitRequest)).one()
    assert visit.status == RequestStatus.NEW
    assert [w.preference for w in visit.wished_dates] == [1, 2]
    assert visit.wished_dates[0].first_day == monday_in(4)
    assert {t.title_id for t in visit.topics} == {"Mal Pelayanan Publik", "SAKIP"}
    assert visit.letter.content == PDF
    assert visit.contact_phone == "+6281349876543"
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Pemerintah Kabupaten Seruyan" in text(page)
    assert "Terkirim. Simpan tautan ini" in text(page)
    mail = db.session.scalars(select(OutgoingMessage)).one()
    assert mail.recipient == "protokol@seruyankab.go.id"
    assert visit.token in mail.body_text
    assert "no-store" in page.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"wished_dates-0-first_day": "2020-01-06", "wished_dates-0-last_day": "2020-01-06"},
            "wished_dates-0-first_day",
            "sudah lewat",
        ),
        (
            {
                "wished_dates-0-first_day": (date.today() + timedelta(days=1)).isoformat(),
                "wished_dates-0-last_day": (date.today() + timedelta(days=1)).isoformat(),
            },
            "wished_dates-0-first_day",
            "hari kerja",
        ),
        (
            {"wished_dates-1-last_day": monday_in(4).isoformat()},
            "wished_dates-1-last_day",
            "sebelum",
        ),
        ({"size": "0"}, "size", "paling sedikit"),
        ({"size": "61"}, "size", "paling banyak 60"),
        ({"topics": ["0" * 32]}, "topics-0", "tidak ditawarkan"),
        (
            {
                "wished_dates-0-first_day": "",
                "wished_dates-0-last_day": "",
                "wished_dates-1-first_day": "",
                "wished_dates-1-last_day": "",
            },
            "wished_dates",
            "rentang tanggal",
        ),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(
    client, offer, overrides, field, message
):
    response = send(client, request_form(offer, **overrides))
    assert response.status_code == 422
    page = text(response)
    assert message in page, page[:4000]
    assert requests_saved() == 0
    assert db.session.scalar(select(func.count(OutgoingMessage.id))) == 0


def test_a_letter_that_is_not_a_pdf_is_refused(client, offer):
    response = send(client, request_form(offer), letter=b"<html>not a letter</html>")
    assert response.status_code == 422
    assert "PDF" in text(response)
    assert requests_saved() == 0


def test_the_form_sent_twice_makes_one_request(client, offer):
    data = request_form(offer)
    page = client.get("/visits/request")
    key = text(page).split('name="idempotency_key"')[1].split('value="')[1].split('"')[0]
    first = send(client, {**data, "idempotency_key": key})
    second = send(client, {**data, "idempotency_key": key})
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    assert requests_saved() == 1


def _submitted(client, offer, **overrides) -> VisitRequest:
    response = send(client, request_form(offer, **overrides))
    assert response.status_code == 303, text(response)[:3000]
    return db.session.scalars(
        select(VisitRequest)
        .order_by(VisitRequest.id.desc())
        .execution_options(populate_existing=True)
    ).first()


def staff_post(client, url, data):
    """A decision form as the request's page posts it: its fields named after the decision;
    a decline already confirmed (the question itself: test_confirmations.py)."""
    decision = url.rsplit("/", 1)[-1]
    if decision in ("accept", "merge", "propose", "decline"):
        data = {f"{decision}-{name}": value for name, value in data.items()}
    if decision == "decline":
        data["confirm"] = "1"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/staff/requests")})


def test_the_inbox_shows_the_clash_staff_propose_the_requester_accepts_staff_accept(
    client, staff_client, offer, make_program, make_delegation
):
    first = monday_in(4)
    planned = make_program(title="Kunjungan Pemkab Sigi", first_day=first, last_day=first)
    make_delegation(planned)
    visit = _submitted(client, offer)
    show = staff_client.get(f"/staff/requests/{visit.public_id}")
    assert show.status_code == 200
    assert "Kunjungan Pemkab Sigi" in text(show)

    second = visit.wished_dates[1]
    proposed = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/propose",
        {
            "version": visit.version,
            "first_day": second.first_day.isoformat(),
            "last_day": second.last_day.isoformat(),
            "reason": "Tanggal pertama sudah ada kunjungan Pemkab Sigi.",
        },
    )
    assert proposed.status_code == 303, text(proposed)[:3000]
    db.session.refresh(visit)
    assert visit.status == RequestStatus.PROPOSED

    page = client.get(f"/visits/r/{visit.token}")
    assert "Pemkab Sigi" in text(page)
    tapped = client.post(
        f"/visits/r/{visit.token}/proposal",
        data={
            "answer": "accept",
            "proposal": str(visit.proposal_number),
            "csrf_token": csrf_token(client, f"/visits/r/{visit.token}"),
        },
    )
    assert tapped.status_code == 303
    db.session.refresh(visit)
    assert visit.proposal_answer == "accepted"

    accepted = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/accept",
        {
            "version": visit.version,
            "template": offer["template"].public_id,
            "first_day": second.first_day.isoformat(),
            "title": "Studi tiru Pemkab Seruyan",
            "reason": "Kami menunggu kedatangan Bapak/Ibu.",
        },
    )
    assert accepted.status_code == 303, text(accepted)[:4000]
    db.session.refresh(visit)
    assert visit.status == RequestStatus.ACCEPTED
    program = visit.program
    # The topics asked for (MPP, SAKIP) pick the template's parts; the Ijen trek is left out.
    assert [item.title for item in program.items] == [
        "Penyambutan",
        "Kunjungan MPP",
        "Paparan SAKIP",
    ]
    assert program.first_day == second.first_day and not program.listed
    delegation = visit.delegation
    assert delegation.status == DelegationStatus.APPROVED
    assert delegation.contact_email == "protokol@seruyankab.go.id"
    assert [m.full_name for m in delegation.members] == ["H. Yulhaidir"]
    # The requester's link now opens the delegation's page, where members are added.
    opened = client.get(f"/visits/r/{visit.token}")
    assert opened.status_code == 303
    assert opened.location.endswith(f"/d/{delegation.token}")
    decided = db.session.scalars(
        select(OutgoingMessage)
        .where(OutgoingMessage.kind == "visit_request_decided")
        .order_by(OutgoingMessage.id)
    ).all()
    assert len(decided) == 2 and delegation.token in decided[-1].body_text
    assert decided[-1].attachments[0]["filename"].endswith(".ics")
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == visit.public_id))
    )
    assert {
        "visit_request.submitted",
        "visit_request.proposed",
        "visit_request.proposal_accepted",
        "visit_request.accepted",
        "visit_request.delegation_created",
    } <= actions


def test_merge_puts_the_delegation_into_the_planned_program(
    client, staff_client, offer, make_program
):
    first = monday_in(4)
    planned = make_program(title="Studi tiru bersama", first_day=first, last_day=first)
    visit = _submitted(client, offer)
    merged = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/merge",
        {"version": visit.version, "program": planned.public_id, "reason": "Digabung."},
    )
    assert merged.status_code == 303, text(merged)[:3000]
    db.session.refresh(visit)
    assert visit.status == RequestStatus.MERGED
    assert visit.delegation.program_id == planned.id
    assert visit.delegation.status == DelegationStatus.APPROVED
    assert db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.object_id == visit.public_id, AuditEvent.action == "visit_request.merged"
        )
    )


def test_decline_keeps_the_reason_for_the_requester_and_the_trail(client, staff_client, offer):
    visit = _submitted(client, offer)
    declined = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/decline",
        {"version": visit.version, "reason": "Bupati sedang dinas luar."},
    )
    assert declined.status_code == 303
    page = client.get(f"/visits/r/{visit.token}")
    assert "Bupati sedang dinas luar." in text(page)
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_id == visit.public_id, AuditEvent.action == "visit_request.declined"
        )
    ).one()
    assert event.changes["reason"] == [None, "Bupati sedang dinas luar."]
    again = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/decline",
        {"version": visit.version + 1, "reason": "Lagi."},
    )
    assert again.status_code == 409


def test_of_two_staff_deciding_at_once_the_second_is_told(client, staff_client, offer):
    visit = _submitted(client, offer)
    seen = visit.version
    first = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/decline",
        {"version": seen, "reason": "Penuh."},
    )
    assert first.status_code == 303
    second = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/accept",
        {
            "version": seen,
            "template": offer["template"].public_id,
            "first_day": monday_in(4).isoformat(),
            "title": "Studi tiru",
            "reason": "Diterima.",
        },
    )
    assert second.status_code == 409
    assert (
        "Someone else decided" in text(second)
        or "sudah diputuskan" in text(second)
        or ("Orang lain" in text(second))
    )
    assert db.session.scalar(select(func.count(Program.id))) == 0
    assert db.session.scalar(select(func.count(Delegation.id))) == 0


def test_a_withdrawn_proposal_cannot_be_accepted(client, staff_client, offer):
    visit = _submitted(client, offer)
    staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/propose",
        {
            "version": visit.version,
            "first_day": monday_in(6).isoformat(),
            "last_day": monday_in(6).isoformat(),
            "reason": "Minggu itu lebih longgar.",
        },
    )
    db.session.refresh(visit)
    seen = visit.proposal_number
    token = csrf_token(client, f"/visits/r/{visit.token}")
    staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/withdraw-proposal",
        {"version": visit.version},
    )
    tapped = client.post(
        f"/visits/r/{visit.token}/proposal",
        data={"answer": "accept", "proposal": str(seen), "csrf_token": token},
        follow_redirects=True,
    )
    assert "menarik atau mengubah" in text(tapped), text(tapped)[:3000]
    db.session.refresh(visit)
    assert visit.status == RequestStatus.NEW and visit.proposal_answer == ""


def test_availability_shows_the_first_friday_closure_a_full_day_and_a_holiday(
    client, offer, make_program, make_delegation
):
    start = monday_in(3)
    friday = next(
        start + timedelta(days=n)
        for n in range(40)
        if (start + timedelta(days=n)).weekday() == 4 and (start + timedelta(days=n)).day <= 7
    )
    full_day = start + timedelta(days=1)
    program = make_program(first_day=full_day, last_day=full_day)
    make_delegation(program)
    make_delegation(program)
    db.session.add(Holiday(day=start + timedelta(days=2), name="Hari Libur Contoh"))
    db.session.commit()
    page = text(client.get(f"/visits/availability?from={start.isoformat()}"))
    assert "Kawah Ijen" in page and "bersih-bersih" in page
    assert "Hari Libur Contoh" in page
    assert "Seruyan" not in page  # no names of other delegations
    with_ijen = text(
        client.get(
            f"/visits/availability?from={friday.isoformat()}&topics={offer['ijen'].public_id}"
        )
    )
    assert "Wisata Kawah Ijen" in with_ijen
    closed_days = with_ijen.count("open-day--closed")
    assert closed_days >= 1


def test_the_reply_letter_prints_on_the_letterhead_in_indonesian(client, staff_client, offer):
    visit = _submitted(client, offer)
    staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/decline",
        {"version": visit.version, "reason": "Bupati sedang dinas luar."},
    )
    saved = staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/reply",
        {
            "version": visit.version + 1,
            "reply_number": "005/321/429.101/2026",
            "reply_date": "2026-12-02",
            "reply_body": "Paragraf satu.\n\nParagraf dua.",
        },
    )
    assert saved.status_code == 303, text(saved)[:3000]
    sheet = text(staff_client.get(f"/staff/requests/{visit.public_id}/reply/print"))
    assert "PEMERINTAH KABUPATEN BANYUWANGI" in sheet
    assert "005/321/429.101/2026" in sheet
    assert "Paragraf dua." in sheet
    assert "Sekretaris Daerah" in sheet and "Guntur Priambodo" in sheet
    assert "Yth. Bupati Seruyan" in sheet


def test_every_inbox_page_requires_login(client, offer):
    visit = _submitted(client, offer)
    for url in (
        "/staff/requests",
        f"/staff/requests/{visit.public_id}",
        f"/staff/requests/{visit.public_id}/reply/print",
    ):
        assert client.get(url).status_code in (302, 303)


def test_two_staff_deciding_at_the_same_moment_one_wins(
    app, client, offer, make_staff, monkeypatch
):
    import threading
    import time as clock

    from planner.visits import deciding
    from tests.conftest import IsolatedClient
    from tests.helpers import login

    visit = _submitted(client, offer)
    check = deciding._require_open

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        clock.sleep(0.3)  # both deciders have read the request before either writes

    monkeypatch.setattr(deciding, "_require_open", slow_check)
    app.test_client_class = IsolatedClient
    deciders = [app.test_client() for _ in range(2)]
    for decider in deciders:
        login(decider, make_staff())
    posts = [
        (
            f"/staff/requests/{visit.public_id}/accept",
            {
                "accept-version": visit.version,
                "accept-template": offer["template"].public_id,
                "accept-first_day": monday_in(4).isoformat(),
                "accept-title": "Studi tiru Seruyan",
                "accept-reason": "Diterima.",
            },
        ),
        (
            f"/staff/requests/{visit.public_id}/decline",
            {"decline-version": visit.version, "decline-reason": "Penuh.", "confirm": "1"},
        ),
    ]
    for decider, (_url, data) in zip(deciders, posts, strict=True):
        data["csrf_token"] = csrf_token(decider, "/staff/requests")
    barrier = threading.Barrier(2)
    answers = [0, 0]

    def run(index):
        barrier.wait()
        url, data = posts[index]
        answers[index] = deciders[index].post(url, data=data).status_code

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [303, 409]
    db.session.expire_all()
    decisions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_id == visit.public_id,
            AuditEvent.action.in_(("visit_request.accepted", "visit_request.declined")),
        )
    ).all()
    assert len(decisions) == 1
    programs = db.session.scalar(select(func.count(Program.id)))
    assert programs == (1 if decisions == ["visit_request.accepted"] else 0)


def test_accepting_into_a_template_with_nothing_for_the_topics_is_refused_at_the_template(
    client, staff_client, offer
):
    only_ijen = ProgramTemplate(
        title="Hanya Ijen",
        items=[
            TemplateItem(
                day=1, starts_at=time(1), ends_at=time(6), title="Pendakian", topic=offer["ijen"]
            )
        ],
    )
    db.session.add(only_ijen)
    db.session.commit()
    visit = _submitted(client, offer)
    for first_day, expected in (
        (monday_in(4), "belum memiliki acara"),
        (date.today() + timedelta(days=800), "bulan mendatang"),
    ):
        refused = staff_post(
            staff_client,
            f"/staff/requests/{visit.public_id}/accept",
            {
                "version": visit.version,
                "template": only_ijen.public_id
                if expected != "bulan mendatang"
                else (offer["template"].public_id),
                "first_day": first_day.isoformat(),
                "title": "Studi tiru",
                "reason": "Diterima.",
            },
        )
        assert refused.status_code == 409
        assert expected in text(refused)
    db.session.refresh(visit)
    assert visit.status == RequestStatus.NEW
    assert db.session.scalar(select(func.count(Program.id))) == 0


def test_staff_can_replace_the_requesters_link(client, staff_client, offer):
    visit = _submitted(client, offer)
    old = visit.token
    assert (
        staff_post(staff_client, f"/staff/requests/{visit.public_id}/reissue", {}).status_code
        == 303
    )
    db.session.refresh(visit)
    assert visit.token != old and len(visit.token) >= 43
    assert client.get(f"/visits/r/{old}").status_code == 404
    assert client.get(f"/visits/r/{visit.token}").status_code == 200


def test_the_inbox_and_open_days_cost_the_same_queries_as_the_history_grows(
    app, client, staff_client, offer, make_program, make_delegation
):
    from tests.helpers import count_queries

    def grow(count):
        for n in range(count):
            day = monday_in(4) + timedelta(days=n % 5)
            make_delegation(make_program(first_day=day, last_day=day))
            _submitted(client, offer, institution=f"Pemerintah Kabupaten Contoh {n}")

    def costs():
        visit = db.session.scalars(select(VisitRequest).order_by(VisitRequest.id)).first()
        return [
            count_queries(app, staff_client, url)
            for url in (
                "/staff/requests",
                f"/staff/requests/{visit.public_id}",
                f"/visits/availability?from={monday_in(4).isoformat()}",
                f"/visits/availability?topics={offer['ijen'].public_id}",
            )
        ]

    grow(2)
    few = costs()
    grow(8)
    assert costs() == few


def test_line_breaks_as_browsers_send_them_are_kept_as_plain_newlines(client, offer):
    visit = _submitted(client, offer, notes="Tiba Senin pagi.\r\nPulang Selasa sore.")
    assert visit.notes == "Tiba Senin pagi.\nPulang Selasa sore."


def test_the_inbox_pages_back_through_older_requests(client, staff_client, offer, monkeypatch):
    from planner.visits import staff_views

    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    for n in range(5):
        _submitted(client, offer, institution=f"Pemerintah Kabupaten Nomor {n}")
    seen, url = [], "/staff/requests"
    while url:
        page = text(staff_client.get(url))
        seen += re.findall(r"Pemerintah Kabupaten Nomor (\d)", page)
        older = re.search(r'href="(/staff/requests\?before=\d+)"', page)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert seen == ["4", "3", "2", "1", "0"]


def test_a_letter_over_5_mb_is_refused(client, offer):
    response = send(client, request_form(offer), letter=PDF + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 422
    assert "5 MB" in text(response)
    assert requests_saved() == 0


def test_the_accepted_requests_calendar_file_passes_the_independent_checker(
    client, staff_client, offer, tmp_path
):
    from tests import icalcheck

    icalcheck.require()
    visit = _submitted(client, offer)
    staff_post(
        staff_client,
        f"/staff/requests/{visit.public_id}/accept",
        {
            "version": visit.version,
            "template": offer["template"].public_id,
            "first_day": monday_in(4).isoformat(),
            "title": "Studi tiru Pemkab Seruyan",
            "reason": "Diterima.",
        },
    )
    mail = db.session.scalars(
        select(OutgoingMessage).where(OutgoingMessage.kind == "visit_request_decided")
    ).one()
    (attachment,) = mail.attachments
    path = tmp_path / attachment["filename"]
    path.write_text(attachment["text"])
    icalcheck.check(path)
