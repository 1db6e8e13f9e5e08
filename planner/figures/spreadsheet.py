"""The year's figures as a workbook: one sheet per table of the figures page, numbers as
numbers and dates as dates, headers and sheet names in the reader's language."""

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


def _summary(book: XlsxBook, figures: YearFigures) -> None:
    before = figures.previous
    book.add_sheet(
        _("Summary"),
        [
            Column(_("Figure"), 34),
            Column(str(figures.year), 12),
            Column(str(figures.year - 1), 12),
            Column(_("Difference"), 12),
        ],
    )
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
    for label, now, previous in rows:
        previous = None if before is None else previous
        book.append([label, now, previous, _change(now, previous)])


def _months(book: XlsxBook, figures: YearFigures, months: list[str]) -> None:
    parts = month_parts()
    columns = [Column(_("Month"), 12)]
    for _key, name in parts:
        columns.append(Column(_("%(status)s: delegations", status=name), 18))
        columns.append(Column(_("%(status)s: participants", status=name), 18))
    book.add_sheet(_("By month"), columns)
    for row in figures.by_month:
        values = [months[row.month - 1]]
        for key, _name in parts:
            count = getattr(row, key)
            values += [count.delegations, count.participants]
        book.append(values)


def workbook(figures: YearFigures, months: list[str]) -> XlsxBook:
    """Every table of the year, a sheet each, in the order of the page."""
    language = current_language()
    book = XlsxBook()
    _summary(book, figures)
    _months(book, figures, months)
    delegations, participants = Column(_("Delegations"), 12), Column(_("Participants"), 12)

    book.add_sheet(
        _("Provinces"), [Column(_("Code"), 8), Column(_("Province"), 32), delegations, participants]
    )
    for row in figures.by_province:
        book.append([row.code, row.name, row.delegations, row.participants])

    book.add_sheet(
        _("Regencies and cities"),
        [
            Column(_("Code"), 10),
            Column(_("Regency or city"), 36),
            Column(_("Province"), 28),
            delegations,
            participants,
        ],
    )
    for row in figures.by_region:
        book.append([row.code, row.name, row.province, row.delegations, row.participants])

    book.add_sheet(
        _("Programs"),
        [
            Column(_("Program"), 40),
            Column(_("First day"), 12),
            Column(_("Last day"), 12),
            delegations,
            participants,
        ],
    )
    for row in figures.by_program:
        book.append([row.title, row.first_day, row.last_day, row.delegations, row.participants])

    book.add_sheet(
        _("Topics"),
        [Column(_("Topic"), 40), Column(_("Visit requests"), 14), Column(_("Visits"), 12)],
    )
    for row in figures.by_topic:
        book.append([row.title(language), row.requested, row.visited])

    book.add_sheet(
        _("Repeat visitors"),
        [
            Column(_("Regency or city"), 36),
            Column(_("Province"), 28),
            Column(_("Years visited"), 24),
            Column(_("Number of years"), 14),
        ],
    )
    for row in figures.repeat_visitors:
        book.append([row.name, row.province, ", ".join(map(str, row.years)), len(row.years)])

    book.add_sheet(
        _("Venues"),
        [Column(_("Venue"), 40), Column(_("Agenda items"), 12), delegations, participants],
    )
    for row in figures.busiest_venues:
        book.append([row.name, row.items, row.delegations, row.participants])

    book.add_sheet(_("Busiest days"), [Column(_("Day"), 12), delegations, participants])
    for row in figures.busiest_days:
        book.append([row.day, row.delegations, row.participants])

    book.add_sheet(
        _("Optional items"),
        [
            Column(_("Program"), 36),
            Column(_("Agenda item"), 36),
            Column(_("Day"), 12),
            Column(_("Participants who joined"), 14),
            Column(_("Capacity"), 10),
            Column(_("Status"), 14),
        ],
    )
    for row in figures.optional_items:
        book.append(
            [
                row.program_title,
                row.item_title,
                row.day,
                row.joined,
                row.capacity,
                _("cancelled") if row.cancelled else _("scheduled"),
            ]
        )
    return book
