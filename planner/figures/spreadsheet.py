"""The year's figures as a workbook: one sheet per table of the figures page, numbers as
numbers and dates as dates, headers and sheet names in the reader's language."""

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from flask_babel import gettext as _

from planner.core.i18n import current_language
from planner.exports.spreadsheets import Column, XlsxBook
from planner.figures.compute import YearFigures


def month_parts() -> list[tuple[str, str]]:
    """The parts of a month row (compute.MonthRow) in the order they are shown (and stacked
    in the month charts), with their words: one list for the page, the summary and here."""
    return [
        ("visited", _("Visits")),
        ("pending", _("Waiting")),
        ("waitlisted", _("Waitlist")),
        ("cancelled", _("Cancelled")),
        ("rejected", _("Rejected")),
    ]


def filename(year: int) -> str:
    return _("visit-figures") + f"-{year}.xlsx"


def _change(now, before):
    return None if now is None or before is None else round(now - before, 1)


class Sheet(NamedTuple):
    """One sheet of the workbook: its name, its columns, its rows and how a row is written."""

    name: str
    columns: list[Column]
    rows: Iterable
    values: Callable[[Any], list]


def _summary_rows(figures: YearFigures) -> list[tuple]:
    """(label, this year, the year before): the year before is None when it has no figures."""
    before = figures.previous
    lead, lead_before = figures.lead_time, before.lead_time if before else None
    rows = [
        (_("Delegations"), figures.delegations, before and before.delegations),
        (_("Participants"), figures.participants, before and before.participants),
        (_("Average delegation size"), figures.average_size, before and before.average_size),
        (_("Provinces of origin"), figures.provinces, before and before.provinces),
        (_("Regencies and cities of origin"), figures.regions, before and before.regions),
        (_("Lead time, median (days)"), lead.median_days, lead_before and lead_before.median_days),
        (
            _("Lead time, average (days)"),
            lead.average_days,
            lead_before and lead_before.average_days,
        ),
        (
            _("Lead time, shortest (days)"),
            lead.shortest_days,
            lead_before and lead_before.shortest_days,
        ),
        (
            _("Lead time, longest (days)"),
            lead.longest_days,
            lead_before and lead_before.longest_days,
        ),
    ]
    return [(label, now, None if before is None else previous) for label, now, previous in rows]


def _month_columns(parts: list[tuple[str, str]]) -> list[Column]:
    columns = [Column(_("Month"), 12)]
    for _key, name in parts:
        columns.append(Column(_("%(status)s: delegations", status=name), 18))
        columns.append(Column(_("%(status)s: participants", status=name), 18))
    return columns


def _month_values(row, parts: list[tuple[str, str]], months: list[str]) -> list:
    values = [months[row.month - 1]]
    for key, _name in parts:
        count = getattr(row, key)
        values += [count.delegations, count.participants]
    return values


def sheets(figures: YearFigures, months: list[str]) -> list[Sheet]:
    """Every table of the year, in the order of the page."""
    language = current_language()
    parts = month_parts()
    delegations, participants = Column(_("Delegations"), 12), Column(_("Participants"), 12)
    return [
        Sheet(
            _("Summary"),
            [
                Column(_("Figure"), 34),
                Column(str(figures.year), 12),
                Column(str(figures.year - 1), 12),
                Column(_("Difference"), 12),
            ],
            _summary_rows(figures),
            lambda row: [*row, _change(row[1], row[2])],
        ),
        Sheet(
            _("By month"),
            _month_columns(parts),
            figures.by_month,
            lambda row: _month_values(row, parts, months),
        ),
        Sheet(
            _("Provinces"),
            [Column(_("Code"), 8), Column(_("Province"), 32), delegations, participants],
            figures.by_province,
            lambda row: [row.code, row.name, row.delegations, row.participants],
        ),
        Sheet(
            _("Regencies and cities"),
            [
                Column(_("Code"), 10),
                Column(_("Regency or city"), 36),
                Column(_("Province"), 28),
                delegations,
                participants,
            ],
            figures.by_region,
            lambda row: [row.code, row.name, row.province, row.delegations, row.participants],
        ),
        Sheet(
            _("Programs"),
            [
                Column(_("Program"), 40),
                Column(_("First day"), 12),
                Column(_("Last day"), 12),
                delegations,
                participants,
            ],
            figures.by_program,
            lambda row: [row.title, row.first_day, row.last_day, row.delegations, row.participants],
        ),
        Sheet(
            _("Topics"),
            [Column(_("Topic"), 40), Column(_("Visit requests"), 14), Column(_("Visits"), 12)],
            figures.by_topic,
            lambda row: [row.title(language), row.requested, row.visited],
        ),
        Sheet(
            _("Repeat visitors"),
            [
                Column(_("Regency or city"), 36),
                Column(_("Province"), 28),
                Column(_("Years visited"), 24),
                Column(_("Number of years"), 14),
            ],
            figures.repeat_visitors,
            lambda row: [row.name, row.province, ", ".join(map(str, row.years)), len(row.years)],
        ),
        Sheet(
            _("Venues"),
            [Column(_("Venue"), 40), Column(_("Agenda items"), 12), delegations, participants],
            figures.busiest_venues,
            lambda row: [row.name, row.items, row.delegations, row.participants],
        ),
        Sheet(
            _("Busiest days"),
            [Column(_("Day"), 12), delegations, participants],
            figures.busiest_days,
            lambda row: [row.day, row.delegations, row.participants],
        ),
        Sheet(
            _("Optional items"),
            [
                Column(_("Program"), 36),
                Column(_("Agenda item"), 36),
                Column(_("Day"), 12),
                Column(_("Participants who joined"), 14),
                Column(_("Capacity"), 10),
                Column(_("Status"), 14),
            ],
            figures.optional_items,
            lambda row: [
                row.program_title,
                row.item_title,
                row.day,
                row.joined,
                row.capacity,
                _("cancelled") if row.cancelled else _("scheduled"),
            ],
        ),
    ]


def workbook(figures: YearFigures, months: list[str]) -> XlsxBook:
    """Every table of the year, a sheet each, in the order of the page."""
    book = XlsxBook()
    for sheet in sheets(figures, months):
        book.add_sheet(sheet.name, sheet.columns)
        for row in sheet.rows:
            book.append(sheet.values(row))
    return book
