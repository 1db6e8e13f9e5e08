"""Spreadsheets built to hurt a server that reads them carelessly, and one honest member list.
Fed to the import by tests/test_import.py and measured by scripts/bench_uploads.py."""

import io
import zipfile

from openpyxl import Workbook

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Nama lengkap</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Jabatan</t></is></c></row>'
)
SHARED = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"
SHARED_CONTENT_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_RELATION = (
    b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def workbook(
    sheet_xml: str, shared_strings: str | None = None, replaced: dict[str, str] | None = None
) -> bytes:
    """A workbook as openpyxl writes it, with its sheet replaced and a shared strings table (or
    any other part) added."""
    replaced = replaced or {}
    book = Workbook()
    original = io.BytesIO()
    book.save(original)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == SHEET:
                content = sheet_xml.encode()
            elif info.filename in replaced:
                content = replaced[info.filename].encode()
            elif shared_strings is not None and info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", SHARED_CONTENT_TYPE + b"</Types>")
            elif shared_strings is not None and info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>", SHARED_RELATION + b"</Relationships>"
                )
            target.writestr(info.filename, content)
        if shared_strings is not None:
            target.writestr(SHARED, shared_strings)
    return buffer.getvalue()


def compression_bomb() -> bytes:
    """200 MB of sheet that packs into a few hundred KB."""
    return workbook(SHEET_HEAD + HEADER_ROW + " " * 200_000_000 + SHEET_TAIL)


def shared_strings_bomb() -> bytes:
    """170,000 distinct shared strings behind a sheet of one header row."""
    strings = "".join(f"<si><t>s{n}</t></si>" for n in range(170_000))
    table = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    )
    return workbook(SHEET_HEAD + HEADER_ROW + SHEET_TAIL, table)


def empty_cells_bomb() -> bytes:
    """A quarter of a million cells that hold nothing, just under the size limit."""
    cells = "".join(f'<c r="C{n}"/>' for n in range(2, 250_000))
    return workbook(SHEET_HEAD + HEADER_ROW + f'<row r="2">{cells}</row>' + SHEET_TAIL)


def styles_bomb() -> bytes:
    """Sixty thousand cell formats, each a few microseconds for the parser."""
    formats = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 60_000
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<cellXfs count="60000">{formats}</cellXfs></styleSheet>'
    )
    return workbook(SHEET_HEAD + HEADER_ROW + SHEET_TAIL, replaced={"xl/styles.xml": styles})


def many_rows_bomb() -> bytes:
    """Eighty thousand rows of one short cell each, just under the size limit."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(2, 80_000))
    return workbook(SHEET_HEAD + HEADER_ROW + rows + SHEET_TAIL)


def far_row() -> bytes:
    """An honest list of three, and a stray cell in the last row Excel has."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Nama lengkap", "Jabatan"])
    for n in range(3):
        sheet.append([f"Anggota {n}", "Kepala Bagian"])
    sheet["C1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def at_every_limit() -> bytes:
    """The most a file may hold and still be read: 1,000 rows of 20 cells, 5,000 shared
    strings, and styles of almost 5,000 elements."""

    def column(index: int) -> str:
        return chr(65 + index)

    rows = "".join(
        f'<row r="{n}">'
        + "".join(
            f'<c r="{column(c)}{n}" t="s"><v>{(n * 20 + c) % 5_000}</v></c>' for c in range(20)
        )
        + "</row>"
        for n in range(2, 1001)
    )
    strings = "".join(f"<si><t>s{n}</t></si>" for n in range(5_000))
    table = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    )
    formats = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 4_500
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<cellXfs count="4500">{formats}</cellXfs></styleSheet>'
    )
    sheet = SHEET_HEAD + HEADER_ROW + rows + SHEET_TAIL
    return workbook(sheet, table, replaced={"xl/styles.xml": styles})


def page_tree_letter(pages: int = 45_000) -> bytes:
    """A real PDF of 45,000 blank pages, just under the letter's 5 MB."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (n + 3) for n in range(pages))
        + b"] /Count %d >>" % pages,
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    document = io.BytesIO()
    document.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(document.tell())
        document.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = document.tell()
    document.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    document.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    document.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    document.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return document.getvalue()


def honest_list(members: int = 200) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Nama lengkap", "Jabatan", "NIP", "Telepon", "Pantangan makanan"])
    for n in range(members):
        nip = f"1970010119950{n % 2 + 1}{n:04d}"[:18].ljust(18, "0")
        sheet.append([f"Anggota Nomor {n}", "Kepala Bagian", nip, f"0812{34560000 + n}", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def huge_csv() -> bytes:
    """Two megabytes of one-character rows."""
    return ("Nama lengkap,Jabatan\n" + "a\n" * 1_040_000).encode()


BOMBS = {
    "compression bomb (200 MB of sheet)": compression_bomb,
    "170,000 distinct shared strings": shared_strings_bomb,
    "250,000 empty cells": empty_cells_bomb,
    "60,000 cell formats": styles_bomb,
    "80,000 rows": many_rows_bomb,
    "a cell in row 1,048,576": far_row,
    "1,040,000 rows of CSV": huge_csv,
}

# Read to the end (the first refused only for holding more than 200 members).
READ = {"every limit reached": at_every_limit, "honest list of 200": honest_list}
# PDF letters, checked by the registration form.
LETTERS = {"a PDF letter of 45,000 pages": page_tree_letter}
