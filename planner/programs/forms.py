"""Staff forms for programs and agenda items; times are entered in the program's zone."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from planner.core.forms import (
    Form,
    RecordFields,
    VersionedForm,
    normalised,
    optional_int,
    options,
)
from planner.core.i18n import ZONE_LABELS, format_day
from planner.core.text import slugify
from planner.core.validation import normalise_nip, normalise_phone
from planner.programs.labels import KIND_LABELS
from planner.programs.models import DEFAULT_MEMBERS_PER_DELEGATION, ItemKind
from planner.programs.queries import program_days
from planner.programs.records import ItemFields, ProgramFields
from planner.programs.times import to_utc

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIMEZONE_CHOICES = [(zone, f"{label} ({zone})") for zone, label in ZONE_LABELS.items()]


class ProgramForm(RecordFields, VersionedForm):
    record = ProgramFields
    record_type = "Program"

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens; made from the title if empty."),
    )
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    first_day = DateField(_l("First day"), validators=[InputRequired()])
    last_day = DateField(_l("Last day"), validators=[InputRequired()])
    timezone = SelectField(
        _l("Time zone"), choices=options(TIMEZONE_CHOICES), default="Asia/Jakarta"
    )
    listed = BooleanField(_l("Listed on the home page"), default=True)
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    members_per_delegation = IntegerField(
        _l("Members per delegation"),
        default=DEFAULT_MEMBERS_PER_DELEGATION,
        validators=[InputRequired(), NumberRange(min=1, max=200)],
    )
    max_delegations = IntegerField(
        _l("Most delegations"),
        filters=[optional_int],
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    max_participants = IntegerField(
        _l("Most participants"),
        filters=[optional_int],
        validators=[Optional(), NumberRange(min=1, max=100000)],
    )
    requires_approval = BooleanField(_l("Registrations need approval"), default=True)
    waitlist = BooleanField(_l("Take a waitlist when full"), default=True)
    host_official_name = StringField(
        _l("Signing official"),
        validators=[Optional(), Length(max=200)],
        description=_l("Signs the delegations' travel orders (SPPD) at the foot of the list."),
    )
    host_official_title = StringField(
        _l("Signing official's position"), validators=[Optional(), Length(max=200)]
    )
    host_official_nip = StringField(
        _l("Signing official's NIP"),
        validators=[Optional(), Length(max=40), normalised(normalise_nip)],
    )

    protocol_contact_name = StringField(
        _l("Protocol contact on the day"),
        validators=[Optional(), Length(max=200)],
        description=_l("Shown on every itinerary, also offline: whom participants call."),
    )
    protocol_contact_phone = TelField(
        _l("Protocol contact's phone"),
        validators=[Optional(), Length(max=40), normalised(normalise_phone)],
    )

    def validate_slug(self, field):
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(
                _l(
                    "The web address may only hold lower-case letters, digits and hyphens, e.g. "
                    "studi-tiru-mpp-2026."
                )
            )

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(
                _l("The last day cannot be before the first day. Check both dates.")
            )
        if (
            self.first_day.data
            and field.data
            and field.data - self.first_day.data > timedelta(days=60)
        ):
            raise ValidationError(
                _l(
                    "A program can last at most 60 days. Choose an earlier last day, or split it "
                    "into two programs."
                )
            )

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(
                _l("Registration must close after it opens. Check both dates and times.")
            )

    def load_registration_opens_at(self, moment: datetime | None) -> None:
        self.registration_opens_at.data = self._local(moment)

    def load_registration_closes_at(self, moment: datetime | None) -> None:
        self.registration_closes_at.data = self._local(moment)

    def read_registration_opens_at(self) -> datetime | None:
        return self._utc(self.registration_opens_at.data)

    def read_registration_closes_at(self) -> datetime | None:
        return self._utc(self.registration_closes_at.data)

    def load_slug(self, slug: str) -> None:
        self.slug.data = slug

    def read_slug(self) -> str:
        return self.slug.data or slugify(self.title.data or "")

    def _zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone.data)
        except (TypeError, ValueError, KeyError, OSError):
            return ZoneInfo("Asia/Jakarta")  # the zone's own field refuses it

    def _local(self, moment: datetime | None) -> datetime | None:
        """The program's wall-clock time, as the page shows and takes it."""
        return moment.astimezone(self._zone()).replace(tzinfo=None) if moment else None

    def _utc(self, local: datetime | None) -> datetime | None:
        return local.replace(tzinfo=self._zone()).astimezone(UTC) if local else None


class ItemForm(RecordFields, VersionedForm):
    """An item's start and end are a day of the program and two wall-clock times."""

    record = ItemFields
    record_type = "AgendaItem"

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options(KIND_LABELS.items()), default=ItemKind.BRIEFING)
    day = SelectField(_l("Day"), validators=[DataRequired()])
    start = TimeField(_l("Starts"), validators=[InputRequired()])
    end = TimeField(_l("Ends"), validators=[InputRequired()])
    venue = SelectField(_l("Place"), choices=[], default="")
    presenter = StringField(_l("Host official or presenter"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    requirements = TextAreaField(
        _l("Requirements"),
        validators=[Length(max=2000)],
        description=_l("What to bring or to know, e.g. a 3 km uphill walk, a warm jacket."),
    )
    dress_code = StringField(_l("Dress code"), validators=[Length(max=200)])
    capacity = IntegerField(
        _l("Capacity"),
        filters=[optional_int],
        validators=[Optional(), NumberRange(min=1, max=100000)],
        description=_l("Seats for all delegations together; empty means no limit."),
    )
    optional = BooleanField(_l("Optional: participants opt in"))
    reminder_minutes = IntegerField(
        _l("Reminder (minutes before)"),
        default=60,
        validators=[InputRequired(), NumberRange(min=0, max=7 * 24 * 60)],
    )

    def __init__(self, program, venues, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.day.choices = options(
            (day.isoformat(), format_day(day)) for day in program_days(program)
        )
        self.venue.choices = options(
            [("", _l("— no place —"))] + [(venue.public_id, venue.name) for venue in venues]
        )
        self._venues = {venue.public_id: venue for venue in venues}

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(
                _l("The end must be after the start. Check the start and end times.")
            )

    def load_starts_at(self, moment: datetime | None) -> None:
        if moment is not None:
            local = moment.astimezone(self.program.tz)
            self.day.data, self.start.data = local.date().isoformat(), local.time()

    def load_ends_at(self, moment: datetime | None) -> None:
        if moment is not None:
            self.end.data = moment.astimezone(self.program.tz).time()

    def load_venue_id(self, public_id: str | None) -> None:
        self.venue.data = public_id or ""

    def read_starts_at(self) -> datetime:
        return to_utc(self._day(), self.start.data, self.program.timezone)

    def read_ends_at(self) -> datetime:
        return to_utc(self._day(), self.end.data, self.program.timezone)

    def read_venue_id(self) -> str | None:
        return self.venue.data or None

    def _day(self) -> date:
        return date.fromisoformat(self.day.data)

    def values(self) -> dict:
        values = super().values()
        venue = self._venues.get(values["venue_id"] or "")
        values["venue_id"] = venue.id if venue else None
        return values


class CopyForm(Form):
    first_day = DateField(_l("New first day"), validators=[InputRequired()])
    title = StringField(_l("Title of the copy"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Web address"), validators=[Optional(), Length(max=80)])

    def validate_slug(self, field):
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(
                _l(
                    "The web address may only hold lower-case letters, digits and hyphens, e.g. "
                    "studi-tiru-mpp-2026."
                )
            )
