"""Reading a pasted member list into rows: cells copied from a spreadsheet, a numbered list from
a WhatsApp message, names typed one a line. No database, no form: the member form fills its
rows from what this reads, and static/js/paste.js reads a list the same way in the browser
(change both together).

One person a line; columns separated by tabs, semicolons or commas (the first of these that
the text holds), in the member form's order (COLUMNS), or the name alone. A header line
(the spreadsheet import's headers, Indonesian or English) is skipped and, when it names the
columns, says their order. Blank lines, title lines ending in ":" above the list, and a line's
numbering ("1.", "2)", "-", "•") are skipped.
"""

import csv
import io
import re
from dataclasses import dataclass

from planner.delegations.spreadsheet import GENDERS, HEADER_FIELDS, IGNORED_KEYS, ROLES, header_key

# The member form's columns, in the order its rows show them (the role is set in the row).
COLUMNS = ("full_name", "position", "nip", "rank", "gender", "phone", "email", "dietary")
# More lines than any program's limit are never read (MAX_ROWS of the member form is 250).
MAX_LINES = 1_000
MAX_CHARS = 200_000
DELIMITERS = ("\t", ";", ",")
NUMBERING = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|[-–•*])\s*")
NUMBER_CELL = re.compile(r"^\d{1,3}[.)]?$")
# An academic degree or title after a name ("Dr. Hj. Siti Aminah, S.H., M.Si."): with commas
# between the columns, such cells belong to the name before them.
DEGREE = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}\.){1,3}(?:[A-Z][A-Za-z]{0,3}\.?)?$")
DEGREES_WITHOUT_DOTS = {
    "sh", "se", "st", "sip", "sag", "spd", "ssos", "skom", "skm", "sstp", "amd",
    "mh", "mm", "mt", "msi", "mpd", "mkes", "map", "mba", "mpa", "msc", "phd",
}  # fmt: skip


@dataclass(frozen=True)
class PastedList:
    """The people read from a pasted text, each as the member form's field values."""

    rows: list[dict[str, str]]
    header: bool = False  # a header line was recognised (and skipped)

    def __len__(self) -> int:
        return len(self.rows)


def read_list(text: str) -> PastedList:
    """The people in a pasted text, in its order; values as pasted (stripped), except a gender
    written out ("Laki-laki", "perempuan") or a role ("Ketua"), which become the form's codes.
    A value the form cannot take (a NIP with letters, a gender "X") is kept as it is: the
    form's validation names it at its field. Spaces, tabs and line breaks inside a cell become
    one space."""
    lines = []
    for line in (text or "")[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = NUMBERING.sub("", line, count=1).strip()
        if line and not (not lines and line.endswith(":")):  # a title above the list
            lines.append(line)
        if len(lines) >= MAX_LINES:
            break
    if not lines:
        return PastedList([])
    delimiter = sniff(lines)
    if delimiter is None:
        records = [[line] for line in lines]
    else:
        joined = io.StringIO("\n".join(lines), newline="")
        reader = csv.reader(joined, delimiter=delimiter, strict=True)
        try:
            records = [[cell.strip() for cell in record] for record in reader]
        except csv.Error:  # a quote never closed (it would take in every line after it), or
            # text after a closing quote: quotes are then text, and each line is read alone
            records = [[cell.strip() for cell in line.split(delimiter)] for line in lines]
    columns = header_columns(records[0])
    if columns is not None:
        records = records[1:]
    rows = []
    for cells in records:
        if delimiter == ",":
            cells = _name_with_degrees(cells, columns)
        if columns is None and len(cells) > 1 and NUMBER_CELL.match(cells[0]):
            cells = cells[1:]  # a "No" column without a header
        values = _values(cells, columns)
        if any(values.values()):
            rows.append(values)
    return PastedList(rows, header=columns is not None)


def sniff(lines: list[str]) -> str | None:
    """The column separator: a tab if any line has one (cells copied from a spreadsheet), else
    a semicolon, else a comma; None when every line is a name alone."""
    for delimiter in DELIMITERS:
        if any(delimiter in line for line in lines):
            return delimiter
    return None


def header_columns(cells: list[str]) -> dict[int, str | None] | None:
    """The field of each column when `cells` are a header line ("Nama", "Jabatan", "NIP", or
    the English headers; a "No" column is kept as None), else None."""
    keys = [header_key(cell) for cell in cells]
    known = [key for key in keys if key in HEADER_FIELDS]
    unknown = [key for key in keys if key and key not in HEADER_FIELDS and key not in IGNORED_KEYS]
    if not known or len(unknown) >= len(known):
        return None
    return {index: HEADER_FIELDS.get(key) for index, key in enumerate(keys)}


def _is_degree(cell: str) -> bool:
    return bool(DEGREE.match(cell)) or cell.replace(".", "").casefold() in DEGREES_WITHOUT_DOTS


def _name_with_degrees(cells: list[str], columns: dict[int, str | None] | None) -> list[str]:
    """Cells split at the commas of a name's degrees ("Ahmad", "S.H.", "M.Si.") joined again."""
    name_at = 0
    if columns is not None:
        name_at = next((i for i, field in columns.items() if field == "full_name"), 0)
    end = name_at + 1
    while end < len(cells) and _is_degree(cells[end]):
        end += 1
    if end == name_at + 1:
        return cells
    return [*cells[:name_at], ", ".join(cells[name_at:end]), *cells[end:]]


def _values(cells: list[str], columns: dict[int, str | None] | None) -> dict[str, str]:
    values = {}
    for index, cell in enumerate(cells):
        cell = " ".join(cell.split())  # a quoted cell's tabs and line breaks: one line
        if columns is None:
            field = COLUMNS[index] if index < len(COLUMNS) else None
        else:
            field = columns.get(index)
        if field is None or field in values:
            continue
        if field == "gender":
            cell = GENDERS.get(" ".join(cell.casefold().split()), cell)
        elif field == "role":
            cell = ROLES.get(" ".join(cell.casefold().split()), cell)
        values[field] = cell
    return values


def rules() -> dict:
    """What static/js/paste.js needs to read a list as read_list does (the patterns above are
    written out there)."""
    return {
        "columns": list(COLUMNS),
        "headers": HEADER_FIELDS,
        "ignored": sorted(IGNORED_KEYS),
        "genders": GENDERS,
        "roles": ROLES,
        "degrees": sorted(DEGREES_WITHOUT_DOTS),
        "max_lines": MAX_LINES,
        "max_chars": MAX_CHARS,
    }
