"""What planner tells people: each message is an outbox row written with the change that caused
it, delivered by the worker's run (`outbox.deliver_due`), in the recipient's language."""

import functools
import smtplib
import sqlite3
import threading
import time
from datetime import UTC, timedelta
from datetime import time as clock

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from planner.core import outbox, worker
from planner.core.database import db, utcnow
from planner.core.outbox import MessageStatus, OutgoingMessage
from planner.core.worker import WorkerHeartbeat
from planner.delegations.models import Delegation, DelegationStatus
from planner.messages import reminders
from planner.programs import announcements
from planner.staff.models import Role
from tests.helpers import count_queries, csrf_token, login, post, post_back, register, text


def queued(**filters) -> list[OutgoingMessage]:
    return list(
        db.session.scalars(
            select(OutgoingMessage).filter_by(**filters).order_by(OutgoingMessage.id)
        )
    )


def attachment(mail, suffix=".ics") -> Calendar:
    (found,) = [a for a in mail.attachments if a[0].endswith(suffix)]
    return Calendar.from_ical(found[1])


def html_of(mail) -> str:
    (html,) = [content for content, kind in mail.alternatives if kind == "text/html"]
    return html


@pytest.fixture
def beating_worker(app):
    db.session.add(WorkerHeartbeat(name="test:1", beat_at=utcnow()))
    db.session.commit()


# --- registration ----------------------------------------------------------------------------


def test_a_registration_queues_the_confirmation_with_the_calendar_and_sends_it(
    client, make_program, make_item, mailbox
):
    program = make_program(requires_approval=True)
    make_item(program, title="Paparan SAKIP")
    response = register(client, program, members=2)
    assert response.status_code == 303
    (message,) = queued(kind="registration")
    assert message.status == MessageStatus.QUEUED and mailbox == []  # stored, not yet sent

    assert outbox.deliver_due() == {"sent": 1, "retry": 0, "failed": 0}
    (mail,) = mailbox
    delegation = db.session.scalar(select(Delegation))
    assert mail.to == [delegation.contact_email]
    assert "menunggu persetujuan" in mail.subject
    assert f"/d/{delegation.token}" in mail.body and f"/d/{delegation.token}" in html_of(mail)
    headers = mail.message()
    assert headers["Message-ID"] == message.message_id and headers["Date"]
    assert headers["Content-Language"] == "id"
    events = attachment(mail).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Paparan SAKIP"]
    db.session.refresh(message)
    assert message.status == MessageStatus.SENT and message.sent_at is not None


def test_the_contact_hears_in_the_language_they_registered_in(
    client, make_program, make_item, mailbox
):
    program = make_program()
    make_item(program)
    client.set_cookie("lang", "en")
    register(client, program, members=1)
    outbox.deliver_due()
    (mail,) = [m for m in mailbox if "Registration" in m.subject]
    assert "Thank you for registering" in mail.body
    assert mail.message()["Content-Language"] == "en"


def test_a_refused_registration_sends_nothing(client, make_program):
    program = make_program(max_delegations=1, waitlist=False)
    assert register(client, program, members=1).status_code == 303
    assert register(client, program, members=1, institution="Kabupaten Lain").status_code == 409
    assert len(queued(kind="registration")) == 1


def test_the_registered_page_tells_the_truth_about_the_mail(client, make_program, make_item):
    program = make_program()
    make_item(program)
    response = register(client, program, members=1)
    page = text(client.get(response.headers["Location"]))
    assert "menunggu di kotak keluar" in page  # no worker has ever beaten
    assert "terkirim" not in page.split("flashes", 1)[-1].split("</div>", 1)[0]


def test_with_no_mail_server_in_production_pages_say_the_mail_waits(
    app, client, make_program, make_item
):
    program = make_program()
    make_item(program)
    app.config["MAIL_BACKEND"] = ""
    try:
        response = register(client, program, members=1)
        page = text(client.get(response.headers["Location"]))
        assert "akan dikirim setelah server surat tersedia" in page
        assert outbox.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
        assert queued(kind="registration")[0].status == MessageStatus.QUEUED
    finally:
        app.config["MAIL_BACKEND"] = "locmem"


def test_with_a_beating_worker_the_page_says_the_mail_is_on_its_way(
    client, make_program, make_item, beating_worker
):
    program = make_program()
    make_item(program)
    response = register(client, program, members=1)
    assert "sedang dikirim" in text(client.get(response.headers["Location"]))


def test_a_broken_queue_delays_the_mail_and_breaks_no_page(
    app, client, make_program, make_item, monkeypatch, caplog
):
    program = make_program()
    make_item(program)

    def locked():
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setitem(
        app.extensions, "planner.wake_outbox", functools.partial(worker._enqueue, locked)
    )
    response = register(client, program, members=1)
    assert response.status_code == 303
    assert queued(kind="registration")[0].status == MessageStatus.QUEUED  # the sweep sends it
    assert "The queue is unreachable" in caplog.text


# --- decisions ---------------------------------------------------------------------------


def decide(client, delegation, status, reason, **confirmed):
    return post_back(
        client,
        f"/staff/delegations/{delegation.public_id}",
        "reason",
        status=status,
        reason=reason,
        **confirmed,
    )


def test_approval_tells_the_contact_the_reason_and_mails_each_member_their_link(
    staff_client, make_program, make_item, make_delegation, mailbox
):
    program = make_program()
    make_item(program, title="Peninjauan MPP")
    delegation = make_delegation(program, members=3)
    delegation.members[0].email = "anggota.satu@contoh.go.id"
    delegation.members[2].email = "anggota.tiga@contoh.go.id"
    db.session.commit()
    assert decide(staff_client, delegation, "approved", "Surat lengkap").status_code == 303
    outbox.deliver_due()
    to_contact = [m for m in mailbox if m.to == [delegation.contact_email]]
    (decision,) = to_contact
    assert "disetujui" in decision.subject and "Surat lengkap" in decision.body
    personal = {m.to[0]: m for m in mailbox if m.to != [delegation.contact_email]}
    assert set(personal) == {"anggota.satu@contoh.go.id", "anggota.tiga@contoh.go.id"}
    first = personal["anggota.satu@contoh.go.id"]
    assert f"/m/{delegation.members[0].token}" in first.body
    assert delegation.members[2].token not in first.body
    assert attachment(first).walk("VEVENT")[0]["SUMMARY"] == "Peninjauan MPP"


def test_waitlist_rejection_and_moving_in_from_the_waitlist_each_tell_the_contact(
    staff_client, make_program, make_item, make_delegation, mailbox
):
    program = make_program()
    make_item(program)
    delegation = make_delegation(program, members=1)
    decide(staff_client, delegation, "waitlisted", "Kuota penuh")
    decide(staff_client, delegation, "approved", "Ada rombongan yang batal")
    decide(staff_client, delegation, "rejected", "Jadwal tidak sesuai", confirm="1")
    outbox.deliver_due()
    bodies = [m.body for m in mailbox if m.to == [delegation.contact_email]]
    assert len(bodies) == 3
    assert "daftar tunggu" in bodies[0] and "Kuota penuh" in bodies[0]
    assert "berpindah dari daftar tunggu" in bodies[1]
    assert "ditolak" in bodies[2] and "Jadwal tidak sesuai" in bodies[2]


def test_a_refused_decision_queues_nothing(staff_client, make_program, make_delegation):
    program = make_program(max_delegations=1)
    make_delegation(program, status=DelegationStatus.APPROVED)
    waiting = make_delegation(program, status=DelegationStatus.WAITLISTED)
    response = decide(staff_client, waiting, "approved", "Coba")
    assert response.status_code == 422
    assert queued(kind="decision") == []


# --- delivery: retries, refusals, crashes, parallel workers ------------------------------


def one_message(client, program):
    register(client, program, members=1)
    (message,) = queued(kind="registration")
    return message


def test_a_mail_server_that_is_down_is_retried_with_growing_waits_for_two_days(
    app, client, make_program
):
    message = one_message(client, make_program())
    start = utcnow()

    def down(_message):
        raise smtplib.SMTPServerDisconnected("gone")

    assert outbox.deliver_due(now=start, send=down)["retry"] == 1
    db.session.refresh(message)
    first_wait = message.next_attempt_at - start
    assert message.status == MessageStatus.QUEUED and first_wait == timedelta(seconds=60)
    assert message.last_error == "The mail server could not be reached."
    moment = message.next_attempt_at
    outbox.deliver_due(now=moment, send=down)
    db.session.refresh(message)
    assert message.next_attempt_at - moment == timedelta(seconds=120)
    attempts = 2
    while message.status == MessageStatus.QUEUED:
        moment = message.next_attempt_at
        outbox.deliver_due(now=moment, send=down)
        db.session.refresh(message)
        attempts += 1
        assert message.next_attempt_at - moment <= timedelta(minutes=30) or (
            message.status == MessageStatus.FAILED
        )
    assert moment - start >= timedelta(hours=48) and attempts > 90
    assert message.status == MessageStatus.FAILED


def test_a_mail_server_back_after_an_hour_delivers_what_waited(client, make_program, mailbox):
    message = one_message(client, make_program())
    start = utcnow()

    def down(_message):
        raise ConnectionRefusedError()

    moment = start
    while moment - start < timedelta(hours=1):
        outbox.deliver_due(now=moment, send=down)
        db.session.refresh(message)
        moment = message.next_attempt_at
    assert mailbox == []
    assert outbox.deliver_due(now=moment)["sent"] == 1
    assert [m.message()["Message-ID"] for m in mailbox] == [message.message_id]


def test_a_5xx_refusal_fails_the_message_at_once_and_staff_see_why(
    client, staff_client, make_program
):
    message = one_message(client, make_program())

    def refuse(_message):
        raise smtplib.SMTPRecipientsRefused(
            {message.recipient: (550, b"5.1.1 Mailbox does not exist")}
        )

    assert outbox.deliver_due(send=refuse)["failed"] == 1
    db.session.refresh(message)
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    page = text(staff_client.get("/staff/messages?status=failed"))
    assert "550 5.1.1 Mailbox does not exist" in page and message.subject in page


def test_a_4xx_answer_is_retried(client, make_program):
    message = one_message(client, make_program())

    def busy(_message):
        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")

    assert outbox.deliver_due(send=busy)["retry"] == 1
    db.session.refresh(message)
    assert message.status == MessageStatus.QUEUED and message.last_error.startswith("451")


def test_a_worker_killed_during_a_send_leaves_the_message_to_go_again_with_its_message_id(
    client, make_program, mailbox
):
    message = one_message(client, make_program())
    start = utcnow()

    def killed(_message):
        raise SystemExit  # the process dies: the row stays claimed

    with pytest.raises(SystemExit):
        outbox.deliver_due(now=start, send=killed)
    db.session.rollback()
    db.session.refresh(message)
    assert message.status == MessageStatus.SENDING
    assert outbox.deliver_due(now=start + timedelta(minutes=1))["sent"] == 0  # lease held
    assert outbox.deliver_due(now=start + outbox.LEASE)["sent"] == 1
    assert mailbox[0].message()["Message-ID"] == message.message_id


def test_two_workers_at_once_send_every_message_exactly_once(app, make_program, make_delegation):
    program = make_program()
    for n in range(12):
        delegation = make_delegation(program, members=1)
        outbox.queue(
            "link", f"kontak{n}@contoh.go.id", "delegation_link",
            delegation=delegation, program=program, manage_url="https://planner.example.id/d/x",
        )  # fmt: skip
    db.session.commit()
    sent, errors = [], []

    def slow_send(message):
        time.sleep(0.02)
        sent.append(message.message_id)

    def run():
        with app.app_context():
            try:
                outbox.deliver_due(send=slow_send)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(sent) == sorted(m.message_id for m in queued()) and len(sent) == 12
    assert {m.status for m in queued()} == {MessageStatus.SENT}


def test_staff_resend_a_failed_message_as_it_was_and_a_sent_one_as_a_new_message(
    client, staff_client, make_program, mailbox
):
    message = one_message(client, make_program())
    outbox.deliver_due(send=lambda m: (_ for _ in ()).throw(smtplib.SMTPDataError(554, b"no")))
    token = csrf_token(staff_client, "/staff/messages")
    response = staff_client.post(
        f"/staff/messages/{message.public_id}/resend", data={"csrf_token": token}
    )
    assert response.status_code == 303
    db.session.refresh(message)
    assert message.status == MessageStatus.QUEUED and message.attempts == 0
    outbox.deliver_due()
    staff_client.post(f"/staff/messages/{message.public_id}/resend", data={"csrf_token": token})
    outbox.deliver_due()
    ids = [m.message()["Message-ID"] for m in mailbox]
    assert len(ids) == 2 and ids[0] == message.message_id and ids[1] != ids[0]


def test_the_outbox_page_is_for_staff_only(client):
    assert client.get("/staff/messages").status_code == 302


# --- change notices ----------------------------------------------------------------------


@pytest.fixture
def announced_program(make_program, make_item, make_venue, make_delegation):
    program = make_program()
    pendopo = make_venue(name="Pendopo Sabha Swagata")
    welcome = make_item(program, title="Penyambutan", venue=pendopo)
    trek = make_item(
        program,
        title="Pendakian Kawah Ijen",
        day=program.last_day,
        start=clock(1, 0),
        end=clock(7, 0),
        optional=True,
    )
    announcements.announce_all(program)
    climbers = make_delegation(program, members=2, status=DelegationStatus.APPROVED)
    climbers.members[0].email = "pendaki@contoh.go.id"
    climbers.members[0].optional_items = [trek]
    climbers.members[1].email = "tinggal@contoh.go.id"
    db.session.commit()
    return program, welcome, trek, climbers


def move_trek(staff_client, trek):
    return post_back(
        staff_client, f"/staff/items/{trek.public_id}/edit", "start", start="02:00", end="08:00"
    )


def test_a_moved_item_waits_as_not_yet_announced_until_staff_send_the_notice(
    staff_client, announced_program, mailbox
):
    program, _welcome, trek, climbers = announced_program
    assert "belum diumumkan" not in text(staff_client.get(f"/staff/programs/{program.slug}"))
    assert move_trek(staff_client, trek).status_code == 303
    assert "1 perubahan belum diumumkan" in text(
        staff_client.get(f"/staff/programs/{program.slug}")
    )
    review = text(staff_client.get(f"/staff/programs/{program.slug}/changes"))
    assert "Mulai: 01.00 WIB → 02.00 WIB" in review and "2 orang" in review
    assert queued(kind="change_notice") == []

    response = post_back(staff_client, f"/staff/programs/{program.slug}/changes", "fingerprint")
    assert response.status_code == 303
    outbox.deliver_due()
    notices = {m.to[0]: m for m in mailbox}
    assert set(notices) == {climbers.contact_email, "pendaki@contoh.go.id"}  # not "tinggal"
    mail = notices["pendaki@contoh.go.id"]
    assert (
        "Mulai: 01.00 WIB → 02.00 WIB" in mail.body
        and "Selesai: 07.00 WIB → 08.00 WIB" in mail.body
    )
    assert "Penyambutan" not in mail.body  # only what changed for them
    (event,) = [e for e in attachment(mail).walk("VEVENT") if "Ijen" in str(e["SUMMARY"])]
    assert int(event["SEQUENCE"]) == 1 and event["DTSTART"].dt.hour == 2
    assert "belum diumumkan" not in text(staff_client.get(f"/staff/programs/{program.slug}"))


def test_a_double_click_on_send_sends_the_notice_once(staff_client, announced_program):
    program, _welcome, trek, _climbers = announced_program
    move_trek(staff_client, trek)
    page = f"/staff/programs/{program.slug}/changes"
    db.session.expire_all()
    fingerprint = announcements.fingerprint(announcements.pending_changes(program))
    token = csrf_token(staff_client, page)
    first = staff_client.post(page, data={"csrf_token": token, "fingerprint": fingerprint})
    second = staff_client.post(page, data={"csrf_token": token, "fingerprint": fingerprint})
    assert first.status_code == second.status_code == 303
    assert len(queued(kind="change_notice")) == 2
    assert "sudah diumumkan" in text(staff_client.get(second.headers["Location"]))


def test_a_notice_reviewed_before_another_change_is_not_sent(
    staff_client, announced_program, make_item
):
    program, _welcome, trek, _climbers = announced_program
    move_trek(staff_client, trek)
    db.session.expire_all()
    reviewed = announcements.fingerprint(announcements.pending_changes(program))
    assert announcements.pending_changes(program)
    post_back(staff_client, f"/staff/items/{trek.public_id}/edit", "start", start="03:00")
    page = f"/staff/programs/{program.slug}/changes"
    staff_client.post(
        page, data={"csrf_token": csrf_token(staff_client, page), "fingerprint": reviewed}
    )
    assert queued(kind="change_notice") == []


def test_the_member_and_delegation_pages_mark_the_announced_change(
    client, staff_client, announced_program
):
    program, _welcome, trek, climbers = announced_program
    member_url = f"/m/{climbers.members[0].token}"
    assert "Diubah:" not in text(client.get(member_url))  # the member's first visit
    move_trek(staff_client, trek)
    post_back(staff_client, f"/staff/programs/{program.slug}/changes", "fingerprint")
    member_page = text(client.get(member_url))
    assert "Diubah:" in member_page and "01.00 WIB → 02.00 WIB" in member_page
    assert "Diubah:" in text(client.get(f"/d/{climbers.token}"))


def test_the_delegation_page_offers_the_messages_as_whatsapp_texts_without_personal_links(
    client, staff_client, announced_program
):
    program, _welcome, trek, climbers = announced_program
    page = text(client.get(f"/d/{climbers.token}"))
    assert "Pendaftaran " in page and "disetujui" in page and "https://wa.me/?text=" in page
    assert "Perubahan agenda" not in page.split("whatsapp-heading", 1)[1]
    move_trek(staff_client, trek)
    post_back(staff_client, f"/staff/programs/{program.slug}/changes", "fingerprint")
    client.set_cookie("lang", "en")  # the page in English, the texts for the group in Indonesian
    page = text(client.get(f"/d/{climbers.token}"))
    group = page.split("whatsapp-heading", 1)[1]
    assert "Perubahan agenda" in group and "Mulai: 01.00 WIB → 02.00 WIB" in group
    assert "Pendakian%20Kawah%20Ijen" in group
    assert not any(member.token in group for member in climbers.members)


def test_a_cancelled_item_and_a_new_one_are_announced(
    staff_client, announced_program, make_item, mailbox
):
    program, welcome, _trek, climbers = announced_program
    token = csrf_token(staff_client, f"/staff/programs/{program.slug}")
    staff_client.post(f"/staff/items/{welcome.public_id}/cancel", data={"csrf_token": token})
    make_item(program, title="Makan siang bersama")
    review = text(staff_client.get(f"/staff/programs/{program.slug}/changes"))
    assert "Dibatalkan" in review and "Acara baru" in review
    post_back(staff_client, f"/staff/programs/{program.slug}/changes", "fingerprint")
    outbox.deliver_due()
    contact = next(m for m in mailbox if m.to == [climbers.contact_email])
    assert "Penyambutan" in contact.body and "Makan siang bersama" in contact.body


def test_a_draft_has_nothing_to_announce_and_publishing_announces_everything(
    staff_client, make_program, make_item
):
    program = make_program(status="draft")
    make_item(program)
    assert announcements.pending_changes(program) == []
    post_back(staff_client, f"/staff/programs/{program.slug}/publish", "csrf_token")
    db.session.refresh(program)
    assert program.status == "published" and announcements.pending_changes(program) == []


# --- reminders, lost links, whatsapp -----------------------------------------------------


def test_the_reminder_goes_three_days_before_once(
    app, make_program, make_item, make_venue, make_delegation, mailbox
):
    today = utcnow().astimezone(UTC).date()
    program = make_program(first_day=today + timedelta(days=3))
    make_item(program, title="Penyambutan", venue=make_venue(name="Pendopo Sabha Swagata"))
    delegation = make_delegation(program, status=DelegationStatus.APPROVED)
    make_delegation(program, status=DelegationStatus.REJECTED)
    later = make_program(first_day=today + timedelta(days=10))
    make_delegation(later, status=DelegationStatus.APPROVED)
    app.config["PLANNER_PROTOCOL_CONTACT"] = "Bagian Protokol, 0333-424172"
    try:
        assert reminders.send_due() == 1
        assert reminders.send_due() == 0
    finally:
        app.config["PLANNER_PROTOCOL_CONTACT"] = ""
    outbox.deliver_due()
    (mail,) = mailbox
    assert mail.to == [delegation.contact_email]
    assert "Pendopo Sabha Swagata" in mail.body and "0333-424172" in mail.body


def test_a_lost_link_is_mailed_to_the_contact_and_the_answer_tells_nobody_who_registered(
    client, make_program, make_delegation, mailbox
):
    program = make_program()
    delegation = make_delegation(program)
    page = f"/programs/{program.slug}"
    known = client.post(
        f"{page}/lost-link",
        data={"email": delegation.contact_email.upper(), "csrf_token": csrf_token(client, page)},
        follow_redirects=True,
    )
    unknown = client.post(
        f"{page}/lost-link",
        data={"email": "orang.lain@contoh.go.id", "csrf_token": csrf_token(client, page)},
        follow_redirects=True,
    )
    outbox.deliver_due()
    (mail,) = mailbox
    assert mail.to == [delegation.contact_email] and f"/d/{delegation.token}" in mail.body
    flash = "tautan kelola pendaftarannya sedang dikirim"
    assert flash in text(known) and flash in text(unknown)
    assert delegation.token not in text(known)


def test_a_lost_link_address_is_matched_exactly_never_as_a_pattern(
    client, make_program, make_delegation, mailbox
):
    program = make_program()
    make_delegation(program, contact_email="protokol@contoh.go.id")
    page = f"/programs/{program.slug}"
    client.post(
        f"{page}/lost-link",
        data={"email": "%@contoh.go.id", "csrf_token": csrf_token(client, page)},
    )
    assert queued() == []


def test_a_malformed_lost_link_address_is_answered_at_the_field(client, make_program):
    program = make_program()
    page = f"/programs/{program.slug}/lost-link"
    response = client.post(
        page, data={"email": "bukan-alamat", "csrf_token": csrf_token(client, page)}
    )
    assert response.status_code == 422
    assert "nama@instansi.go.id" in text(response)
    assert queued() == []


# --- staff accounts ----------------------------------------------------------------------


def link_in(mail) -> str:
    return next(word for word in mail.body.split() if word.startswith("https://"))


def test_a_staff_password_reset_works_once_from_the_mail(client, make_staff, mailbox):
    user = make_staff()
    response = post(
        client, "/staff/password-reset", {"email": user.email}, token_page="/staff/login"
    )
    assert response.status_code == 303
    post(
        client,
        "/staff/password-reset",
        {"email": "tidak.ada@banyuwangikab.go.id"},
        token_page="/staff/login",
    )
    outbox.deliver_due()
    (mail,) = mailbox
    path = link_in(mail).removeprefix("https://planner.example.id")
    response = post(
        client,
        path,
        {"password": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"},
        token_page=path,
    )
    assert response.status_code == 303
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    login(client, user, "kata-sandi-baru-1")
    assert client.get(path).status_code == 404  # used up


def test_an_expired_reset_link_opens_nothing(client, make_staff, mailbox):
    user = make_staff()
    post(client, "/staff/password-reset", {"email": user.email}, token_page="/staff/login")
    outbox.deliver_due()
    path = link_in(mailbox[0]).removeprefix("https://planner.example.id")
    db.session.refresh(user)
    user.reset_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(path).status_code == 404


def test_an_invitation_is_mailed_to_the_new_colleague(client, make_staff, mailbox):
    login(client, make_staff(role=Role.ADMIN))
    response = post(
        client,
        "/staff/users",
        {"email": "baru@banyuwangikab.go.id", "name": "Staf Baru", "role": "staff"},
        token_page="/staff/users",
    )
    assert response.status_code == 200
    outbox.deliver_due()
    (mail,) = mailbox
    assert mail.to == ["baru@banyuwangikab.go.id"] and "/staff/invitation/" in link_in(mail)


# --- readiness ---------------------------------------------------------------------------


def test_readyz_reports_the_workers_heartbeat_without_failing_the_web_server(client):
    assert client.get("/readyz").get_json()["checks"]["worker"] == "not running"
    db.session.add(WorkerHeartbeat(name="late:1", beat_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    assert client.get("/readyz").get_json()["checks"]["worker"] == "late"
    worker.beat()
    assert client.get("/readyz").get_json()["checks"]["worker"] == "ok"
    assert db.session.scalar(select(func.count()).select_from(WorkerHeartbeat)) == 2


# --- queries that do not grow with the history ---------------------------------------------


def test_the_outbox_and_the_change_pages_make_as_many_queries_for_10_as_for_200_messages(
    app, staff_client, announced_program, make_item
):
    program, _welcome, _trek, climbers = announced_program

    def add_messages(count):
        for n in range(count):
            outbox.queue(
                "link", f"kontak{n}@contoh.go.id", "delegation_link",
                delegation=climbers, program=program, manage_url="https://planner.example.id/d/x",
            )  # fmt: skip
        db.session.commit()

    pages = ["/staff/messages", f"/staff/programs/{program.slug}/changes", f"/d/{climbers.token}"]
    add_messages(10)
    make_item(program, title="Acara baru 1")
    few = [count_queries(app, staff_client, page) for page in pages]
    add_messages(190)
    for n in range(2, 12):
        make_item(program, title=f"Acara baru {n}")
    many = [count_queries(app, staff_client, page) for page in pages]
    assert many == few
