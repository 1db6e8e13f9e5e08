"""Who is logged in: Flask-Login's session identity for staff accounts."""

import hmac

from sqlalchemy import select

from planner.core.database import db
from planner.core.extensions import login_manager
from planner.staff.models import StaffUser


@login_manager.user_loader
def load_user(session_id: str) -> StaffUser | None:
    """The session holds "<public id>:<session token>"; a rotated token ends the session."""
    public_id, _, session_token = session_id.partition(":")
    user = db.session.scalar(select(StaffUser).where(StaffUser.public_id == public_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, session_token):
        return None
    return user
