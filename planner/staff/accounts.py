"""Staff accounts: signing in, invitations, roles, deactivation."""

import secrets
from datetime import timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from planner.audit.log import record
from planner.core.database import db, utcnow
from planner.core.digests import digest
from planner.staff.models import Role, StaffUser

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
MIN_PASSWORD_LENGTH = 10


class AccountError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))


@cache
def _stand_in_hash() -> str:
    """A hash to check a password against when there is no account, made like real ones."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active account with this e-mail and password, or None. Every answer costs one
    password check, so the time taken tells nobody whether an account exists or is active."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def invite(email: str, name: str, role: str) -> tuple[StaffUser, str]:
    """A new account without a password, and the secret of its one-time invitation link."""
    email = email.strip().lower()
    if find_by_email(email):
        raise AccountError(_l("There is already an account for this e-mail address."))
    secret = secrets.token_urlsafe(32)
    user = StaffUser(email=email, name=name, role=role)
    user.set_password(secrets.token_urlsafe(32))  # unusable until the invitation is accepted
    user.invite_token_hash = digest(secret)
    user.invite_expires_at = utcnow() + INVITATION_LIFETIME
    db.session.add(user)
    record("user.invited", user, changes={"email": [None, email], "role": [None, role]})
    return user, secret


def pending_invitation(secret: str) -> StaffUser | None:
    user = db.session.scalar(select(StaffUser).where(StaffUser.invite_token_hash == digest(secret)))
    if user is None or user.invite_expires_at is None or user.invite_expires_at < utcnow():
        return None
    return user


def accept_invitation(user: StaffUser, password: str) -> None:
    user.set_password(password)
    user.invite_token_hash = None
    user.invite_expires_at = None
    record("user.joined", user, actor_label=user.email)


def start_reset(email: str) -> tuple[StaffUser, str] | None:
    """The active account of this address and the secret of a new one-hour reset link (which
    replaces any earlier one), or None when there is no such account."""
    user = find_by_email(email)
    if user is None or not user.active:
        return None
    secret = secrets.token_urlsafe(32)
    user.reset_token_hash = digest(secret)
    user.reset_expires_at = utcnow() + RESET_LIFETIME
    record("user.reset_requested", user, actor_label=user.email)
    return user, secret


def pending_reset(secret: str) -> StaffUser | None:
    user = db.session.scalar(select(StaffUser).where(StaffUser.reset_token_hash == digest(secret)))
    if user is None or not user.active or user.reset_expires_at is None:
        return None
    return user if user.reset_expires_at >= utcnow() else None


def finish_reset(user: StaffUser, password: str) -> None:
    """The new password (which ends every session of the user); the link is used up."""
    user.set_password(password)
    user.reset_token_hash = None
    user.reset_expires_at = None
    record("user.password_reset", user, actor_label=user.email)


def change_password(user: StaffUser, password: str) -> None:
    """Sets the password and ends every other session of the user."""
    user.set_password(password)
    record("user.password_changed", user, actor_label=user.email)


def _active_admins() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(StaffUser)
        .where(StaffUser.role == Role.ADMIN, StaffUser.active.is_(True))
    )


def _guard_last_admin(user: StaffUser) -> None:
    if user.is_admin and user.active and _active_admins() <= 1:
        raise AccountError(_l("This is the last active admin; make someone else admin first."))


def change_role(user: StaffUser, role: str) -> None:
    if role == user.role:
        return
    if role != Role.ADMIN:
        _guard_last_admin(user)
    record("user.role_changed", user, changes={"role": [user.role, role]})
    user.role = role


def set_active(user: StaffUser, active: bool) -> None:
    if active == user.active:
        return
    if not active:
        _guard_last_admin(user)
        user.session_token = secrets.token_urlsafe(32)  # ends the user's sessions now
    record(
        "user.activated" if active else "user.deactivated",
        user,
        changes={"active": [user.active, active]},
    )
    user.active = active
