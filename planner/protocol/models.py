import enum

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.core.database import db, one_of


class RuleKind(enum.StrEnum):
    PLACE = "place"  # the office places the person: "sekretaris daerah" -> 14
    AIDE = "aide"  # the person serves an official ("ajudan bupati"): after the officials
    ACTING = "acting"  # "plt.": placed as the office, after whoever holds it


class PrecedenceRule(db.Model):
    """A word or words of a position and what they mean for the order of precedence (lower
    places come first). Staff keep this table; the most specific matching rule places a
    member, unless staff place the member by hand."""

    __tablename__ = "precedence_rules"
    __table_args__ = (
        CheckConstraint("rank >= 1", "rank_positive"),
        CheckConstraint(one_of("kind", RuleKind), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(100), unique=True)
    rank: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default=RuleKind.PLACE, server_default="place")
