"""The member list as a workbook to fill in: blank for staff, or with a delegation's current
members and one ya/tidak column per optional item, so that a contact downloads it, changes a
cell and imports it again (spreadsheet reads every column written here). No database access.
"""

import io
import re

from planner.core.validation import format_phone
from planner.delegations.models import MemberRole
from planner.delegations.records import MemberFields
from planner.delegations.spreadsheet import COLUMNS, MAX_ROWS, ItemColumn, column_letter

ROLE_WORDS = {
    MemberRole.LEADER.value: "ketua",
    MemberRole.MEMBER.value: "anggota",
    MemberRole.STAFF.value: "staf",
}
# What openpyxl refuses to write (control characters make a workbook unreadable).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
TEXT_FIELDS = ("nip", "phone")  # formatted as text, so Excel keeps all 18 digits of a NIP


def member_row(member, items: list[ItemColumn]) -> list[str]:
    """A member as the template's row: what the import reads back unchanged."""
    values = MemberFields.of(member)
    row = []
    for column in COLUMNS:
        value = values.get(column.field) or ""
        if column.field == "role":
            value = ROLE_WORDS.get(value, value)
        elif column.field == "phone" and value:
            value = format_phone(value)
        row.append(str(value))
    joined = set(values.get("optional_items") or ())
    row.extend("ya" if item.public_id in joined else "tidak" for item in items)
    return row


def template_workbook(items: list[ItemColumn] = (), members=()) -> bytes:
    """The member list with the Indonesian headers, the NIP and phone columns as text, a
    ya/tidak column per optional item that is not cancelled, and the members given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    items = [item for item in items if not item.cancelled]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Anggota"
    bold = Font(bold=True)
    headers = [column.header for column in COLUMNS] + [item.header for item in items]
    widths = [column.width for column in COLUMNS] + [
        min(max(len(item.header) + 2, 14), 40) for item in items
    ]
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        _text(sheet, 1, index, header).font = bold
        sheet.column_dimensions[column_letter(index - 1)].width = width
    for number, member in enumerate(members, start=2):
        for index, value in enumerate(member_row(member, items), start=1):
            if value:
                _text(sheet, number, index, value)
    for index, column in enumerate(COLUMNS, start=1):
        if column.field in TEXT_FIELDS:
            sheet.column_dimensions[column_letter(index - 1)].number_format = "@"
            for row in range(2, MAX_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    last = MAX_ROWS + 1
    lists = [
        (next(i for i, column in enumerate(COLUMNS) if column.field == name), choices)
        for name, choices in (("gender", '"L,P"'), ("role", '"ketua,anggota,staf"'))
    ]
    lists += [(len(COLUMNS) + i, '"ya,tidak"') for i in range(len(items))]
    for index, choices in lists:
        letter = column_letter(index)
        validation = DataValidation(type="list", formula1=choices, allow_blank=True)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(sheet, row: int, column: int, value: str):
    """A text cell as typed: a name starting with "=" is not a formula."""
    cell = sheet.cell(row=row, column=column, value=ILLEGAL_CHARACTERS.sub("", value))
    cell.data_type = "s"
    return cell
