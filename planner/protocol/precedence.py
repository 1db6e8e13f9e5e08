"""Order of precedence: who comes first on name tags, seating and attendance lists.

The ranking is data (PrecedenceRule), kept by staff and seeded from UU 9/2010 Pasal 11 and the
echelons. A rule matches whole words of a position, the most specific rule (the most words)
wins, an aide's word ("ajudan bupati") outranks the official it names, and an acting
holder ("Plt. Kepala Dinas") is placed as the office, right after whoever holds it. Staff may
place a member by hand, and confirm a delegation's order before printing.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from planner.core.database import db, utcnow
from planner.core.digests import digest_of
from planner.delegations.models import Member, MemberRole
from planner.protocol.models import PrecedenceRule, RuleKind

UNRANKED = 1000
# Where an aide goes when no aide rule names their place: after every official.
AIDES = 900
NOT_A_WORD = re.compile(r"[^\w]+")


def rules() -> list[PrecedenceRule]:
    return list(
        db.session.scalars(
            select(PrecedenceRule).order_by(PrecedenceRule.rank, PrecedenceRule.keyword)
        )
    )


def words(text: str) -> str:
    """A position as words: "S.Pd. — Ajudan Bupati" -> " s pd ajudan bupati "."""
    return f" {' '.join(NOT_A_WORD.sub(' ', text.casefold()).split())} "


def keyword_words(keyword: str) -> str:
    return " ".join(NOT_A_WORD.sub(" ", keyword.casefold()).split())


@dataclass(frozen=True)
class Placement:
    place: int
    rule: PrecedenceRule | None = None
    by_hand: bool = False
    acting: bool = False
    leader: bool = False
    aide_by_role: bool = False

    @property
    def key(self) -> tuple[int, bool]:
        return (self.place, self.acting)


def _matching(text: str, ranking: list[PrecedenceRule], kinds) -> list[PrecedenceRule]:
    return [
        rule
        for rule in ranking
        if rule.kind in kinds and f" {keyword_words(rule.keyword)} " in text
    ]


def placement(member: Member, ranking: list[PrecedenceRule]) -> Placement:
    if member.precedence is not None:
        return Placement(member.precedence, by_hand=True)
    text = words(member.position or "")
    acting = _matching(text, ranking, {RuleKind.ACTING})
    for rule in acting:
        text = text.replace(f" {keyword_words(rule.keyword)} ", " ")
    found = _matching(text, ranking, {RuleKind.PLACE, RuleKind.AIDE})
    if member.role == MemberRole.STAFF:
        aides = [rule for rule in found if rule.kind == RuleKind.AIDE]
        if aides:
            return Placement(min(rule.rank for rule in aides), aides[0], aide_by_role=True)
        return Placement(AIDES, aide_by_role=True)
    if found:
        best = max(found, key=lambda r: (len(keyword_words(r.keyword).split()), r.kind == "aide"))
        specific = [
            rule
            for rule in found
            if len(keyword_words(rule.keyword).split()) == len(keyword_words(best.keyword).split())
            and rule.kind == best.kind
        ]
        rule = min(specific, key=lambda r: r.rank)
        return Placement(rule.rank, rule, acting=bool(acting) and rule.kind == RuleKind.PLACE)
    if member.role == MemberRole.LEADER:
        return Placement(UNRANKED - 1, leader=True)  # an unranked leader still heads the group
    return Placement(UNRANKED)


def place(member: Member, ranking: list[PrecedenceRule]) -> int:
    return placement(member, ranking).place


def in_order(members: Iterable[Member], ranking: list[PrecedenceRule] | None = None) -> list:
    """Members by precedence (an acting holder after the holder), then as the contact listed
    them."""
    ranking = rules() if ranking is None else ranking
    return sorted(members, key=lambda m: (*placement(m, ranking).key, m.sort_order, m.id or 0))


def order_digest(delegation, ranking: list[PrecedenceRule]) -> str:
    """What the delegation's order is now: who, in which place."""
    return digest_of(
        [
            [member.public_id, member.full_name, placement(member, ranking).place]
            for member in in_order(delegation.members, ranking)
        ]
    )


def confirm(delegation, ranking: list[PrecedenceRule], staff_label: str) -> None:
    delegation.precedence_digest = order_digest(delegation, ranking)
    delegation.precedence_confirmed_at = utcnow()
    delegation.precedence_confirmed_by = staff_label


def confirmation(delegation, ranking: list[PrecedenceRule]) -> str:
    """ "confirmed", "changed" (confirmed, but the order is not what was confirmed) or
    "unconfirmed"."""
    if delegation.precedence_confirmed_at is None:
        return "unconfirmed"
    if delegation.precedence_digest != order_digest(delegation, ranking):
        return "changed"
    return "confirmed"
