"""The SQLAlchemy base shared by every area's models, and column types they reuse."""

import secrets
import uuid
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, String, TypeDecorator, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so migrations look the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class UTCDateTime(TypeDecorator):
    """An instant stored as naive UTC and returned as an aware UTC datetime.

    Refuses naive datetimes on the way in, so local wall-clock times can never
    be stored by mistake; convert at the edges with the program's time zone.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored as UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    """An opaque id for URLs and the API, unrelated to the database's row id."""
    return uuid.uuid4().hex


def new_token() -> str:
    """A private-link secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


PUBLIC_ID_LENGTH = 32
TOKEN_LENGTH = 64


class PublicIdMixin:
    public_id: Mapped[str] = mapped_column(
        String(PUBLIC_ID_LENGTH), unique=True, default=new_public_id, insert_sentinel=True
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def one_of(column: str, values) -> str:
    """SQL for a CHECK constraint limiting a text column to the values of an enum."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def one_or_404(model, *options, **columns):
    """The row of `model` with these column values (e.g. slug=...), loaded with the given
    loader options, or a 404 (in the API's JSON shape under /api/)."""
    return db.first_or_404(select(model).filter_by(**columns).options(*options))
