"""Exports for protocol staff, each list (exports.lists) as .xlsx or .csv."""

from sqlalchemy.orm import joinedload

from planner.core.access import staff_blueprint
from planner.core.database import one_or_404
from planner.delegations.models import Delegation
from planner.exports.lists import DELEGATION_EXPORTS, PROGRAM_EXPORTS, Export, Manifest
from planner.exports.spreadsheets import XlsxBook, csv_response
from planner.programs.models import AgendaItem, Program
from planner.programs.queries import ITEM_WITH_PROGRAM_AND_VENUE

bp = staff_blueprint("exports", __name__)
FORMATS = "<any(xlsx, csv):extension>"


def _download(export: Export, extension: str):
    if extension == "csv":
        table = export.table()
        return csv_response(table.columns, table.rows, export.filename("csv"))
    book = XlsxBook()
    for sheet in export.sheets():
        book.add_sheet(sheet.title, sheet.columns)
        for row in sheet.rows:
            book.append(row)
    return book.response(export.filename("xlsx"))


@bp.get(f"/programs/<slug>/<any(participants, dietary, arrivals, checkins):what>.{FORMATS}")
def program_export(slug: str, what: str, extension: str):
    program = one_or_404(Program, slug=slug)
    return _download(PROGRAM_EXPORTS[what](program), extension)


@bp.get(f"/delegations/<public_id>/<any(participants, dietary):what>.{FORMATS}")
def delegation_export(public_id: str, what: str, extension: str):
    delegation = one_or_404(Delegation, joinedload(Delegation.program), public_id=public_id)
    return _download(DELEGATION_EXPORTS[what](delegation.program, delegation), extension)


@bp.get(f"/items/<public_id>/manifest.{FORMATS}")
def manifest(public_id: str, extension: str):
    item = one_or_404(AgendaItem, *ITEM_WITH_PROGRAM_AND_VENUE, public_id=public_id)
    return _download(Manifest(item), extension)
