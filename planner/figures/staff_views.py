"""The host's figures for protocol staff: a page per year, its workbook and a printable summary
for the Bupati's meetings and the annual report."""

from dataclasses import dataclass

from babel.dates import get_month_names
from babel.numbers import format_decimal
from flask import abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from planner.core.access import staff_blueprint
from planner.core.database import db
from planner.core.i18n import current_language, format_number, format_short_date
from planner.figures import charts, compute, spreadsheet
from planner.programs.times import host_today
from planner.visits.host import PROFILE_ID
from planner.visits.models import HostProfile

bp = staff_blueprint("figures", __name__)

FIRST_YEAR = 2000
YEARS_AHEAD = 5  # programs are planned a few years ahead at most
CHART_ROWS = 10  # a chart shows the largest rows; its table shows them all
SUMMARY_ROWS = 10  # the printed summary lists the largest rows of each table

STATUS_COLOURS = {
    "visited": "#0b5d56",
    "pending": "#7fb9b0",
    "waitlisted": "#d9a11e",
    "cancelled": "#8c8f8c",
    "rejected": "#b4413a",
}


def _last_year() -> int:
    return host_today().year + YEARS_AHEAD


def _year_message() -> str:
    return _(
        "There are no figures for that year. Enter a year from %(first)s to %(last)s as four "
        "digits, for example %(year)s.",
        first=FIRST_YEAR,
        last=_last_year(),
        year=host_today().year,
    )


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= _last_year():
        abort(404)
    return year


@dataclass(frozen=True)
class Headline:
    """A headline figure, its value in the year before and the change, as people read them."""

    label: str
    value: str
    unit: str
    previous: str | None
    change: str | None
    direction: str  # up, down, same or none (nothing to compare)


def _signed(difference: float) -> str:
    if difference == 0:
        return "±0"
    sign = "+" if difference > 0 else "−"
    return sign + format_number(abs(difference))


def _decimal(value: float) -> str:
    """One decimal, the reader's way: 31,0 and 31,2 side by side, not 31 and 31,2."""
    return format_decimal(value, "#,##0.0", locale=current_language())


def _headline(
    label: str, now: float | None, before: float | None, unit: str = "", decimal: bool = False
) -> Headline:
    written = _decimal if decimal else format_number

    def shown(value):
        if value is None:
            return "—"
        return written(value) + (f" {unit}" if unit else "")

    value = "—" if now is None else written(now)
    value_unit = "" if now is None else unit
    if now is None or before is None:
        previous = None if before is None else shown(before)
        return Headline(label, value, value_unit, previous, None, "none")
    difference = round(now - before, 1)
    if difference == int(difference):
        difference = int(difference)
    change = _signed(difference)
    if before:
        percent = round(100 * (now - before) / before)
        change += f" ({_signed(percent)}%)"
    direction = "up" if difference > 0 else "down" if difference < 0 else "same"
    return Headline(label, value, value_unit, shown(before), change, direction)


def headlines(figures: compute.YearFigures) -> list[Headline]:
    before = figures.previous
    days = _("days")
    return [
        _headline(_("Delegations"), figures.delegations, before.delegations if before else None),
        _headline(_("Participants"), figures.participants, before.participants if before else None),
        _headline(
            _("Average delegation size"),
            figures.average_size if figures.delegations else None,
            before.average_size if before and before.delegations else None,
            _("people"),
            decimal=True,
        ),
        _headline(
            _("Lead time (median)"),
            figures.lead_time.median_days,
            before.lead_time.median_days if before else None,
            days,
            decimal=True,
        ),
    ]


def month_names() -> list[str]:
    names = get_month_names("abbreviated", locale=current_language())
    return [names[month] for month in range(1, 13)]


def _month_series(figures: compute.YearFigures, measure: str) -> list[charts.Series]:
    return [
        charts.Series(
            name,
            STATUS_COLOURS[key],
            [getattr(getattr(row, key), measure) for row in figures.by_month],
        )
        for key, name in spreadsheet.month_parts()
    ]


def largest_programs(figures: compute.YearFigures) -> list[compute.ProgramRow]:
    return sorted(figures.by_program, key=lambda row: (-row.participants, row.first_day))


def year_charts(figures: compute.YearFigures, rows: int = CHART_ROWS) -> dict[str, Markup]:
    """Every chart of the year, by name; the page and the printed summary show the same."""
    year = str(figures.year)  # a year is a name, never written as 2.026
    language = current_language()
    months = month_names()
    by_delegations = _("Delegations per month in %(year)s, by status", year=year)
    by_participants = _("Participants per month in %(year)s, by status", year=year)
    programs = largest_programs(figures)
    topics = sorted(figures.by_topic, key=lambda row: (-row.requested, row.title(language)))
    return {
        "month_delegations": charts.stacked_columns(
            by_delegations, months, _month_series(figures, "delegations")
        ),
        "month_participants": charts.stacked_columns(
            by_participants, months, _month_series(figures, "participants")
        ),
        "provinces": charts.horizontal_bars(
            _("Delegations by province of origin in %(year)s", year=year),
            [(row.name, row.delegations) for row in figures.by_province[:rows]],
        ),
        "regions": charts.horizontal_bars(
            _("Delegations by regency or city in %(year)s", year=year),
            [(row.name, row.delegations) for row in figures.by_region[:rows]],
        ),
        "programs": charts.horizontal_bars(
            _("Programs with the most participants in %(year)s", year=year),
            [(row.title, row.participants) for row in programs[:rows] if row.participants],
        ),
        "topics": charts.horizontal_bars(
            _("Topics named in visit requests in %(year)s", year=year),
            [(row.title(language), row.requested) for row in topics[:rows]],
            colour="#b4521a",
        ),
        "venues": charts.horizontal_bars(
            _("Participants by venue in %(year)s", year=year),
            [(row.name, row.participants) for row in figures.busiest_venues[:rows]],
        ),
        "days": charts.horizontal_bars(
            _("Delegations on the busiest days of %(year)s", year=year),
            [(format_short_date(row.day), row.delegations) for row in figures.busiest_days[:rows]],
        ),
        "optional": charts.horizontal_bars(
            _("Participants who joined optional items in %(year)s", year=year),
            [(row.item_title, row.joined) for row in figures.optional_items[:rows]],
            colour="#b4521a",
        ),
    }


def _legend() -> Markup:
    return charts.legend(
        [charts.Series(name, STATUS_COLOURS[key], []) for key, name in spreadsheet.month_parts()]
    )


def _context(figures: compute.YearFigures, rows: int = CHART_ROWS) -> dict:
    return {
        "figures": figures,
        "year": figures.year,
        "headlines": headlines(figures),
        "charts": year_charts(figures, rows),
        "limit": rows,
        "largest_programs": largest_programs(figures),
        "legend": _legend(),
        "months": month_names(),
        "statuses": spreadsheet.month_parts(),
        "language": current_language(),
        "first_year": FIRST_YEAR,
        "last_year": _last_year(),
    }


@bp.get("/figures")
def index():
    raw = request.args.get("year", "").strip()
    if not raw:
        year = host_today().year
    elif raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= _last_year():
        year = int(raw)
    else:
        page = render_template(
            "staff/figures/index.html",
            year=None,
            asked=raw[:20],
            error=_year_message(),
            first_year=FIRST_YEAR,
            last_year=_last_year(),
        )
        return page, 400
    figures = compute.year_figures(year)
    return render_template("staff/figures/index.html", asked=str(year), **_context(figures))


@bp.get("/figures/<int:year>.xlsx")
def workbook(year: int):
    figures = compute.year_figures(_checked_year(year))
    return spreadsheet.workbook(figures, month_names()).response(spreadsheet.filename(figures.year))


@bp.get("/figures/<int:year>/summary")
def summary(year: int):
    figures = compute.year_figures(_checked_year(year))
    profile = db.session.get(HostProfile, PROFILE_ID) or HostProfile()
    return render_template(
        "staff/figures/summary.html",
        profile=profile,
        today=host_today(),
        summary_rows=SUMMARY_ROWS,
        **_context(figures, SUMMARY_ROWS),
    )
