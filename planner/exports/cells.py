"""Values made safe for spreadsheets: nothing a person typed ever becomes a formula.

In a workbook every text is written as a text cell, so it is shown exactly as typed
(a phone number reads +6281255001001) and never calculated. A CSV file has no cell types:
there a text that a spreadsheet would read as a formula gets a leading apostrophe, and phone
numbers are written as people dial them in Indonesia (0812-5500-1001), which no spreadsheet
takes for a formula.
"""

from planner.core.validation import format_phone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


class Phone(str):
    """A stored (E.164) phone number in an export row."""


def csv_text(value: str) -> str:
    if isinstance(value, Phone):
        return _dialled(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _dialled(phone: str) -> str:
    """0812-5500-1001; a number abroad (+60 12-345 6789) gets a leading space, which
    spreadsheets keep as text and diallers ignore."""
    written = format_phone(phone) if phone else ""
    return " " + written if written.startswith(FORMULA_STARTS) else written
