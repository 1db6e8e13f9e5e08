"""The figures' records (see planner.figures.compute for what a visit is): frozen, plain
values, every tuple already sorted the way it is shown."""

from dataclasses import dataclass
from datetime import date

NOT_MATCHED = ""  # the code of the row for delegations without a region code


@dataclass(frozen=True)
class Count:
    """Delegations and their members (participants)."""

    delegations: int = 0
    participants: int = 0


@dataclass(frozen=True)
class MonthRow:
    """One month (1..12) of the year, by the month of the program's first day.

    `visited`: visits (approved delegations). `pending`, `waitlisted`, `rejected`,
    `cancelled`: delegations of the month's programs with that status now (participants =
    the members they listed)."""

    month: int
    visited: Count
    pending: Count
    waitlisted: Count
    rejected: Count
    cancelled: Count


@dataclass(frozen=True)
class PlaceRow:
    """Visits from one place.

    In `by_province`: `code` is the province's code ("62"), `name` its name ("Kalimantan
    Tengah"), `province` the same name; the visits of the province's government and of all
    its regencies/cities. In `by_region`: one regional government, `code` as the delegation
    gave it ("62.07" or, for a provincial government, "62"), `name` the region's name
    ("Kabupaten Seruyan", "Provinsi Kalimantan Tengah"), `province` its province's name.

    The row with code "" (NOT_MATCHED) holds visits without a (known) region code: ministries,
    universities, other institutions; its name is the words for it in the current language.
    Sorted by delegations, then participants (most first), then name; that row comes last."""

    code: str
    name: str
    province: str
    delegations: int
    participants: int


@dataclass(frozen=True)
class ProgramRow:
    """Visits to one program of the year (programs without visits are listed too, with 0),
    sorted by first day, then title."""

    slug: str
    title: str
    first_day: date
    last_day: date
    delegations: int
    participants: int


@dataclass(frozen=True)
class TopicRow:
    """A topic visitors asked to learn about.

    `requested`: visit requests received in the year (their `created_at`, host time) naming
    the topic, whatever became of them. `visited`: the year's visits that came from a visit
    request naming the topic. Topics with neither are left out. Sorted by visited, then
    requested (most first), then title."""

    public_id: str
    title_id: str
    title_en: str
    requested: int
    visited: int

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" else "") or self.title_id


@dataclass(frozen=True)
class LeadTime:
    """Days from the request to the visit (the program's first day), over the year's visits.

    The request is the visit request's `created_at` when the delegation came from one, else
    the delegation's `created_at` (both as host-time dates). `median_days` and
    `average_days` are rounded to one decimal; all None when the year has no visits."""

    visits: int
    median_days: float | None
    average_days: float | None
    shortest_days: int | None
    longest_days: int | None


@dataclass(frozen=True)
class RepeatVisitor:
    """A region (by its code) with a visit in the year and a visit in at least one other year
    (before or after). `years`: every year it visited, ascending ("Kabupaten Seruyan: 2019,
    2026"). Sorted by number of years (most first), then name."""

    code: str
    name: str
    province: str
    years: tuple[int, ...]


@dataclass(frozen=True)
class VenueRow:
    """A venue of the year's programs. `items`: scheduled (not cancelled) agenda items there
    in the year's programs. `delegations`/`participants`: visits whose program has at least
    one such item there (a delegation counts once per venue however many items it had
    there). Sorted by participants, then delegations, then items (most first), then name."""

    name: str
    items: int
    delegations: int
    participants: int


@dataclass(frozen=True)
class DayRow:
    """A calendar day with visits: the delegations whose program runs that day (first to last
    day) and their members. The ten busiest, by delegations, then participants (most first),
    then the day (earliest first)."""

    day: date
    delegations: int
    participants: int


@dataclass(frozen=True)
class OptionalRow:
    """An optional agenda item of the year's programs (cancelled ones too: `cancelled`),
    such as the Ijen night trek. `joined`: members of visits who chose it; `capacity`: the
    item's capacity, None when unlimited. Sorted by the program's first day, the item's
    start, then title. `day` is the item's start date in the program's time zone."""

    program_slug: str
    program_title: str
    item_title: str
    day: date
    joined: int
    capacity: int | None
    cancelled: bool


@dataclass(frozen=True)
class YearTotals:
    """A year's totals (see the module's docstring for what a visit is), all the year before
    needs for the comparison.

    `delegations`, `participants`: the year's visits and their members. `provinces`,
    `regions`: how many different provinces / regional governments (region codes) they came
    from (the not-matched ones not counted). `average_size`: participants per visit, one
    decimal, 0.0 without visits."""

    year: int
    delegations: int
    participants: int
    provinces: int
    regions: int
    average_size: float
    lead_time: LeadTime


@dataclass(frozen=True)
class YearFigures(YearTotals):
    """The figures of one year: its totals, the tables behind them, and `previous`, the year
    before's totals, for comparison."""

    by_month: tuple[MonthRow, ...]
    by_province: tuple[PlaceRow, ...]
    by_region: tuple[PlaceRow, ...]
    by_program: tuple[ProgramRow, ...]
    by_topic: tuple[TopicRow, ...]
    repeat_visitors: tuple[RepeatVisitor, ...]
    busiest_venues: tuple[VenueRow, ...]
    busiest_days: tuple[DayRow, ...]
    optional_items: tuple[OptionalRow, ...]
    previous: YearTotals | None = None


@dataclass(frozen=True)
class Headline:
    """The home page's counter: the year's visits and how many provinces they came from."""

    year: int
    delegations: int
    provinces: int
