"""Writers for staff exports: streamed CSV and write-only .xlsx, both formula-safe.

Neither keeps the rows in memory: the CSV is produced row by row while the response is sent,
and the workbook is written row by row (openpyxl's write-only mode, one open sheet at a time)
into a spooled temporary file that is then sent back in chunks.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.exports.cells import csv_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"
CHUNK_SIZE = 64 * 1024
# Workbooks up to this size stay in memory; bigger ones roll over to a file on disk.
SPOOL_MAX_SIZE = 1024 * 1024
DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
# Excel's rules for sheet names: at most 31 characters, none of these, not quoted.
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Long official names, shortened the way they are written on Indonesian name lists.
SHEET_NAME_ABBREVIATIONS = (
    (re.compile(r"^pemerintah\s+kabupaten\s+", re.I), "Kab. "),
    (re.compile(r"^pemerintah\s+kota\s+", re.I), "Kota "),
    (re.compile(r"^pemerintah\s+provinsi\s+", re.I), "Prov. "),
    (re.compile(r"^pemerintah\s+", re.I), ""),
)


@dataclass(frozen=True)
class Column:
    header: object  # a (lazy) translated string
    width: int = 16


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("say yes or no in words")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        return value
    return csv_text(value if isinstance(value, str) else str(value))


def csv_response(columns: list[Column], rows: Iterable[Iterable], filename: str) -> Response:
    """A CSV streamed row by row, with the byte-order mark that makes Excel read UTF-8."""
    header = [csv_text(str(column.header)) for column in columns]

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        for row in _with_header(header, rows):
            writer.writerow([csv_value(value) for value in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = Response(stream_with_context(lines()), mimetype=CSV_MIMETYPE)
    _attachment(response, filename)
    return response


def _with_header(header, rows):
    yield header
    yield from rows


class XlsxBook:
    """A write-only workbook: sheets are filled one after the other, each with a bold,
    frozen header row and set column widths."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.sheet = None
        self._titles: set[str] = set()
        self._bold = Font(bold=True)

    def add_sheet(self, title: str, columns: list[Column]) -> None:
        """Start a new sheet; the previous one is finished and its file closed."""
        self._close_sheet()
        sheet = self.workbook.create_sheet(self._unique_title(title))
        for index, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = _text_cell(sheet, column.header)
            cell.font = self._bold
            header.append(cell)
        sheet.append(header)
        self.sheet = sheet

    def append(self, row: Iterable) -> None:
        self.sheet.append([self._cell(value) for value in row])

    def _cell(self, value):
        if value is None:
            return None
        if isinstance(value, bool):
            raise TypeError("say yes or no in words")
        if isinstance(value, datetime):
            cell = WriteOnlyCell(self.sheet, value=value.replace(tzinfo=None))
            cell.number_format = f"{DATE_FORMAT} {TIME_FORMAT}"
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, time):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = TIME_FORMAT
            return cell
        if isinstance(value, int | float):
            return value
        return _text_cell(self.sheet, value)

    def _close_sheet(self) -> None:
        # A write-only sheet keeps a temporary file open until it is closed; closing each one
        # when the next begins keeps a workbook of hundreds of delegations to one open file.
        if self.sheet is not None and not self.sheet.closed:
            self.sheet.close()

    def _unique_title(self, title: str) -> str:
        name = str(title)
        for pattern, short in SHEET_NAME_ABBREVIATIONS:
            name = pattern.sub(short, name, count=1)
        name = SHEET_NAME_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", name))
        name = " ".join(name.split()).strip("'") or "-"
        candidate, number = name[:SHEET_NAME_LIMIT].strip(), 1
        while candidate.casefold() in self._titles:
            number += 1
            suffix = f" ({number})"
            candidate = name[: SHEET_NAME_LIMIT - len(suffix)].strip() + suffix
        self._titles.add(candidate.casefold())
        return candidate

    def response(self, filename: str) -> Response:
        """Save the workbook to a spooled temporary file and send that back in chunks."""
        self._close_sheet()
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115
        try:
            self.workbook.save(spool)
            size = spool.tell()
            spool.seek(0)
        except BaseException:
            spool.close()
            raise

        def chunks() -> Iterator[bytes]:
            try:
                while chunk := spool.read(CHUNK_SIZE):
                    yield chunk
            finally:
                spool.close()

        response = Response(chunks(), mimetype=XLSX_MIMETYPE, direct_passthrough=True)
        response.content_length = size
        _attachment(response, filename)
        return response


def _text_cell(sheet, value) -> WriteOnlyCell:
    """A text cell, shown as typed: openpyxl would take a text starting with "=" for a
    formula, so the cell's type is set, not guessed. Control characters make a workbook
    unreadable and are dropped."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def _attachment(response: Response, filename: str) -> None:
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
