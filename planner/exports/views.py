"""Exports and lists for protocol staff: spreadsheets to print and hand out.

Participants, dietary needs per meal, the manifest of one agenda item, arrivals and
departures; each as .xlsx and .csv, with headers in the reader's language.
"""

from collections.abc import Iterator
from itertools import groupby

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from planner.core.access import staff_blueprint
from planner.core.database import one_or_404
from planner.core.text import slugify
from planner.delegations.labels import GENDER_LABELS, ROLE_LABELS, STATUS_LABELS
from planner.delegations.models import Delegation
from planner.exports import queries
from planner.exports.spreadsheets import Column, XlsxBook, csv_response
from planner.programs.models import AgendaItem, Program
from planner.programs.queries import ITEM_WITH_PROGRAM_AND_VENUE

bp = staff_blueprint("exports", __name__)

NUMBER = Column(_l("No."), 5)
INSTITUTION = Column(_l("Institution"), 40)
FULL_NAME = Column(_l("Full name"), 32)
PHONE = Column(_l("Phone"), 18)
DIETARY = Column(_l("Dietary needs"), 28)

MEMBER_COLUMNS = [
    NUMBER,
    FULL_NAME,
    Column(_l("Position (jabatan)"), 32),
    Column(_l("NIP"), 20),
    Column(_l("Rank / grade"), 22),
    Column(_l("Gender"), 16),
    PHONE,
    Column(_l("E-mail"), 30),
    DIETARY,
    Column(_l("Role"), 14),
    Column(_l("Status"), 22),
]
SUMMARY_COLUMNS = [
    NUMBER,
    INSTITUTION,
    Column(_l("Province"), 22),
    Column(_l("Status"), 22),
    Column(_l("Members"), 10),
    Column(_l("Leader"), 40),
    Column(_l("Contact person"), 26),
    Column(_l("Contact phone"), 18),
    Column(_l("Contact e-mail"), 30),
]
MEAL = Column(_l("Meal"), 32)
DATE = Column(_l("Date"), 12)
TIME = Column(_l("Time"), 8)
COUNT = Column(_l("Count"), 8)
MEAL_SUMMARY_COLUMNS = [MEAL, DATE, TIME, Column(_l("Venue"), 28), DIETARY, COUNT]
MEAL_COLUMNS = [NUMBER, DIETARY, FULL_NAME, INSTITUTION, PHONE]
MEAL_CSV_COLUMNS = [MEAL, DATE, TIME, DIETARY, COUNT, NUMBER, FULL_NAME, INSTITUTION, PHONE]
MANIFEST_COLUMNS = [
    NUMBER,
    FULL_NAME,
    INSTITUTION,
    PHONE,
    Column(_l("Health certificate"), 18),
    DIETARY,
]
ARRIVAL_COLUMNS = [
    NUMBER,
    INSTITUTION,
    Column(_l("Status"), 22),
    Column(_l("Members"), 10),
    Column(_l("Arrives on"), 12),
    Column(_l("Arrival date is"), 30),
    Column(_l("Arrival notes"), 36),
    Column(_l("Departs on"), 12),
    Column(_l("Departure date is"), 30),
    Column(_l("Departure notes"), 36),
    Column(_l("Contact person"), 26),
    Column(_l("Contact phone"), 18),
]


class Labels:
    """Translated labels, looked up once per export rather than once per row."""

    def __init__(self):
        self.status = {key.value: str(label) for key, label in STATUS_LABELS.items()}
        self.role = {key.value: str(label) for key, label in ROLE_LABELS.items()}
        self.gender = {key.value: str(label) for key, label in GENDER_LABELS.items()}
        self.yes, self.no = _("yes"), _("no")

    def member(self, number: int, member) -> list:
        return [
            number,
            member.full_name,
            member.position,
            member.nip,
            member.rank,
            self.gender.get(member.gender or "", member.gender),
            member.phone,
            member.email,
            member.dietary,
            self.role.get(member.role, member.role),
            self.status.get(member.status, member.status),
        ]


def _file_name(program: Program, what: str, extension: str, *more: str) -> str:
    return "-".join([program.slug, what, *(slugify(part) for part in more)]) + "." + extension


# Participants ----------------------------------------------------------------------------


def _participants_xlsx(program: Program, delegation: Delegation | None, filename: str):
    labels = Labels()
    delegations = queries.delegations_with_counts(program, delegation)
    book = XlsxBook()
    book.add_sheet(_("Summary"), SUMMARY_COLUMNS)
    for number, (row, count) in enumerate(delegations, 1):
        book.append(
            [
                number,
                row.institution,
                row.province,
                labels.status.get(row.status, row.status),
                count,
                f"{row.leader_name}, {row.leader_title}",
                row.contact_name,
                row.contact_phone,
                row.contact_email,
            ]
        )
    members = groupby(queries.participants(program, delegation), key=lambda m: m.delegation_id)
    current = next(members, None)
    for row, _count in delegations:
        book.add_sheet(row.institution, MEMBER_COLUMNS)
        if current is not None and current[0] == row.id:
            for number, member in enumerate(current[1], 1):
                book.append(labels.member(number, member))
            current = next(members, None)
    return book.response(filename)


def _participants_csv(program: Program, delegation: Delegation | None, filename: str):
    labels = Labels()

    def rows() -> Iterator[list]:
        for number, member in enumerate(queries.participants(program, delegation), 1):
            row = labels.member(number, member)
            yield [row[0], member.institution, *row[1:]]

    return csv_response([NUMBER, INSTITUTION, *MEMBER_COLUMNS[1:]], rows(), filename)


@bp.get("/programs/<slug>/participants.xlsx")
def participants_xlsx(slug: str):
    program = one_or_404(Program, slug=slug)
    return _participants_xlsx(program, None, _file_name(program, "peserta", "xlsx"))


@bp.get("/programs/<slug>/participants.csv")
def participants_csv(slug: str):
    program = one_or_404(Program, slug=slug)
    return _participants_csv(program, None, _file_name(program, "peserta", "csv"))


@bp.get("/delegations/<public_id>/participants.xlsx")
def delegation_participants_xlsx(public_id: str):
    delegation = one_or_404(Delegation, joinedload(Delegation.program), public_id=public_id)
    program = delegation.program
    name = _file_name(program, "peserta", "xlsx", delegation.institution)
    return _participants_xlsx(program, delegation, name)


@bp.get("/delegations/<public_id>/participants.csv")
def delegation_participants_csv(public_id: str):
    delegation = one_or_404(Delegation, joinedload(Delegation.program), public_id=public_id)
    program = delegation.program
    name = _file_name(program, "peserta", "csv", delegation.institution)
    return _participants_csv(program, delegation, name)


# Dietary needs per meal --------------------------------------------------------------------


def _need(group, none: str) -> str:
    return group.label or none


def _dietary_xlsx(program: Program, delegation: Delegation | None, filename: str):
    meals = queries.meals(program, delegation)
    none, total = _("No special needs"), _("All diners")
    book = XlsxBook()
    book.add_sheet(_("Summary"), MEAL_SUMMARY_COLUMNS)
    for meal in meals:
        start = meal.item.local_start
        where = meal.item.venue.name if meal.item.venue else ""
        for group in meal.groups:
            title = meal.item.title
            book.append(
                [title, start.date(), start.time(), where, _need(group, none), len(group.members)]
            )
        book.append([meal.item.title, start.date(), start.time(), where, total, meal.attendees])
    for meal in meals:
        start = meal.item.local_start
        book.add_sheet(f"{start:%d-%m} {meal.item.title}", MEAL_COLUMNS)
        number = 0
        for group in meal.groups:
            for member in group.members:
                number += 1
                need = _need(group, none)
                book.append([number, need, member.full_name, member.institution, member.phone])
    return book.response(filename)


def _dietary_csv(program: Program, delegation: Delegation | None, filename: str):
    meals = queries.meals(program, delegation)
    none = _("No special needs")

    def rows() -> Iterator[list]:
        for meal in meals:
            start = meal.item.local_start
            for group in meal.groups:
                for number, member in enumerate(group.members, 1):
                    yield [
                        meal.item.title,
                        start.date(),
                        start.time(),
                        _need(group, none),
                        len(group.members),
                        number,
                        member.full_name,
                        member.institution,
                        member.phone,
                    ]

    return csv_response(MEAL_CSV_COLUMNS, rows(), filename)


@bp.get("/programs/<slug>/dietary.xlsx")
def dietary_xlsx(slug: str):
    program = one_or_404(Program, slug=slug)
    return _dietary_xlsx(program, None, _file_name(program, "pantangan-makanan", "xlsx"))


@bp.get("/programs/<slug>/dietary.csv")
def dietary_csv(slug: str):
    program = one_or_404(Program, slug=slug)
    return _dietary_csv(program, None, _file_name(program, "pantangan-makanan", "csv"))


@bp.get("/delegations/<public_id>/dietary.xlsx")
def delegation_dietary_xlsx(public_id: str):
    delegation = one_or_404(Delegation, joinedload(Delegation.program), public_id=public_id)
    program = delegation.program
    name = _file_name(program, "pantangan-makanan", "xlsx", delegation.institution)
    return _dietary_xlsx(program, delegation, name)


@bp.get("/delegations/<public_id>/dietary.csv")
def delegation_dietary_csv(public_id: str):
    delegation = one_or_404(Delegation, joinedload(Delegation.program), public_id=public_id)
    program = delegation.program
    name = _file_name(program, "pantangan-makanan", "csv", delegation.institution)
    return _dietary_csv(program, delegation, name)


# Manifest of one agenda item ---------------------------------------------------------------


def _manifest_rows(item: AgendaItem) -> Iterator[list]:
    yes, no = _("yes"), _("no")
    for number, member in enumerate(queries.manifest(item), 1):
        yield [
            number,
            member.full_name,
            member.institution,
            member.phone,
            yes if member.health_certificate else no,
            member.dietary,
        ]


def _manifest_name(item: AgendaItem, extension: str) -> str:
    day = f"{item.local_start:%Y%m%d}"
    return _file_name(item.program, "manifes", extension, item.title, day)


@bp.get("/items/<public_id>/manifest.xlsx")
def manifest_xlsx(public_id: str):
    item = one_or_404(AgendaItem, *ITEM_WITH_PROGRAM_AND_VENUE, public_id=public_id)
    book = XlsxBook()
    book.add_sheet(f"{item.local_start:%d-%m} {item.title}", MANIFEST_COLUMNS)
    for row in _manifest_rows(item):
        book.append(row)
    return book.response(_manifest_name(item, "xlsx"))


@bp.get("/items/<public_id>/manifest.csv")
def manifest_csv(public_id: str):
    item = one_or_404(AgendaItem, *ITEM_WITH_PROGRAM_AND_VENUE, public_id=public_id)
    return csv_response(MANIFEST_COLUMNS, _manifest_rows(item), _manifest_name(item, "csv"))


# Arrivals and departures -------------------------------------------------------------------


def _arrival_rows(program: Program) -> list[list]:
    labels = Labels()
    registered = _("as registered")
    first_day = _("assumed: the program's first day")
    last_day = _("assumed: the program's last day")
    rows = []
    for number, (delegation, count) in enumerate(queries.arrivals(program), 1):
        rows.append(
            [
                number,
                delegation.institution,
                labels.status.get(delegation.status, delegation.status),
                count,
                delegation.arrives_on or program.first_day,
                registered if delegation.arrives_on else first_day,
                delegation.arrival_notes,
                delegation.departs_on or program.last_day,
                registered if delegation.departs_on else last_day,
                delegation.departure_notes,
                delegation.contact_name,
                delegation.contact_phone,
            ]
        )
    return rows


@bp.get("/programs/<slug>/arrivals.xlsx")
def arrivals_xlsx(slug: str):
    program = one_or_404(Program, slug=slug)
    book = XlsxBook()
    book.add_sheet(_("Arrivals and departures"), ARRIVAL_COLUMNS)
    for row in _arrival_rows(program):
        book.append(row)
    return book.response(_file_name(program, "kedatangan-kepulangan", "xlsx"))


@bp.get("/programs/<slug>/arrivals.csv")
def arrivals_csv(slug: str):
    program = one_or_404(Program, slug=slug)
    rows = _arrival_rows(program)
    return csv_response(ARRIVAL_COLUMNS, rows, _file_name(program, "kedatangan-kepulangan", "csv"))
