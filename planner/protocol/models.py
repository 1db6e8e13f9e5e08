from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.core.database import db


class PrecedenceRule(db.Model):
    """A position keyword and its place in the order of precedence (lower comes first).

    Staff keep this table; a member's place is the lowest rank whose keyword appears in their
    position, unless staff set the member's place by hand.
    """

    __tablename__ = "precedence_rules"
    __table_args__ = (CheckConstraint("rank >= 1", "rank_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(100), unique=True)
    rank: Mapped[int] = mapped_column(Integer)
