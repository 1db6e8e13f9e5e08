"""Which existing member each row of a new member list is: the one rule the edit form, the
JSON API and the spreadsheet import share, so a kept member keeps their personal link,
calendar feed and choices whichever way the list arrived."""

from flask_babel import lazy_gettext as _l

from planner.core.validation import name_key
from planner.delegations.models import Member
from planner.delegations.records import MemberFields


class AmbiguousList(Exception):
    """Rows that cannot all be right; `errors` maps paths (members.3.id) to messages."""

    def __init__(self, errors: dict[str, list]):
        super().__init__(errors)
        self.errors = errors


def match_members(existing: list[Member], rows: list[MemberFields]) -> list[Member | None]:
    """For each row the member it is, or None for a new member: by public id, then by NIP,
    then by name (case and spacing aside). Ids are matched first and NIPs before names, so a
    weaker key never takes a stronger key's member."""
    by_id = {member.public_id: member for member in existing}
    by_nip = {member.nip: member for member in existing if member.nip}
    by_name: dict[str, Member] = {}
    for member in existing:
        by_name.setdefault(name_key(member.full_name), member)
    matched: list[Member | None] = [None] * len(rows)
    claimed: dict[int, int] = {}  # member id -> row index
    errors: dict[str, list] = {}

    def claim(index: int, member: Member, path: str) -> None:
        if member.id in claimed:
            errors.setdefault(f"members.{index}.{path}", []).append(
                _l(
                    "Rows %(first)s and %(second)s are both %(name)s; list each person once.",
                    first=claimed[member.id] + 1,
                    second=index + 1,
                    name=member.full_name,
                )
            )
            return
        claimed[member.id] = index
        matched[index] = member

    for index, row in enumerate(rows):
        if row.id:
            member = by_id.get(row.id)
            if member is None:
                errors.setdefault(f"members.{index}.id", []).append(
                    _l("No member of this delegation has this id; leave it out for a new member.")
                )
            else:
                claim(index, member, "id")
    for index, row in enumerate(rows):
        if not row.id and row.nip and row.nip in by_nip:
            claim(index, by_nip[row.nip], "nip")
    for index, row in enumerate(rows):
        if row.id or matched[index] is not None or (row.nip and row.nip in by_nip):
            continue
        member = by_name.get(name_key(row.full_name))
        if member is not None and member.id not in claimed:
            claimed[member.id] = index
            matched[index] = member
    if errors:
        raise AmbiguousList(errors)
    return matched


def with_current_values(rows: list[MemberFields], matched: list[Member | None]) -> list:
    """Rows where a matched member's fields that the row leaves out keep their current value
    (a list sent by a script, or a spreadsheet without some columns, changes only what it
    names)."""
    completed = []
    for row, member in zip(rows, matched, strict=True):
        if member is None:
            completed.append(row)
            continue
        current = MemberFields.of(member)
        given = row.model_dump(exclude_unset=True)
        completed.append(MemberFields.model_validate({**current, **given, "id": member.public_id}))
    return completed
