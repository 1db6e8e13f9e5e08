"""Sending the same request twice does it once: the Idempotency-Key of the JSON API and the
hidden one-time key of the page forms (registration, visit request).

The key is claimed in the same transaction as the change it protects, so the change and the
answer that reports it are kept together or not at all; a second request with the key gets
the first answer, and a request that reuses the key for another body is refused.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from planner.core.database import UTCDateTime, db, utcnow
from planner.core.digests import digest_of

LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,200}")  # visible ASCII, as the header allows


class IdempotencyKey(db.Model):
    """A key a client sent, the request it came with (as a digest) and the first answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(300))  # the method and path it was sent to
    key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The public id of what the request created, so deleting it deletes its answer too.
    resource: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KeyReused(Exception):
    """The key came before with another request."""


@dataclass
class Replay:
    status_code: int
    answer: dict


def form_digest(form, files=()) -> str:
    """A digest of what a page's form says: its fields (not its CSRF token or one-time key)
    and the contents of its uploads."""
    fields = sorted(
        (name, value)
        for name, value in form.items(multi=True)
        if name not in ("csrf_token", "idempotency_key")
    )
    uploads = sorted(
        (name, hashlib.sha256(upload.stream.read()).hexdigest())
        for name, upload in files
        if upload.filename
    )
    for _name, upload in files:
        upload.stream.seek(0)
    return digest_of([fields, uploads])


def new_key() -> str:
    return secrets.token_urlsafe(24)


def valid_key(key: str) -> bool:
    return KEY_PATTERN.fullmatch(key) is not None


def earlier_answer(scope: str, key: str, request_digest: str) -> Replay | None:
    """The first answer to this key within its lifetime; KeyReused for another request."""
    row = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at >= utcnow() - LIFETIME,
        )
    )
    if row is None or row.status_code is None:
        return None
    if row.request_digest != request_digest:
        raise KeyReused()
    return Replay(row.status_code, row.answer or {})


def claim(scope: str, key: str, request_digest: str) -> IdempotencyKey:
    """Take the key inside the current transaction. A concurrent request with the same key
    waits here for the first to finish and then fails (IntegrityError): see `is_taken`."""
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.created_at < utcnow() - LIFETIME,
        )
    )
    row = IdempotencyKey(scope=scope, key=key, request_digest=request_digest)
    db.session.add(row)
    db.session.flush()
    return row


def is_taken(error: IntegrityError) -> bool:
    return "idempotency_keys" in str(error.orig) or "uq_idempotency_keys_scope_key" in str(
        error.orig
    )


def forget(resource: str) -> None:
    """Delete the answers about a record that is being deleted (they hold its data)."""
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.resource == resource))


class FormKey:
    """A page form's hidden one-time key (`idempotency_key`): the form posted twice acts once,
    and the second post is sent where the first went (its 303's location). A post without a
    well-formed key (a script's) simply acts."""

    def __init__(self, scope: str, form_data, files=()):
        self.scope = scope
        self.key = form_data.get("idempotency_key", "")
        self.valid = valid_key(self.key)
        self.digest = form_digest(form_data, files)
        self.row: IdempotencyKey | None = None

    def earlier_location(self) -> str | None:
        """Where the first post of this form went; KeyReused for another form's content."""
        if not self.valid:
            return None
        earlier = earlier_answer(self.scope, self.key, self.digest)
        return earlier.answer["location"] if earlier else None

    def claim(self) -> None:
        """Take the key in the transaction of the change, before the change is made."""
        if self.valid:
            self.row = claim(self.scope, self.key, self.digest)

    def answered(self, location: str, resource: str) -> None:
        if self.row is not None:
            self.row.status_code, self.row.answer = 303, {"location": location}
            self.row.resource = resource

    def location_after(self, error: IntegrityError) -> str | None:
        """After a failed commit: the first post's location when a concurrent post with the
        same key won (None if it has no answer yet); the error itself when it was another."""
        if not (self.valid and is_taken(error)):
            raise error
        return self.earlier_location()
