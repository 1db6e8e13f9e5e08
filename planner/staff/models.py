import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from planner.core.database import (
    TOKEN_LENGTH,
    PublicIdMixin,
    TimestampMixin,
    UTCDateTime,
    db,
    new_token,
    one_of,
    utcnow,
)


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"


class StaffUser(PublicIdMixin, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint(one_of("role", Role), "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.STAFF)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session identity: rotating it logs out every session of the user.
    session_token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), default=new_token)
    # Secret of the user's host-wide calendar feed /staff/calendar.ics?token=...
    calendar_token: Mapped[str] = mapped_column(
        String(TOKEN_LENGTH), unique=True, default=new_token
    )
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An invitation to set a first password: SHA-256 of the link's secret, and its expiry.
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reset_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    api_tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def get_id(self) -> str:
        return f"{self.public_id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_token = new_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<StaffUser {self.email!r} {self.role}>"


class ApiToken(PublicIdMixin, db.Model):
    """A staff member's token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_owner", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[StaffUser] = relationship(back_populates="api_tokens")
