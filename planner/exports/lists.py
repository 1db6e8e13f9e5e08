"""The lists staff download, each with one row source written as .xlsx (its sheets) or as
.csv (its one table), as pretix's ListExporter does.

Participants, dietary needs per meal, the manifest of one agenda item, arrivals and
departures; headers in the reader's language.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.core.text import slugify
from planner.delegations.labels import GENDER_LABELS, ROLE_LABELS, STATUS_LABELS
from planner.delegations.models import Delegation
from planner.exports import queries
from planner.exports.cells import Phone
from planner.exports.spreadsheets import Column
from planner.programs.models import AgendaItem, Program

NUMBER = Column(_l("No."), 5)
INSTITUTION = Column(_l("Institution"), 40)
FULL_NAME = Column(_l("Full name"), 32)
PHONE = Column(_l("Phone"), 18)
DIETARY = Column(_l("Dietary needs"), 28)
STATUS = Column(_l("Status"), 22)
MEMBERS = Column(_l("Members"), 10)
CONTACT = Column(_l("Contact person"), 26)
CONTACT_PHONE = Column(_l("Contact phone"), 18)
MEAL, DATE, TIME, COUNT = (
    Column(_l("Meal"), 32),
    Column(_l("Date"), 12),
    Column(_l("Time"), 8),
    Column(_l("Count"), 8),
)
MEMBER_COLUMNS = [
    FULL_NAME,
    Column(_l("Position (jabatan)"), 32),
    Column(_l("NIP"), 20),
    Column(_l("Rank / grade"), 22),
    Column(_l("Gender"), 16),
    PHONE,
    Column(_l("E-mail"), 30),
    DIETARY,
    Column(_l("Role"), 14),
    STATUS,
]

SUMMARY_COLUMNS = [
    NUMBER,
    INSTITUTION,
    Column(_l("Province"), 22),
    STATUS,
    MEMBERS,
    Column(_l("Leader"), 40),
    CONTACT,
    CONTACT_PHONE,
    Column(_l("Contact e-mail"), 30),
]


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterator[list]


class Words:
    """Translated words, looked up once per export rather than once per row."""

    def __init__(self):
        self.status = {key.value: str(label) for key, label in STATUS_LABELS.items()}
        self.role = {key.value: str(label) for key, label in ROLE_LABELS.items()}
        self.gender = {key.value: str(label) for key, label in GENDER_LABELS.items()}
        self.yes, self.no = _("yes"), _("no")

    def member(self, member) -> list:
        return [
            member.full_name,
            member.position,
            member.nip,
            member.rank,
            self.gender.get(member.gender or "", member.gender),
            Phone(member.phone),
            member.email,
            member.dietary,
            self.role.get(member.role, member.role),
            self.status.get(member.status, member.status),
        ]


class Export:
    """A list: its sheets for a workbook, and one table of the same rows for a CSV file."""

    name: str  # in the file name, e.g. "peserta"

    def __init__(self, program: Program, delegation: Delegation | None = None):
        self.program = program
        self.delegation = delegation
        self.words = Words()

    def filename(self, extension: str) -> str:
        parts = [self.program.slug, self.name]
        if self.delegation is not None:
            parts.append(slugify(self.delegation.institution))
        return "-".join(parts) + "." + extension

    def sheets(self) -> Iterator[Sheet]:
        yield self.table()

    def table(self) -> Sheet:
        raise NotImplementedError


class Participants(Export):
    """A summary of the delegations and a sheet of members for each; as CSV, every member
    with their institution."""

    name = "peserta"

    def sheets(self) -> Iterator[Sheet]:
        delegations = queries.delegations_with_counts(self.program, self.delegation)
        yield Sheet(_("Summary"), SUMMARY_COLUMNS, self._summary(delegations))
        members = groupby(
            queries.participants(self.program, self.delegation), key=lambda m: m.delegation_id
        )
        current = next(members, None)
        for row, _count in delegations:
            if current is None or current[0] != row.id:
                yield Sheet(row.institution, [NUMBER, *MEMBER_COLUMNS], iter(()))
                continue
            yield Sheet(row.institution, [NUMBER, *MEMBER_COLUMNS], self._numbered(current[1]))
            current = next(members, None)  # only once the sheet is written: groups share rows

    def _summary(self, delegations) -> Iterator[list]:
        for number, (row, count) in enumerate(delegations, 1):
            yield [
                number,
                row.institution,
                row.province,
                self.words.status.get(row.status, row.status),
                count,
                f"{row.leader_name}, {row.leader_title}",
                row.contact_name,
                Phone(row.contact_phone),
                row.contact_email,
            ]

    def _numbered(self, members) -> Iterator[list]:
        for number, member in enumerate(members, 1):
            yield [number, *self.words.member(member)]

    def table(self) -> Sheet:
        def rows() -> Iterator[list]:
            listed = queries.participants(self.program, self.delegation)
            for number, member in enumerate(listed, 1):
                yield [number, member.institution, *self.words.member(member)]

        return Sheet(_("Participants"), [NUMBER, INSTITUTION, *MEMBER_COLUMNS], rows())


class Dietary(Export):
    """Each meal's diners grouped by dietary need: a summary and a sheet per meal."""

    name = "pantangan-makanan"

    def __init__(self, program: Program, delegation: Delegation | None = None):
        super().__init__(program, delegation)
        self.meals = queries.meals(program, delegation)
        self.none = _("No special needs")

    def sheets(self) -> Iterator[Sheet]:
        yield Sheet(
            _("Summary"),
            [MEAL, DATE, TIME, Column(_l("Venue"), 28), DIETARY, COUNT],
            self._summary(),
        )
        for meal in self.meals:
            start = meal.item.local_start
            yield Sheet(
                f"{start:%d-%m} {meal.item.title}",
                [NUMBER, DIETARY, FULL_NAME, INSTITUTION, PHONE],
                self._diners(meal),
            )

    def _summary(self) -> Iterator[list]:
        total = _("All diners")
        for meal in self.meals:
            start = meal.item.local_start
            where = meal.item.venue.name if meal.item.venue else ""
            head = [meal.item.title, start.date(), start.time(), where]
            for group in meal.groups:
                yield [*head, group.label or self.none, len(group.members)]
            yield [*head, total, meal.attendees]

    def _diners(self, meal) -> Iterator[list]:
        diners = (
            (group.label or self.none, member) for group in meal.groups for member in group.members
        )
        for number, (need, member) in enumerate(diners, 1):
            yield [number, need, member.full_name, member.institution, Phone(member.phone)]

    def table(self) -> Sheet:
        def rows() -> Iterator[list]:
            for meal in self.meals:
                start = meal.item.local_start
                for group in meal.groups:
                    for number, member in enumerate(group.members, 1):
                        yield [
                            meal.item.title,
                            start.date(),
                            start.time(),
                            group.label or self.none,
                            len(group.members),
                            number,
                            member.full_name,
                            member.institution,
                            Phone(member.phone),
                        ]

        columns = [MEAL, DATE, TIME, DIETARY, COUNT, NUMBER, FULL_NAME, INSTITUTION, PHONE]
        return Sheet(_("Dietary needs"), columns, rows())


class Manifest(Export):
    """Who goes to one agenda item (for an optional one, those who chose it)."""

    name = "manifes"

    def __init__(self, item: AgendaItem):
        super().__init__(item.program)
        self.item = item

    def filename(self, extension: str) -> str:
        day = f"{self.item.local_start:%Y%m%d}"
        return f"{self.program.slug}-{self.name}-{slugify(self.item.title)}-{day}.{extension}"

    def table(self) -> Sheet:
        def rows() -> Iterator[list]:
            for number, member in enumerate(queries.manifest(self.item), 1):
                yield [
                    number,
                    member.full_name,
                    member.institution,
                    Phone(member.phone),
                    self.words.yes if member.health_certificate else self.words.no,
                    member.dietary,
                ]

        columns = [
            NUMBER,
            FULL_NAME,
            INSTITUTION,
            PHONE,
            Column(_l("Health certificate"), 18),
            DIETARY,
        ]
        return Sheet(f"{self.item.local_start:%d-%m} {self.item.title}", columns, rows())


class Arrivals(Export):
    """Delegations holding seats by arrival date; dates not given are the program's days,
    and say so."""

    name = "kedatangan-kepulangan"

    def table(self) -> Sheet:
        program = self.program
        registered = _("as registered")
        first_day = _("assumed: the program's first day")
        last_day = _("assumed: the program's last day")

        def rows() -> Iterator[list]:
            for number, (delegation, count) in enumerate(queries.arrivals(program), 1):
                yield [
                    number,
                    delegation.institution,
                    self.words.status.get(delegation.status, delegation.status),
                    count,
                    delegation.arrives_on or program.first_day,
                    registered if delegation.arrives_on else first_day,
                    delegation.arrival_notes,
                    delegation.departs_on or program.last_day,
                    registered if delegation.departs_on else last_day,
                    delegation.departure_notes,
                    delegation.contact_name,
                    Phone(delegation.contact_phone),
                ]

        columns = [
            NUMBER,
            INSTITUTION,
            STATUS,
            MEMBERS,
            Column(_l("Arrives on"), 12),
            Column(_l("Arrival date is"), 30),
            Column(_l("Arrival notes"), 36),
            Column(_l("Departs on"), 12),
            Column(_l("Departure date is"), 30),
            Column(_l("Departure notes"), 36),
            CONTACT,
            CONTACT_PHONE,
        ]
        return Sheet(_("Arrivals and departures"), columns, rows())


class Checkins(Export):
    """Who was checked in where and when, point by point, with who scanned and how."""

    name = "absensi"

    def table(self) -> Sheet:
        tz = self.program.tz
        sources = {"scan": _("QR code"), "name": _("by name"), "manual": _("corrected by hand")}

        def rows() -> Iterator[list]:
            for number, (point, checkin, member, institution) in enumerate(
                queries.checkins(self.program), 1
            ):
                yield [
                    number,
                    point.title,
                    institution,
                    member.full_name,
                    member.position,
                    checkin.scanned_at.astimezone(tz).replace(tzinfo=None),
                    checkin.staff_label,
                    checkin.device,
                    sources.get(checkin.source, checkin.source),
                ]

        columns = [
            NUMBER,
            Column(_l("Check-in point"), 30),
            INSTITUTION,
            FULL_NAME,
            Column(_l("Position (jabatan)"), 28),
            Column(_l("Checked in at"), 18),
            Column(_l("Scanned by"), 28),
            Column(_l("Device"), 20),
            Column(_l("How"), 16),
        ]
        return Sheet(_("Check-ins"), columns, rows())


PROGRAM_EXPORTS = {
    "participants": Participants,
    "dietary": Dietary,
    "arrivals": Arrivals,
    "checkins": Checkins,
}
DELEGATION_EXPORTS = {"participants": Participants, "dietary": Dietary}
