"""Staff forms for programs and agenda items; times are entered in the program's zone."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
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

from planner.core.forms import Form, VersionedForm, optional_int, options
from planner.core.i18n import ZONE_LABELS, format_day
from planner.core.text import slugify
from planner.core.validation import normalise_nip
from planner.programs.models import DEFAULT_MEMBERS_PER_DELEGATION, ItemKind
from planner.programs.queries import program_days
from planner.programs.times import to_utc

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIMEZONE_CHOICES = [(zone, f"{label} ({zone})") for zone, label in ZONE_LABELS.items()]

KIND_LABELS = {
    ItemKind.WELCOME: _l("Welcome"),
    ItemKind.BRIEFING: _l("Briefing"),
    ItemKind.TOUR: _l("Tour"),
    ItemKind.FIELD_TRIP: _l("Field trip"),
    ItemKind.MEAL: _l("Meal"),
    ItemKind.TRANSFER: _l("Transfer"),
    ItemKind.FREE_TIME: _l("Free time"),
    ItemKind.CEREMONY: _l("Ceremony"),
    ItemKind.OTHER: _l("Other"),
}


class ProgramForm(VersionedForm):
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
        _l("Signing official's NIP"), validators=[Optional(), Length(max=40)]
    )

    def validate_host_official_nip(self, field):
        if field.data:
            try:
                field.data = normalise_nip(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def validate_slug(self, field):
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use only lower-case letters, digits and hyphens."))

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))
        if (
            self.first_day.data
            and field.data
            and field.data - self.first_day.data > timedelta(days=60)
        ):
            raise ValidationError(_l("A program can last at most 60 days."))

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))

    def _utc(self, local: datetime | None):
        if local is None:
            return None
        return local.replace(tzinfo=ZoneInfo(self.timezone.data)).astimezone(ZoneInfo("UTC"))

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "slug": self.slug.data or slugify(self.title.data),
            "summary": self.summary.data or "",
            "description": self.description.data or "",
            "first_day": self.first_day.data,
            "last_day": self.last_day.data,
            "timezone": self.timezone.data,
            "listed": self.listed.data,
            "registration_opens_at": self._utc(self.registration_opens_at.data),
            "registration_closes_at": self._utc(self.registration_closes_at.data),
            "members_per_delegation": self.members_per_delegation.data,
            "max_delegations": self.max_delegations.data,
            "max_participants": self.max_participants.data,
            "requires_approval": self.requires_approval.data,
            "waitlist": self.waitlist.data,
            "host_official_name": self.host_official_name.data or "",
            "host_official_title": self.host_official_title.data or "",
            "host_official_nip": self.host_official_nip.data or "",
        }

    def fill_from(self, program) -> None:
        for name in self.values_fields():
            getattr(self, name).data = getattr(program, name)
        tz = program.tz
        for name in ("registration_opens_at", "registration_closes_at"):
            moment = getattr(program, name)
            getattr(self, name).data = (
                moment.astimezone(tz).replace(tzinfo=None) if moment else None
            )
        self.version.data = program.version

    @staticmethod
    def values_fields():
        return (
            "title",
            "slug",
            "summary",
            "description",
            "first_day",
            "last_day",
            "timezone",
            "listed",
            "members_per_delegation",
            "max_delegations",
            "max_participants",
            "requires_approval",
            "waitlist",
        )


class ItemForm(VersionedForm):
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
            raise ValidationError(_l("The end must be after the start."))

    def starts_ends(self) -> tuple[datetime, datetime]:
        day = datetime.fromisoformat(self.day.data).date()
        tz = self.program.timezone
        return to_utc(day, self.start.data, tz), to_utc(day, self.end.data, tz)

    def values(self) -> dict:
        starts_at, ends_at = self.starts_ends()
        venue = self._venues.get(self.venue.data)
        return {
            "title": self.title.data,
            "kind": self.kind.data,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue_id": venue.id if venue else None,
            "presenter": self.presenter.data or "",
            "description": self.description.data or "",
            "requirements": self.requirements.data or "",
            "dress_code": self.dress_code.data or "",
            "capacity": self.capacity.data,
            "optional": self.optional.data,
            "reminder_minutes": self.reminder_minutes.data,
        }

    def fill_from(self, item) -> None:
        for name in (
            "title",
            "kind",
            "presenter",
            "description",
            "requirements",
            "dress_code",
            "capacity",
            "optional",
            "reminder_minutes",
        ):
            getattr(self, name).data = getattr(item, name)
        self.day.data = item.local_start.date().isoformat()
        self.start.data = item.local_start.time()
        self.end.data = item.local_end.time()
        self.venue.data = item.venue.public_id if item.venue else ""
        self.version.data = item.version


class CopyForm(Form):
    first_day = DateField(_l("New first day"), validators=[InputRequired()])
    title = StringField(_l("Title of the copy"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Web address"), validators=[Optional(), Length(max=80)])

    def validate_slug(self, field):
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use only lower-case letters, digits and hyphens."))
