"""The outbox: every message is a row written in the transaction of the change that caused it,
and delivered from there by the worker (planner.core.worker).

A rollback sends nothing; a commit can never lose a message. Delivery is at least once: a row
is claimed (status "sending", with a lease), sent, then marked; a worker killed between the send
and the mark leaves the lease to expire, and the message goes again with the same Message-ID so
that mail clients and staff can recognise the repeat. Claims are conditional updates, so two
workers never both send a row; on PostgreSQL the candidates are also picked with SKIP LOCKED so
they do not queue up behind each other.
"""

import contextlib
import enum
import logging
import re
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime, make_msgid

from flask import current_app, has_app_context, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from markupsafe import Markup, escape
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    delete,
    select,
)
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Mapped, Session, mapped_column

from planner.core.database import PublicIdMixin, UTCDateTime, db, one_of, utcnow
from planner.core.extensions import mail
from planner.core.i18n import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger("planner.core.outbox")

GIVE_UP_AFTER = timedelta(hours=48)
LONGEST_WAIT = timedelta(minutes=30)
# A claimed batch is sent within its lease (each send waits at most MAIL_TIMEOUT, 30 s).
BATCH = 10
LEASE = timedelta(minutes=10)


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutgoingMessage(PublicIdMixin, db.Model):
    """One e-mail to one recipient, rendered when it was queued, as it will be sent."""

    __tablename__ = "outgoing_messages"
    __table_args__ = (
        CheckConstraint(one_of("status", MessageStatus), "status"),
        Index("ix_outgoing_messages_due", "status", "next_attempt_at"),
        Index("ix_outgoing_messages_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default=DEFAULT_LANGUAGE)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the row is next due: a retry's time, or while sending the end of the claim's lease.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the message is about, so staff can find it and a purge takes it with the person.
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), index=True
    )

    @property
    def waiting(self) -> bool:
        return self.status in (MessageStatus.QUEUED, MessageStatus.SENDING)


@dataclass
class Attachment:
    filename: str
    content_type: str
    text: str


def queue(
    kind: str,
    recipient: str,
    template: str,
    language: str | None = None,
    attachments: list[Attachment] = (),
    program_id: int | None = None,
    delegation_id: int | None = None,
    **context,
) -> OutgoingMessage:
    """Render `mail/<template>.txt` in the recipient's language (its first line is the subject,
    the rest the body; `mail/base.html` makes the HTML part of the same text) and add the
    message to the session: it is kept, and sent, only if the transaction commits."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    with force_locale(language):
        subject, _, text = render_template(f"mail/{template}.txt", **context).partition("\n")
        text = _tidy(text)
        paragraphs = [_html(paragraph) for paragraph in text.split("\n\n")]
        html = render_template("mail/base.html", paragraphs=paragraphs, lang=language)
    message = OutgoingMessage(
        kind=kind,
        recipient=recipient,
        language=language,
        subject=" ".join(subject.split())[:300],
        body_text=text,
        body_html=html,
        attachments=[vars(attachment) for attachment in attachments],
        message_id=make_msgid(domain=_domain()),
        program_id=program_id,
        delegation_id=delegation_id,
    )
    db.session.add(message)
    db.session.info["outbox_has_news"] = True
    return message


def _tidy(text: str) -> str:
    """Template lines left empty by {% if %} blocks go; paragraphs stay one blank line apart."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs) + "\n"


LINK = re.compile(r"https?://[^\s<>\"']+")


def _html(paragraph: str) -> Markup:
    """A paragraph of the text part as HTML: escaped, its links clickable, its lines kept."""
    parts, start = [], 0
    for found in LINK.finditer(paragraph):
        parts.append(escape(paragraph[start : found.start()]))
        url = escape(found.group())
        parts.append(Markup(f'<a href="{url}">{url}</a>'))  # noqa: S704 (escaped above)
        start = found.end()
    parts.append(escape(paragraph[start:]))
    return Markup("").join(parts).replace("\n", Markup("<br>\n"))


def _domain() -> str:
    sender = current_app.config["MAIL_FROM"]
    return sender.rpartition("@")[2].strip("> ") or "planner"


def resend(message: OutgoingMessage) -> OutgoingMessage:
    """Send a message again. A failed one is queued again as it was (it never arrived); a sent
    one is copied with a new Message-ID, or mail services would drop it as a duplicate."""
    db.session.info["outbox_has_news"] = True
    if message.status == MessageStatus.FAILED:
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.first_attempt_at = None
        message.next_attempt_at = utcnow()
        return message
    copy = OutgoingMessage(
        **{
            name: getattr(message, name)
            for name in (
                "kind",
                "recipient",
                "language",
                "subject",
                "body_text",
                "body_html",
                "attachments",
                "program_id",
                "delegation_id",
            )
        },
        message_id=make_msgid(domain=_domain()),
    )
    db.session.add(copy)
    return copy


def forget_before(moment: datetime) -> int:
    """Delete the messages queued before `moment` that are done (sent or failed): their text
    holds names and links. Those of a deleted delegation went with it."""
    done = db.session.execute(
        delete(OutgoingMessage).where(
            OutgoingMessage.created_at < moment,
            OutgoingMessage.status.in_((MessageStatus.SENT, MessageStatus.FAILED)),
        )
    )
    return done.rowcount


# --- what the pages may promise ----------------------------------------------------------


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_BACKEND"))


# --- delivery ------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff from PLANNER_MAIL_RETRY_SECONDS, waiting at most half an hour."""
    base = timedelta(seconds=current_app.config["PLANNER_MAIL_RETRY_SECONDS"])
    return min(base * 2 ** min(max(attempts - 1, 0), 20), LONGEST_WAIT)


def _due(now: datetime):
    query = (
        select(OutgoingMessage.id)
        .where(
            OutgoingMessage.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING)),
            OutgoingMessage.next_attempt_at <= now,
        )
        .order_by(OutgoingMessage.next_attempt_at, OutgoingMessage.id)
        .limit(BATCH)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _claim_batch(now: datetime) -> list[int]:
    """Take a batch of due rows for this worker, committed: the rows another worker took in
    the meantime fail the update's condition and are not among them."""
    due = _due(now)
    if not due:
        db.session.commit()
        return []
    claimed = db.session.scalars(
        sql_update(OutgoingMessage)
        .where(
            OutgoingMessage.id.in_(due),
            OutgoingMessage.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING)),
            OutgoingMessage.next_attempt_at <= now,
        )
        .values(
            status=MessageStatus.SENDING,
            next_attempt_at=now + LEASE,
            attempts=OutgoingMessage.attempts + 1,
        )
        .returning(OutgoingMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(claimed)


def _permanent_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return min(codes) if codes and all(code >= 500 for code in codes) else None
    code = getattr(error, "smtp_code", None)
    return code if isinstance(code, int) and code >= 500 else None


def _reason(error: Exception) -> str:
    """What staff see: the server's answer, or what kind of fault it was (never a host)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, answer = next(iter(error.recipients.values()))
        return f"{code} {answer.decode('utf-8', 'replace')}"[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        if isinstance(answer, bytes):
            answer = answer.decode("utf-8", "replace")
        return f"{error.smtp_code} {answer}"[:500]
    if isinstance(error, TimeoutError | socket.timeout):
        return "The mail server did not answer in time."
    if isinstance(error, ConnectionError | OSError | smtplib.SMTPServerDisconnected):
        return "The mail server could not be reached."
    return type(error).__name__


def _email(message: OutgoingMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=current_app.config["MAIL_FROM"],
        to=[message.recipient],
        headers={
            "Message-ID": message.message_id,
            "Date": format_datetime(message.created_at),
            "Content-Language": message.language,
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["text"], attachment["content_type"])
    return email


def deliver_due(now: datetime | None = None, send=None) -> dict[str, int]:
    """Send every message that is due; returns how many were sent, retried and failed.
    Nothing is attempted while mail is not configured: the messages wait. `now` and `send`
    (instead of Flask-Mailman's connection) let tests play a mail server's faults over time."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not mail_configured():
        return counts
    connection = None
    while batch := _claim_batch(now or utcnow()):
        for message_id in batch:
            message = db.session.get(OutgoingMessage, message_id)
            moment = now or utcnow()
            if message.first_attempt_at is None:
                message.first_attempt_at = moment
            try:
                if send is not None:
                    send(message)
                else:
                    connection = connection or mail.get_connection(fail_silently=False)
                    connection.send_messages([_email(message)])
            except Exception as error:  # noqa: BLE001 (any failure leaves the row to retry)
                connection = _close(connection)
                outcome = _failed(message, error, moment)
            else:
                message.status = MessageStatus.SENT
                message.sent_at = utcnow()
                message.last_error = ""
                outcome = "sent"
            counts[outcome] += 1
            db.session.commit()
            log.info("Message %s (%s): %s", message.public_id, message.kind, outcome)
    _close(connection)
    return counts


def _close(connection):
    if connection is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return None


def _failed(message: OutgoingMessage, error: Exception, now: datetime) -> str:
    message.last_error = _reason(error)
    gave_up = now - message.first_attempt_at >= GIVE_UP_AFTER
    if _permanent_code(error) is not None or gave_up:
        message.status = MessageStatus.FAILED
        return "failed"
    message.status = MessageStatus.QUEUED
    message.next_attempt_at = now + retry_delay(message.attempts)
    return "retry"


def next_due() -> datetime | None:
    """When the next waiting message is due, so the worker can be woken then."""
    return db.session.scalar(
        select(OutgoingMessage.next_attempt_at)
        .where(OutgoingMessage.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING)))
        .order_by(OutgoingMessage.next_attempt_at)
        .limit(1)
    )


@sqlalchemy_event.listens_for(Session, "after_commit")
def _wake_the_worker(session):
    """After a commit that queued messages the queue wakes the worker (planner.core.worker)."""
    if session.info.pop("outbox_has_news", False) and has_app_context():
        wake = current_app.extensions.get("planner.wake_outbox")
        if wake is not None:
            wake()


@sqlalchemy_event.listens_for(Session, "after_rollback")
def _nothing_to_wake_for(session):
    session.info.pop("outbox_has_news", None)
