"""Staff forms for what the host offers: topics, templates and their items, the host's
settings, its logo and its holidays."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
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

from planner.core import labels
from planner.core.forms import Form, RecordFields, VersionedForm, normalised, optional_int, options
from planner.core.validation import normalise_nip, normalise_phone
from planner.delegations.forms import MultiCheckboxField
from planner.programs.labels import KIND_LABELS
from planner.programs.models import ItemKind
from planner.venues.forms import weekday_names
from planner.visits import catalog
from planner.visits.records import HostFields, TemplateFields, TemplateItemFields, TopicFields

MAX_LOGO_BYTES = 500 * 1024
# What a logo may be, by its first bytes. No SVG: an SVG is a document that can carry script.
LOGO_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def weekday_choices() -> list[tuple[int, str]]:
    """Monday (0) to Sunday (6), in the page's language."""
    return sorted(weekday_names().items())


class TopicForm(RecordFields, VersionedForm):
    record = TopicFields
    record_type = "Topic"

    title_id = StringField(
        _l("Title in Indonesian"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. Mal Pelayanan Publik (MPP)"),
    )
    title_en = StringField(
        _l("Title in English"),
        validators=[Optional(), Length(max=200)],
        description=_l("Shown to requesters who read the pages in English."),
    )
    summary_id = TextAreaField(_l("Summary in Indonesian"), validators=[Length(max=1000)])
    summary_en = TextAreaField(_l("Summary in English"), validators=[Length(max=1000)])
    unit = StringField(
        _l("Presented by"),
        validators=[Optional(), Length(max=200)],
        description=_l("The unit that presents it, e.g. DPMPTSP Kabupaten Banyuwangi"),
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=120,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=1, max=24 * 60)],
    )
    venues = MultiCheckboxField(_l("Places"), choices=[])
    unavailable_weekdays = MultiCheckboxField(_l("Not offered on"), choices=[], coerce=int)
    unavailable_note = StringField(
        _l("Other times it is not offered"),
        validators=[Optional(), Length(max=500)],
        description=_l("In words, e.g. not in the last week of December"),
    )
    active = BooleanField(_l("Offered: requesters can choose it"), default=True)
    sort_order = IntegerField(
        _l("Place in lists"),
        default=0,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=0, max=9999)],
        description=_l("Smaller numbers come first."),
    )

    def __init__(self, venues, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._venues = {venue.public_id: venue for venue in venues}
        self.venues.choices = [(venue.public_id, venue.name) for venue in venues]
        self.unavailable_weekdays.choices = weekday_choices()

    def validate_venues(self, field):
        if any(key not in self._venues for key in field.data or []):
            raise ValidationError(_l("Choose the places from the list."))

    def validate_unavailable_weekdays(self, field):
        if any(day not in range(7) for day in field.data or []):
            raise ValidationError(_l("Choose the weekdays from the list."))

    def load_unavailable_weekdays(self, days) -> None:
        self.unavailable_weekdays.data = list(days or [])

    def read_unavailable_weekdays(self) -> list[int]:
        return sorted(set(self.unavailable_weekdays.data or []))

    def load_venues(self, public_ids) -> None:
        self.venues.data = list(public_ids or [])

    def read_venues(self) -> list[str]:
        return [key for key in self.venues.data or [] if key in self._venues]

    def chosen_venues(self) -> list:
        return [self._venues[key] for key in self.read_venues()]


class TemplateForm(RecordFields, VersionedForm):
    record = TemplateFields
    record_type = "ProgramTemplate"

    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. Studi tiru MPP + SAKIP, 1 hari"),
    )
    summary = TextAreaField(_l("Summary"), validators=[Length(max=500)])
    days = IntegerField(
        _l("Number of days"),
        default=1,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=1, max=14)],
    )


class TemplateItemForm(RecordFields, Form):
    """An item of a template: a day of it (1 is the first) and two wall-clock times."""

    record = TemplateItemFields
    record_type = "ProgramTemplate"  # its changes are the template's in the audit trail

    day = IntegerField(
        _l("Day"),
        default=1,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=1)],
    )
    starts_at = TimeField(_l("Starts"), validators=[InputRequired()])
    ends_at = TimeField(
        _l("Ends"),
        validators=[InputRequired()],
        description=_l("An end before the start ends the next morning."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options(KIND_LABELS.items()), default=ItemKind.BRIEFING)
    venue = SelectField(_l("Place"), choices=[], default="")
    topic = SelectField(
        _l("Topic"),
        choices=[],
        default="",
        description=_l("Only when the request asks for this topic; otherwise in every visit."),
    )
    presenter = StringField(_l("Host official or presenter"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    requirements = TextAreaField(
        _l("Requirements"),
        validators=[Length(max=2000)],
        description=_l("What to bring or to know, e.g. a 3 km uphill walk, a warm jacket."),
    )
    dress_code = StringField(_l("Dress code"), validators=[Length(max=200)])
    optional = BooleanField(_l("Optional: participants opt in"))

    def __init__(self, template, venues, topics, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.venue.choices = options(
            [("", _l("— no place —"))] + [(venue.public_id, venue.name) for venue in venues]
        )
        self.topic.choices = options(
            [("", _l("— every visit —"))] + [(topic.public_id, topic.title_id) for topic in topics]
        )
        self._venues = {venue.public_id: venue for venue in venues}
        self._topics = {topic.public_id: topic for topic in topics}

    def validate_day(self, field):
        if field.data is not None and field.data >= 1:
            problem = catalog.item_day_problem(self.template, field.data)
            if problem:
                raise ValidationError(problem)

    def validate_ends_at(self, field):
        if field.data is not None and field.data == self.starts_at.data:
            raise ValidationError(_l("The end must differ from the start."))

    def load_venue_id(self, public_id: str | None) -> None:
        self.venue.data = public_id or ""

    def read_venue_id(self) -> str | None:
        return self.venue.data or None

    def load_topic_id(self, public_id: str | None) -> None:
        self.topic.data = public_id or ""

    def read_topic_id(self) -> str | None:
        return self.topic.data or None

    def values(self) -> dict:
        """The item's attributes, with the venue's and the topic's row ids."""
        values = super().values()
        venue = self._venues.get(values["venue_id"] or "")
        topic = self._topics.get(values["topic_id"] or "")
        values["venue_id"] = venue.id if venue else None
        values["topic_id"] = topic.id if topic else None
        return values


class HostForm(RecordFields, VersionedForm):
    record = HostFields
    record_type = "HostProfile"

    name = StringField(
        _l("Letterhead: government"),
        validators=[Optional(), Length(max=200)],
        description=_l("e.g. PEMERINTAH KABUPATEN BANYUWANGI"),
    )
    office = StringField(
        _l("Letterhead: office"),
        validators=[Optional(), Length(max=200)],
        description=_l("e.g. SEKRETARIAT DAERAH"),
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    place = StringField(
        _l("Place on letters"),
        validators=[Optional(), Length(max=100)],
        description=_l("Where the letters are written, e.g. Banyuwangi"),
    )
    lead_working_days = IntegerField(
        _l("Lead time (working days)"),
        default=5,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=0, max=60)],
        description=_l("Requests must name dates at least this many working days ahead."),
    )
    max_size = IntegerField(
        _l("Largest group (people)"),
        default=60,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=1, max=500)],
    )
    daily_delegations = IntegerField(
        _l("Delegations received per day"),
        default=2,
        filters=[optional_int],
        validators=[InputRequired(), NumberRange(min=1, max=20)],
        description=_l("A day with this many delegations is full."),
    )
    signing_official_name = StringField(
        _l("Signing official"),
        validators=[Optional(), Length(max=200)],
        description=_l("Signs the reply letters."),
    )
    signing_official_title = StringField(
        _l("Signing official's position"),
        validators=[Optional(), Length(max=200)],
        description=_l("e.g. Sekretaris Daerah Kabupaten Banyuwangi"),
    )
    signing_official_nip = StringField(
        _l("Signing official's NIP"),
        validators=[Optional(), Length(max=40), normalised(normalise_nip)],
        description=_l("18 digits; may be left empty."),
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[Optional(), Length(max=200)],
        description=_l("Whom requesters call, e.g. Bagian Protokol dan Komunikasi Pimpinan"),
    )
    contact_phone = TelField(
        _l("Contact phone"),
        validators=[Optional(), Length(max=40), normalised(normalise_phone)],
    )
    public_counter = BooleanField(
        _l("Show this year's visits on the home page"),
        description=_l(
            "The home page then says how many delegations from how many provinces came this "
            "year (approved delegations only; no names)."
        ),
    )


def logo_file(form, field):
    """A PNG or JPEG of at most 500 KB, told by its first bytes (not by its name or the type
    the browser claims); kept on the field as `content` and `content_type`."""
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        raise ValidationError(_l("Choose a PNG or JPEG file."))
    content = upload.stream.read(MAX_LOGO_BYTES + 1)
    if len(content) > MAX_LOGO_BYTES:
        raise ValidationError(_l("The logo may be at most 500 KB; make the picture smaller."))
    content_type = next(
        (kind for magic, kind in LOGO_TYPES.items() if content.startswith(magic)), None
    )
    if content_type is None:
        raise ValidationError(
            _l("The logo must be a PNG or JPEG picture (not SVG, PDF or another kind of file).")
        )
    field.content, field.content_type = content, content_type


class LogoForm(Form):
    logo = FileField(_l("Logo (PNG or JPEG, at most 500 KB)"), validators=[logo_file])


class HolidayForm(Form):
    day = DateField(_l("Date"), validators=[InputRequired()])
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. Hari Raya Natal, Cuti bersama"),
    )


labels.register("ProgramTemplate", fields={"venue": _l("Place"), "topic": _l("Topic")})
labels.register(
    "HostProfile",
    fields={
        "logo_type": _l("Logo"),
        "logo_size": _l("Logo size (bytes)"),
        "holiday_day": _l("Holiday"),
        "holiday_name": _l("Name of the holiday"),
    },
)
