"""Reading a member list from a spreadsheet (.xlsx or .csv) into rows: the member's columns
and one column per optional agenda item (ya/tidak). The template is written by
member_template.

Refuses files it cannot read safely (macros, merged cells, zip bombs, dates and numbers that
Excel made of text) and names the row and column of every problem. No database access.
"""

import codecs
import csv
import io
import itertools
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from planner.core.i18n import format_clock, format_long_date, in_zone
from planner.delegations.models import MemberRole
from planner.delegations.records import MEMBER_COLUMNS

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 200
# What a member list of 200 rows can hold, with room to spare: a file beyond any of these is
# refused before it is read, or as soon as reading meets the limit (zip bombs, a huge table of
# shared strings, millions of empty cells), so no file costs a worker more than a second.
MAX_UNPACKED_BYTES = 4 * 1024 * 1024
MAX_CELLS = 20_000  # 1,000 rows of 20 cells
MAX_LISTED_ROWS = 1_000
MAX_SHARED_STRINGS = 5_000  # 200 members hold at most a few hundred distinct texts per column
# Elements in the rest of the workbook (styles, defined names, relations): a few hundred in a
# real one, and each costs the parser more than a cell.
MAX_OTHER_ELEMENTS = 5_000
MERGED_CELL = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
# Counted in the raw XML before anything is parsed (a row of 250,000 cells is one element).
CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")
# Title rows above the header are skipped; the header must be among the first rows.
HEADER_SEARCH_ROWS = 10
MAX_MESSAGES = 30
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the template's Indonesian header
    english: str
    aliases: tuple[str, ...] = ()
    width: int = 18


COLUMNS = (
    Column(
        "full_name",
        "Nama lengkap",
        "Full name",
        ("nama", "name", "nama lengkap dengan gelar", "full name with titles"),
        34,
    ),
    Column("position", "Jabatan", "Position", ("position (jabatan)",), 30),
    Column("nip", "NIP", "NIP", (), 22),
    Column(
        "rank",
        "Pangkat/golongan",
        "Rank",
        ("pangkat", "golongan", "pangkat/gol", "rank / grade", "rank/grade", "grade"),
        20,
    ),
    Column(
        "gender", "Jenis kelamin (L/P)", "Gender", ("jenis kelamin", "l/p", "sex", "gender (l/p)")
    ),
    Column(
        "phone", "Telepon", "Phone", ("telepon/wa", "no. hp", "no hp", "hp", "whatsapp", "telp")
    ),
    Column("email", "E-mail", "E-mail", ("email", "surel", "surat elektronik"), 28),
    Column(
        "dietary",
        "Pantangan makanan",
        "Dietary needs",
        ("pantangan", "makanan", "dietary", "diet"),
        24,
    ),
    Column("role", "Peran (ketua/anggota/staf)", "Role", ("peran",), 24),
)
REQUIRED = ("full_name", "position")
# Columns people add that carry nothing to import (a running number).
IGNORED_HEADERS = {"no", "no.", "nomor", "#", "no urut", "no. urut"}
GENDERS = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "perempuan": "P",
    "wanita": "P",
    "f": "P",
    "female": "P",
}
ROLES = {
    "": MemberRole.MEMBER.value,
    "ketua": MemberRole.LEADER.value,
    "ketua rombongan": MemberRole.LEADER.value,
    "leader": MemberRole.LEADER.value,
    "anggota": MemberRole.MEMBER.value,
    "member": MemberRole.MEMBER.value,
    # An aide: the template's word, the role's label ("Staf pendamping", "Staff / aide") as the
    # app's own lists show it, and the words delegations use for them.
    "staf": MemberRole.STAFF.value,
    "staff": MemberRole.STAFF.value,
    "staf pendamping": MemberRole.STAFF.value,
    "staff pendamping": MemberRole.STAFF.value,
    "pendamping": MemberRole.STAFF.value,
    "ajudan": MemberRole.STAFF.value,
    "aide": MemberRole.STAFF.value,
    "staff / aide": MemberRole.STAFF.value,
    "staff/aide": MemberRole.STAFF.value,
}
FIELD_LABELS = {
    "full_name": _l("Full name with titles"),
    "position": _l("Position (jabatan)"),
    "nip": _l("NIP"),
    "rank": _l("Rank / grade"),
    "gender": _l("Gender"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "dietary": _l("Dietary needs"),
    "role": _l("Role"),
    "optional_items": _l("Joins"),
}


def header_key(text: str) -> str:
    """Headers compared without case, spacing or a required-field star."""
    return "".join(text.replace("*", "").casefold().split())


HEADER_FIELDS = {
    header_key(name): column.field
    for column in COLUMNS
    for name in (column.header, column.english, *column.aliases)
}
IGNORED_KEYS = {header_key(name) for name in IGNORED_HEADERS}
# An optional item's column: "ya" joins it, "tidak" (or an empty cell) does not.
ITEM_PREFIX = "item:"
YES = {"ya", "y", "yes", "x", "v", "✓", "✔", "1", "true"}
NO = {"tidak", "tdk", "t", "no", "n", "0", "-", "false"}
TRAILING_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class ItemColumn:
    """An optional agenda item as a column of the member list."""

    public_id: str
    title: str
    header: str  # the title and the day: "Pendakian Kawah Ijen (3 Desember 2026)"
    cancelled: bool = False


def item_columns(program) -> list[ItemColumn]:
    """The program's optional items as columns (cancelled ones too, so that a list downloaded
    before a cancellation is still read; the template leaves them out)."""
    items = [item for item in program.items if item.optional]

    def header(item, with_time: bool) -> str:
        day = format_long_date(item.starts_at, program.timezone)
        if with_time:
            clock = format_clock(in_zone(item.starts_at, program.timezone))
            return f"{item.title} ({day}, {clock})"
        return f"{item.title} ({day})"

    plain = [header_key(header(item, False)) for item in items]
    return [
        ItemColumn(
            item.public_id,
            item.title,
            header(item, plain.count(plain[index]) > 1),
            item.is_cancelled,
        )
        for index, item in enumerate(items)
    ]


def _item_for(text: str, items) -> ItemColumn | None:
    """The item a header names: its full header, or its title alone when no other optional
    item has that title (the date may be written another way)."""
    key = header_key(text)
    for item in items:
        if header_key(item.header) == key:
            return item
    titles = {key, header_key(TRAILING_PARENTHESES.sub("", text))}
    found = [item for item in items if header_key(item.title) in titles]
    active = [item for item in found if not item.cancelled]
    if len(active) == 1 or len(found) == 1:
        return (active or found)[0]
    return None


class ImportRefused(Exception):
    """The file cannot be imported; `messages` say what is wrong and where."""

    def __init__(self, messages, status: int = 422):
        messages = list(messages)
        if len(messages) > MAX_MESSAGES:
            rest = len(messages) - MAX_MESSAGES
            messages = [
                *messages[:MAX_MESSAGES],
                _l("… and %(count)s more problems.", count=rest),
            ]
        super().__init__(messages)
        self.messages = messages
        self.status = status


@dataclass
class Sheet:
    """The member rows of a file: spreadsheet row number and the text of each column."""

    columns: dict[str, str]  # field -> header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # item:<public id> -> "ya" or "" for the items
    items: dict[str, str] = field(default_factory=dict)  # item public id -> header as written


# --- reading files -------------------------------------------------------------------------


def read_members_file(
    filename: str, content: bytes, member_limit: int, items: list[ItemColumn] = ()
) -> Sheet:
    """The member rows of an uploaded .xlsx or .csv file, or ImportRefused; `items` are the
    program's optional items, whose columns say who joins them."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].lower()
    if len(content) > MAX_BYTES:
        raise ImportRefused([_l("The file is larger than 2 MB. Import at most 200 rows.")])
    if not content.strip():
        raise ImportRefused(
            [_l("The file is empty. Fill in the member template, save it, then import it again.")]
        )
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise ImportRefused([macro_message()])
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            [
                _l(
                    "This is an old Excel 97-2003 (.xls) file or a password-protected workbook. "
                    "Open it in Excel and save it as a normal .xlsx workbook without a password."
                )
            ]
        )
    if content.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        cells = _xlsx_cells(content)
    elif name.endswith((".csv", ".txt")):
        cells = _csv_cells(content)
    else:
        raise ImportRefused(
            [
                _l(
                    "This file is not an .xlsx or .csv file. Choose the member list as .xlsx or "
                    ".csv, e.g. the template."
                )
            ]
        )
    return _sheet(cells, member_limit, items)


def macro_message():
    return _l(
        "This workbook contains macros, which are not accepted. Open it in Excel and save it "
        "as a normal .xlsx workbook (Excel Workbook)."
    )


def _not_a_workbook():
    return ImportRefused(
        [
            _l(
                "This file is not a readable .xlsx workbook (it may be damaged or another kind "
                "of file renamed). Open it in Excel and save it as .xlsx, or save it as .csv."
            )
        ]
    )


def _xlsx_cells(content: bytes) -> list[tuple[int, dict[int, object]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
        names = {info.filename.lower() for info in infos}
        if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
            raise ImportRefused([macro_message()])
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            raise _too_many_rows()
        if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
            raise _not_a_workbook()
        types = archive.read("[Content_Types].xml")
        _within_a_member_list(archive, infos)
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError, NotImplementedError...
        raise _not_a_workbook() from None
    if b"macroenabled" in types.lower():
        raise ImportRefused([macro_message()])
    import openpyxl  # imported here: only imports need it
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Read-only: the sheet is parsed as a stream, never built in memory.
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True, keep_links=False
            )
        sheet = workbook.active or (workbook.worksheets[0] if workbook.worksheets else None)
        if sheet is None or not hasattr(sheet, "_worksheet_path"):
            raise _not_a_workbook()
        merged = MERGED_CELL.findall(archive.read(sheet._worksheet_path))
        if merged:
            raise ImportRefused(
                [
                    _l(
                        "The sheet has merged cells (%(ranges)s). Unmerge them so that every "
                        "member has one row and every value one cell.",
                        ranges=", ".join(sorted(ref.decode() for ref in merged)[:10]),
                    )
                ]
            )
        rows: dict[int, dict[int, object]] = {}
        seen = 0
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            # Only the rows the file holds: a stray cell in row 1,048,576 is one more row, not
            # a million empty ones.
            for number, cells in parser.parse():
                seen += len(cells)
                if seen > MAX_CELLS:
                    raise _too_many_rows()
                for cell in cells:
                    value = cell["value"]
                    if value is None or (isinstance(value, str) and not value.strip()):
                        continue
                    rows.setdefault(number, {})[cell["column"] - 1] = value
                if len(rows) > MAX_LISTED_ROWS:
                    raise _too_many_rows()
        workbook.close()
        return sorted(rows.items())
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - any file a parser chokes on is refused, never a 500
        raise _not_a_workbook() from None


def _within_a_member_list(archive: zipfile.ZipFile, infos) -> None:
    """Count the cells, rows and shared strings in the raw XML before anything is parsed: a
    single row of 250,000 empty cells is one element to a parser, built whole in memory."""
    other_elements = 0
    for info in infos:
        name = info.filename.lower()
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = archive.read(info)
            if _more_than(MAX_CELLS, CELL, xml) or _more_than(MAX_LISTED_ROWS, ROW, xml):
                raise _too_many_rows()
        elif name == "xl/sharedstrings.xml":
            if _more_than(MAX_SHARED_STRINGS, SHARED_STRING, archive.read(info)):
                raise _too_many_rows()
        elif name.endswith((".xml", ".rels")):
            other_elements += archive.read(info).count(b"<")
            if other_elements > MAX_OTHER_ELEMENTS:
                raise ImportRefused(
                    [
                        _l(
                            "This workbook carries far more than a member list (cell styles, "
                            "names or other parts). Copy the member rows into a new workbook "
                            "and import that."
                        )
                    ]
                )


def _more_than(limit: int, pattern: re.Pattern, data: bytes) -> bool:
    """Whether data holds more than limit matches, found without reading past the limit."""
    return next(itertools.islice(pattern.finditer(data), limit, None), None) is not None


def _too_many_rows():
    return ImportRefused(
        [_l("The file holds far more than a member list; import at most 200 rows.")]
    )


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;").delimiter
    except csv.Error:
        return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_cells(content: bytes) -> list[tuple[int, dict[int, object]]]:
    if b"\x00" in content:
        raise ImportRefused(
            [_l("This is not a text .csv file. Save the list from Excel as CSV (UTF-8).")]
        )
    text = _decode(content)
    first = next((line for line in io.StringIO(text) if line.strip()), "").rstrip("\r\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        delimiter = first.strip()[4]  # Excel's "sep=;" line, not shown as a row in Excel
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _delimiter(first)
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            cells = {index: value for index, value in enumerate(record) if value.strip()}
            if cells:
                rows.append((number, cells))
                if len(rows) > MAX_LISTED_ROWS:
                    raise _too_many_rows()
    except csv.Error:
        raise ImportRefused(
            [_l("This .csv file cannot be read. Save the list from Excel as CSV (UTF-8).")]
        ) from None
    return rows


# --- from cells to member rows ---------------------------------------------------------------


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def expected_headers() -> str:
    return ", ".join(f"“{column.header}”" for column in COLUMNS)


def _header(cells: list[tuple[int, dict[int, object]]]):
    """The header row: the first row naming a known column (title rows above are skipped)."""
    for position, (number, row) in enumerate(cells[:HEADER_SEARCH_ROWS]):
        if any(header_key(_as_text(value)) in HEADER_FIELDS for value in row.values()):
            return position, number, row
    number, row = cells[0]
    return 0, number, row


def _sheet(cells: list[tuple[int, dict[int, object]]], member_limit: int, items=()) -> Sheet:
    if not cells:
        raise ImportRefused(
            [_l("The file is empty. Fill in the member template, save it, then import it again.")]
        )
    position, header_number, header = _header(cells)
    columns: dict[str, tuple[int, str]] = {}
    ignored: set[int] = set()
    unknown, problems = [], []
    for index, value in sorted(header.items()):
        text = _as_text(value)
        key = header_key(text)
        item = None if key in HEADER_FIELDS else _item_for(text, items)
        name = HEADER_FIELDS.get(key) or (item and ITEM_PREFIX + item.public_id)
        if key in IGNORED_KEYS or (item is not None and item.cancelled):
            ignored.add(index)
        elif not name:
            unknown.append(f"“{text}”")
        elif name in columns:
            problems.append(
                _l(
                    "The columns %(first)s and %(second)s both hold the same information; "
                    "keep one of them.",
                    first=column_letter(columns[name][0]),
                    second=column_letter(index),
                )
            )
        else:
            columns[name] = (index, text)
    if unknown:
        problems.append(
            _l(
                "These column headers in row %(row)s were not recognised: %(headers)s.",
                row=header_number,
                headers=", ".join(unknown),
            )
        )
    for name in REQUIRED:
        if name not in columns:
            column = next(column for column in COLUMNS if column.field == name)
            problems.append(
                _l(
                    "The column “%(header)s” is missing from the header row.",
                    header=column.header,
                )
            )
    if problems:
        problems.append(
            _l(
                "The first row must hold the column headers of the template: %(headers)s. "
                "English headers (Full name, Position, NIP, Rank, Gender, Phone, E-mail, "
                "Dietary needs, Role) are accepted too.",
                headers=expected_headers(),
            )
        )
        raise ImportRefused(problems)
    used = {index for index, _text in columns.values()} | ignored
    member_cells = [
        index for name, (index, _text) in columns.items() if name in HEADER_FIELDS.values()
    ]
    rows = []
    for number, row in cells[position + 1 :]:
        # A row with only "tidak" in the item columns is an empty row of the template.
        if any(index in row for index in member_cells):
            rows.append((number, row))
    if not rows:
        raise ImportRefused(
            [
                _l(
                    "The file has a header row but no members below it. Type one member a row "
                    "below the headers, then import again."
                )
            ]
        )
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            [
                _l(
                    "The file has %(count)s member rows; an import takes at most %(max)s rows, "
                    "and this program allows at most %(limit)s members per delegation.",
                    count=len(rows),
                    max=MAX_ROWS,
                    limit=member_limit,
                )
            ]
        )
    members = []
    for number, row in rows:
        values = {}
        for name, (index, text) in columns.items():
            value, problem = _cell_text(name, row.get(index))
            if problem is not None:
                problems.append(
                    _l(
                        "Row %(row)s, column “%(column)s”: %(message)s",
                        row=number,
                        column=text,
                        message=problem,
                    )
                )
            values[name] = value
        for index in sorted(set(row) - used):
            problems.append(
                _l(
                    "Row %(row)s, column %(letter)s: this column has no header, so its value "
                    "cannot be imported. Add a header or delete the value.",
                    row=number,
                    letter=column_letter(index),
                )
            )
        members.append((number, values))
    if problems:
        raise ImportRefused(problems)
    return Sheet(
        columns={
            name: text
            for name, (_index, text) in columns.items()
            if not name.startswith(ITEM_PREFIX)
        },
        rows=members,
        items={
            name.removeprefix(ITEM_PREFIX): text
            for name, (_index, text) in columns.items()
            if name.startswith(ITEM_PREFIX)
        },
    )


def _joins(value) -> tuple[str, object]:
    """An optional item's cell: "ya" when the member joins it, "" when not."""
    if value is None:
        return "", None
    word = " ".join(_as_text(value).casefold().split())
    if word in YES:
        return "ya", None
    if word in NO or not word:
        return "", None
    return "", _l("Write ya or tidak (yes or no).")


def _cell_text(name: str, value) -> tuple[str, object]:
    """A cell as the text a person typed, or a problem Excel made of it."""
    if name.startswith(ITEM_PREFIX):
        return _joins(value)
    if value is None:
        return "", None
    if isinstance(value, datetime | date | time | timedelta):
        return "", _l(
            "Excel turned this cell into a date; type it as text (format the column as Text, "
            "or start the cell with an apostrophe)."
        )
    if isinstance(value, bool):
        return str(value).upper(), None
    if isinstance(value, int | float):
        if name == "nip":
            return "", _l(
                "Excel turned this NIP into a number and keeps only 15 digits, so the last "
                "digits are lost. Format the NIP column as Text and type all 18 digits again."
            )
        return _as_text(value), None
    return str(value).strip(), None


# --- checking with the edit form's rules and planning the change ---------------------------


def _choice(mapping: dict[str, str], value: str) -> str:
    return mapping.get(" ".join(value.casefold().split()), value)


def row_formdata(sheet: Sheet) -> MultiDict:
    data = MultiDict()
    for index, (_number, values) in enumerate(sheet.rows):
        for name in MEMBER_COLUMNS:
            value = values.get(name, "")
            if name == "gender":
                value = _choice(GENDERS, value) if value else ""
            elif name == "role":
                value = _choice(ROLES, value)
            data.add(f"members-{index}-{name}", value)
    return data
