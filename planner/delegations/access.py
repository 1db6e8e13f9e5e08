"""Opening a private link: the token is the only key, compared in constant time, 404 if wrong."""

import hmac
import re

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.core.database import TOKEN_LENGTH, db
from planner.delegations.models import Delegation, Member
from planner.programs.models import AgendaItem, Program

TOKEN_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{40,{TOKEN_LENGTH}}}")
# A delegation with its members and their optional items, in three queries.
WITH_MEMBERS = (selectinload(Delegation.members).selectinload(Member.optional_items),)


def _plausible(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def delegation_by_token_or_404(token: str, full: bool = True) -> Delegation:
    """The delegation of a private link; `full` also loads its agenda and members."""
    if not _plausible(token):
        abort(404)
    options = [joinedload(Delegation.program)]
    if full:
        options = [
            joinedload(Delegation.program).selectinload(Program.items).joinedload(AgendaItem.venue),
            selectinload(Delegation.members).selectinload(Member.optional_items),
        ]
    delegation = db.session.scalar(
        select(Delegation).where(Delegation.token == token).options(*options)
    )
    if delegation is None or not hmac.compare_digest(delegation.token, token):
        abort(404)
    return delegation


def member_by_token_or_404(token: str, full: bool = True) -> Member:
    """The member of a personal link; `full` also loads the agenda and their choices."""
    if not _plausible(token):
        abort(404)
    options = [joinedload(Member.delegation).joinedload(Delegation.program)]
    if full:
        options = [
            joinedload(Member.delegation)
            .joinedload(Delegation.program)
            .selectinload(Program.items)
            .joinedload(AgendaItem.venue),
            selectinload(Member.optional_items),
        ]
    member = db.session.scalar(select(Member).where(Member.token == token).options(*options))
    if member is None or not hmac.compare_digest(member.token, token):
        abort(404)
    return member


def member_items(member: Member) -> list[AgendaItem]:
    """What the member attends: every non-optional item, and the optional ones they joined."""
    return _attended(member.delegation.program, [member])


def delegation_items(delegation: Delegation) -> list[AgendaItem]:
    """What the delegation attends: every non-optional item, and the optional ones a member
    joined."""
    return _attended(delegation.program, delegation.members)


def _attended(program: Program, members) -> list[AgendaItem]:
    joined = {item.id for member in members for item in member.optional_items}
    return [item for item in program.items if not item.optional or item.id in joined]
