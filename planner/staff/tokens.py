"""Staff API tokens: shown once, stored as a SHA-256 digest, revocable, last use recorded."""

import hmac
import secrets

from sqlalchemy import select

from planner.audit.log import record
from planner.core.database import db, utcnow
from planner.core.digests import digest
from planner.staff.models import ApiToken, StaffUser

PREFIX = "pl_"


def create_token(owner: StaffUser, name: str = "") -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is not kept and cannot be shown again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(owner=owner, name=name[:100], token_hash=digest(secret))
    db.session.add(token)
    record("token.created", token, changes={"name": [None, token.name]}, actor_label=owner.email)
    return token, secret


def authenticate(secret: str) -> StaffUser | None:
    """The active owner of an unrevoked token; records when the token was used."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    hashed = digest(secret)
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hashed, ApiToken.revoked_at.is_(None))
    )
    if token is None or not hmac.compare_digest(token.token_hash, hashed):
        return None
    if not token.owner.active:
        return None
    token.last_used_at = utcnow()
    return token.owner


def tokens_of(owner: StaffUser | None = None) -> list[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.created_at.desc())
    if owner is not None:
        query = query.where(ApiToken.owner_id == owner.id)
    return list(db.session.scalars(query))


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("token.revoked", token, changes={"name": [token.name, None]})
