"""Region codes for the senders typed before the Kemendagri list (flask match-regions): the
institution texts of delegations and visit requests without a code, the region proposed for
each, and saving a confirmed code to every row of that text. The command asks and prints;
these never commit."""

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import func, select

from planner.audit.log import record
from planner.core.database import db
from planner.delegations.models import Delegation
from planner.regions.matching import Proposal, propose
from planner.regions.reference import Region
from planner.staff.models import StaffUser
from planner.visits.models import VisitRequest

# The senders that carry an institution text and a region code, with their audit action.
SENDERS = ((Delegation, "delegation.updated"), (VisitRequest, "visit_request.updated"))


@dataclass
class UncodedInstitution:
    """One institution text without a region code: the provinces typed with it and how many
    delegations and visit requests have it."""

    institution: str
    provinces: list[str] = field(default_factory=list)
    delegations: int = 0
    visit_requests: int = 0

    @property
    def rows(self) -> int:
        return self.delegations + self.visit_requests

    @cached_property
    def proposal(self) -> Proposal:
        return propose(self.institution, self.provinces)


@dataclass(frozen=True)
class Saved:
    """How many rows a confirmed code was saved to."""

    delegations: int = 0
    visit_requests: int = 0


def uncoded_institutions() -> list[UncodedInstitution]:
    """Each institution text of the delegations and visit requests without a region code; the
    most frequent first, then by name."""
    found: dict[str, UncodedInstitution] = {}
    for model, _action in SENDERS:
        rows = db.session.execute(
            select(model.institution, model.province, func.count())
            .where(model.region_code == "")
            .group_by(model.institution, model.province)
        )
        for institution, province, count in rows:
            group = found.setdefault(institution, UncodedInstitution(institution))
            if province not in group.provinces:
                group.provinces.append(province)
            if model is Delegation:
                group.delegations += count
            else:
                group.visit_requests += count
    return sorted(found.values(), key=lambda group: (-group.rows, group.institution.casefold()))


def save_region(institution: str, chosen: Region, actor: StaffUser | None, label: str) -> Saved:
    """Give every uncoded row of this institution text the region's code and province, with an
    audit event per row; the institution text stays as it was typed. The caller commits (a
    row changed meanwhile fails the commit with StaleDataError)."""
    province, saved = chosen.province.name, {}
    for model, action in SENDERS:
        rows = db.session.scalars(
            select(model).where(model.institution == institution, model.region_code == "")
        ).all()
        for row in rows:
            changes = {"region_code": [row.region_code, chosen.code]}
            if row.province != province:
                changes["province"] = [row.province, province]
            row.region_code, row.province = chosen.code, province
            on_delegation = model is Delegation
            event = record(
                action,
                row,
                changes=changes,
                program=row.program if on_delegation else None,
                delegation=row if on_delegation else None,
                actor_label=label,
            )
            event.actor = actor
        saved[model] = len(rows)
    return Saved(delegations=saved[Delegation], visit_requests=saved[VisitRequest])
