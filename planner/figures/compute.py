"""The host's figures for a year: how many delegations came, from where, when, for what.

Every figure counts **visits**: a *visit* is a delegation with status `approved` registered
for a program whose `first_day` is in the year (the program's status is not looked at: a
program that took place is usually archived by now). A visit's *participants* are its
members. A delegation's year is its program's first day's year, also when the program ends
in January of the next year.

The year's *programs* (by_program, optional_items) are those whose first day is in the year,
except drafts nobody registered for.

`year_figures(year)` runs a fixed number of queries (seven, and two for `previous`)
however many programs, delegations and members the year has: every count is a GROUP BY in
SQL (planner.figures.tallies), and Python only folds the grouped rows. The records are in
planner.figures.rows (named here too); every tuple is already sorted the way it is shown.
"""

from dataclasses import fields

from sqlalchemy import func, select

from planner.core.database import db
from planner.delegations.models import Delegation
from planner.figures import tallies
from planner.figures.rows import (
    NOT_MATCHED,
    Count,
    DayRow,
    Headline,
    LeadTime,
    MonthRow,
    OptionalRow,
    PlaceRow,
    ProgramRow,
    RepeatVisitor,
    TopicRow,
    VenueRow,
    YearFigures,
    YearTotals,
)
from planner.programs.models import Program
from planner.regions.reference import Region, region

__all__ = [
    "Count",
    "DayRow",
    "Headline",
    "LeadTime",
    "MonthRow",
    "NOT_MATCHED",
    "OptionalRow",
    "PlaceRow",
    "ProgramRow",
    "RepeatVisitor",
    "TopicRow",
    "VenueRow",
    "YearFigures",
    "YearTotals",
    "headline",
    "year_figures",
    "year_totals",
]


def year_figures(year: int, *, with_previous: bool = True) -> YearFigures:
    """The year's figures; with the totals of year - 1 unless `with_previous` is False."""
    programs = tallies.year_programs(year)
    visited = [p for p in programs.values() if p.visits.delegations]
    places = tallies.visits_by_place(p.visits_by_code for p in visited)
    totals = _totals(year, places)
    return YearFigures(
        **{total.name: getattr(totals, total.name) for total in fields(YearTotals)},
        by_month=tallies.by_month(programs.values()),
        by_province=tallies.place_rows(places, province=True),
        by_region=tallies.place_rows(places, province=False),
        by_program=tuple(
            ProgramRow(
                p.slug,
                p.title,
                p.first_day,
                p.last_day,
                p.visits.delegations,
                p.visits.participants,
            )
            for p in sorted(programs.values(), key=lambda p: (p.first_day, p.title, p.slug))
        ),
        by_topic=tallies.by_topic(year),
        repeat_visitors=tallies.repeat_visitors(year),
        busiest_venues=tallies.busiest_venues(year, programs),
        busiest_days=tallies.busiest_days(visited),
        optional_items=tallies.optional_items(year, programs),
        previous=year_totals(year - 1) if with_previous else None,
    )


def year_totals(year: int) -> YearTotals:
    """The year's totals and lead time only: two queries, grouped by region, not by program."""
    return _totals(year, tallies.visits_by_place([tallies.visits_by_code(year)]))


def _totals(year: int, places: dict[Region | None, Count]) -> YearTotals:
    delegations = sum(count.delegations for count in places.values())
    participants = sum(count.participants for count in places.values())
    return YearTotals(
        year=year,
        delegations=delegations,
        participants=participants,
        provinces=len({r.province_code for r in places if r is not None}),
        regions=len([r for r in places if r is not None]),
        average_size=round(participants / delegations, 1) if delegations else 0.0,
        lead_time=tallies.lead_time(year),
    )


def headline(year: int) -> Headline:
    """The year's visits and provinces in one query (for the public counter)."""
    rows = db.session.execute(
        select(Delegation.region_code, func.count(Delegation.id))
        .join(Program, Program.id == Delegation.program_id)
        .where(tallies.is_visit(), tallies.in_year(year))
        .group_by(Delegation.region_code)
    ).tuples()
    delegations, provinces = 0, set()
    for code, count in rows:
        delegations += count
        known = region(code)
        if known is not None:
            provinces.add(known.province_code)
    return Headline(year, delegations, len(provinces))
