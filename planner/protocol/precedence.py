"""Order of precedence: who comes first on name tags, seating and attendance lists.

The ranking is data (PrecedenceRule: position keyword -> rank), kept by staff; a member's place
is the lowest rank whose keyword appears in their position, unless staff set it by hand.
"""

from collections.abc import Iterable

from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import Member, MemberRole
from planner.protocol.models import PrecedenceRule

UNRANKED = 1000


def rules() -> list[PrecedenceRule]:
    return list(
        db.session.scalars(
            select(PrecedenceRule).order_by(PrecedenceRule.rank, PrecedenceRule.keyword)
        )
    )


def _words(text: str) -> str:
    return f" {' '.join(text.casefold().split())} "


def rank_of(position: str, ranking: list[PrecedenceRule]) -> int:
    """The rank of a position: the best (lowest) rank among the keywords it contains.

    Keywords match whole words, so "wakil bupati" is not taken for "bupati" alone: the longer,
    more specific keyword wins when both match.
    """
    text = _words(position)
    matches = [rule for rule in ranking if _words(rule.keyword) in text]
    if not matches:
        return UNRANKED
    most_specific = max(len(rule.keyword) for rule in matches)
    return min(rule.rank for rule in matches if len(rule.keyword) == most_specific)


def place(member: Member, ranking: list[PrecedenceRule]) -> int:
    if member.precedence is not None:
        return member.precedence
    rank = rank_of(member.position or "", ranking)
    if rank == UNRANKED and member.role == MemberRole.LEADER:
        return UNRANKED - 1  # an unranked leader still heads the delegation
    return rank


def in_order(members: Iterable[Member], ranking: list[PrecedenceRule] | None = None) -> list:
    """Members by precedence, then as the contact listed them."""
    ranking = rules() if ranking is None else ranking
    return sorted(members, key=lambda m: (place(m, ranking), m.sort_order, m.id or 0))
