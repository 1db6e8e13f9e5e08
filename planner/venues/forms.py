from babel.dates import get_day_names
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
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

from planner.core.forms import (
    DecimalCommaField,
    Form,
    RecordFields,
    VersionedForm,
    optional_int,
    options,
)
from planner.core.i18n import current_language
from planner.venues.models import ClosureKind
from planner.venues.records import VenueFields


def weekday_names() -> dict[int, str]:
    """Monday (0) to Sunday (6) in the page's language, from CLDR."""
    return dict(get_day_names("wide", locale=current_language()))


WEEKS = [(1, _l("first")), (2, _l("second")), (3, _l("third")), (4, _l("fourth")), (-1, _l("last"))]


class VenueForm(RecordFields, VersionedForm):
    record = VenueFields
    record_type = "Venue"

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    latitude = DecimalCommaField(
        _l("Latitude"),
        filters=[optional_int],
        validators=[Optional(), NumberRange(min=-90, max=90)],
        description=_l("e.g. -8.2192 (south of the equator is negative)"),
    )
    longitude = DecimalCommaField(
        _l("Longitude"),
        filters=[optional_int],
        validators=[Optional(), NumberRange(min=-180, max=180)],
        description=_l("e.g. 114.3691"),
    )
    seats = IntegerField(
        _l("Seats"), filters=[optional_int], validators=[Optional(), NumberRange(min=1, max=100000)]
    )
    opens_at = TimeField(_l("Opens at"), validators=[Optional()])
    closes_at = TimeField(
        _l("Closes at"),
        validators=[Optional()],
        description=_l(
            "Leave both empty if always open. A closing time before the opening time means "
            "open past midnight."
        ),
    )
    shared_use = BooleanField(
        _l("Several groups at once"),
        description=_l(
            "For an open-air site such as Pos Paltuding: items of several programs may take "
            "place here at the same time without a clash (the seats, when given, still count)."
        ),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def validate(self, extra_validators=None) -> bool:
        # Pairs are checked here: an empty field's own validators stop at Optional().
        valid = super().validate(extra_validators)
        coordinates_read = not (self.latitude.errors or self.longitude.errors)
        if coordinates_read and (self.latitude.data is None) != (self.longitude.data is None):
            self.longitude.errors = [
                *self.longitude.errors,
                _l("Give both latitude and longitude, or neither."),
            ]
            valid = False
        if (self.opens_at.data is None) != (self.closes_at.data is None):
            self.closes_at.errors = [
                *self.closes_at.errors,
                _l("Give both opening and closing time, or neither."),
            ]
            valid = False
        elif self.closes_at.data is not None and self.closes_at.data == self.opens_at.data:
            self.closes_at.errors = [
                *self.closes_at.errors,
                _l("The closing time must differ from the opening time."),
            ]
            valid = False
        return valid


class ClosureForm(Form):
    kind = SelectField(
        _l("Closed"),
        choices=options(
            [
                (ClosureKind.DATES.value, _l("on these dates")),
                (ClosureKind.MONTHLY.value, _l("every month on")),
            ]
        ),
    )
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("Until"), validators=[Optional()])
    week_of_month = SelectField(_l("Week"), choices=options(WEEKS), coerce=int, default=1)
    weekday = SelectField(_l("Weekday"), choices=[], coerce=int, default=4)
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekday.choices = options(weekday_names().items())

    def validate_starts_on(self, field):
        if self.kind.data == ClosureKind.DATES and field.data is None:
            raise ValidationError(_l("Give the first closed day."))

    def validate_ends_on(self, field):
        if self.kind.data != ClosureKind.DATES:
            return
        if field.data is None:
            raise ValidationError(_l("Give the last closed day."))
        if self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(
                _l("The last day cannot be before the first day. Check both dates.")
            )


class TravelTimeForm(Form):
    to_venue = SelectField(_l("To"), choices=[], validators=[InputRequired()])
    minutes = IntegerField(
        _l("Minutes on the road"), validators=[InputRequired(), NumberRange(min=0, max=24 * 60)]
    )
