"""Planning a member import: the file's rows checked by the edit form's own rules
(MembersForm), matched to the existing members, and shown as new / changed / removed before
anything is written. Rows are matched to members by the rule every edit path shares
(matching.match_members). No database access.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from planner.core.validation import format_phone, name_key
from planner.delegations.forms import MembersForm
from planner.delegations.labels import ROLE_LABELS
from planner.delegations.matching import AmbiguousList, match_members, with_current_values
from planner.delegations.models import MemberRole
from planner.delegations.records import MEMBER_COLUMNS, MemberFields
from planner.delegations.spreadsheet import (
    FIELD_LABELS,
    ITEM_PREFIX,
    ImportRefused,
    Sheet,
    row_formdata,
)

YES_NO = {True: _l("yes"), False: _l("no")}


@dataclass
class PlannedMember:
    row: int  # the spreadsheet row
    data: MemberFields
    existing: bool = False
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, old, new

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass
class Plan:
    members: list[PlannedMember]
    removed: list[str]  # names of existing members who are not in the file
    columns: dict[str, str]

    def members_data(self) -> list[MemberFields]:
        return [member.data for member in self.members]

    def counts(self) -> dict[str, int]:
        return {
            "added": sum(1 for m in self.members if not m.existing),
            "changed": sum(1 for m in self.members if m.existing and m.changed),
            "unchanged": sum(1 for m in self.members if m.existing and not m.changed),
            "removed": len(self.removed),
        }

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The plan as the edit form's field names, for the preview page's confirm form."""
        fields = []
        for index, member in enumerate(self.members):
            prefix = f"members-{index}-"
            if member.data.id:
                fields.append((prefix + "id", member.data.id))
            for name in MEMBER_COLUMNS:
                fields.append((prefix + name, getattr(member.data, name) or ""))
            for item in member.data.optional_items:
                fields.append((prefix + "optional_items", item))
        return fields


def display(name: str, value) -> str:
    if not value:
        return ""
    if name == "phone":
        return format_phone(value)  # as people write it, not the stored +62 form
    if name == "role":
        try:
            return str(ROLE_LABELS[MemberRole(value)])
        except ValueError:
            return str(value)
    return str(value)


def _row_problems(form: MembersForm, sheet: Sheet) -> list:
    """The form's errors, at the spreadsheet row and the column as the file names it."""
    numbers = [number for number, _values in sheet.rows]
    first_name, first_nip = {}, {}
    for position, row in form.filled_rows():
        first_name.setdefault(name_key(row.full_name.data or ""), position)
        if row.nip.data and not row.nip.errors:
            first_nip.setdefault(row.nip.data, position)
    problems = list(form.members_errors)
    for position, row in form.filled_rows():
        for name in MEMBER_COLUMNS:
            for message in getattr(row, name).errors:
                problems.append(
                    _l(
                        "Row %(row)s, column “%(column)s”: %(message)s",
                        row=numbers[position],
                        column=sheet.columns.get(name, FIELD_LABELS[name]),
                        message=_row_message(name, row, message, numbers, first_name, first_nip),
                    )
                )
    return problems


def _row_message(name, row, message, numbers, first_name, first_nip):
    """Duplicates name the earlier row by its spreadsheet number, not its place in the list."""
    first = None
    if name == "full_name":
        first = first_name.get(name_key(row.full_name.data or ""))
        if first is not None and str(message) == str(
            _l(
                "Same name as row %(row)s. Remove one of the two rows, or tell the names apart, "
                "e.g. by their titles.",
                row=first + 1,
            )
        ):
            return _l(
                "Same name as row %(row)s. Remove one of the two rows, or tell the names apart, "
                "e.g. by their titles.",
                row=numbers[first],
            )
    if name == "nip":
        first = first_nip.get(row.nip.data)
        if first is not None and str(message) == str(
            _l(
                "Same NIP as row %(row)s. Everyone has their own NIP: check both rows.",
                row=first + 1,
            )
        ):
            return _l(
                "Same NIP as row %(row)s. Everyone has their own NIP: check both rows.",
                row=numbers[first],
            )
    if name == "gender" and str(message) == str(_l("Not a valid choice.")):
        return _l("Write L (laki-laki) or P (perempuan).")
    if name == "role" and str(message) == str(_l("Not a valid choice.")):
        return _l("Write ketua, anggota or staf (or leave it empty for a member).")
    return message


def plan_import(program, existing: list, sheet: Sheet) -> Plan:
    """Check every row with the edit form's rules and work out what the import changes.
    Columns missing from the file keep the matched members' current values; an optional
    item's column (ya/tidak) sets who joins it, and kept members keep their choice of the
    items the file has no column for."""
    form = MembersForm(program, formdata=row_formdata(sheet), meta={"csrf": False})
    if not form.validate():
        raise ImportRefused(_row_problems(form, sheet))
    existing = list(existing)
    rows = form.filled_rows()
    read = [
        MemberFields.model_validate(
            {name: value for name, value in row.record_values().items() if name in sheet.columns}
        )
        for _position, row in rows
    ]
    try:
        matched = match_members(existing, read)
    except AmbiguousList as ambiguous:
        raise ImportRefused(
            [m for messages in ambiguous.errors.values() for m in messages]
        ) from None
    planned = []
    for (position, _row), data, member in zip(
        rows, with_current_values(read, matched), matched, strict=True
    ):
        number, values = sheet.rows[position]
        changes = []
        if member is not None:
            for name in MEMBER_COLUMNS:
                old, new = getattr(member, name), getattr(data, name)
                if (old or "") != (new or ""):
                    changes.append((FIELD_LABELS[name], display(name, old), display(name, new)))
        data, joins = _with_choices(program, sheet, values, data)
        if member is not None:
            changes.extend(joins)
        planned.append(
            PlannedMember(row=number, data=data, existing=member is not None, changes=changes)
        )
    kept = {member.id for member in matched if member is not None}
    removed = [member.full_name for member in existing if member.id not in kept]
    return Plan(members=planned, removed=removed, columns=sheet.columns)


def _with_choices(program, sheet: Sheet, values: dict, data: MemberFields):
    """The row's member with the items the file says they join, and each changed choice; a
    kept member keeps the choices the file has no column for, except of cancelled items (as
    the edit form does)."""
    current = set(data.optional_items)
    chosen = {public_id for public_id in sheet.items if values.get(ITEM_PREFIX + public_id)}
    kept = current - set(sheet.items)
    ordered = [item.public_id for item in program.items if item.optional and not item.is_cancelled]
    choices = [public_id for public_id in ordered if public_id in chosen | kept]
    changes = [
        (header, str(YES_NO[public_id in current]), str(YES_NO[public_id in chosen]))
        for public_id, header in sheet.items.items()
        if (public_id in current) != (public_id in chosen)
    ]
    return data.model_copy(update={"optional_items": choices}), changes


def refusal_messages(plan: Plan, errors: dict) -> list:
    """The domain's refusals (paths like members.3.optional_items) at their spreadsheet row."""
    messages = []
    for path, found in errors.items():
        parts = path.split(".")
        if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(plan.members):
                for message in found:
                    messages.append(
                        _l(
                            "Row %(row)s, column “%(column)s”: %(message)s",
                            row=plan.members[index].row,
                            column=FIELD_LABELS.get(parts[2], parts[2]),
                            message=message,
                        )
                    )
                continue
        messages.extend(found)
    return messages


# --- the template ----------------------------------------------------------------------------
