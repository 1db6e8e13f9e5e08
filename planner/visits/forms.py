"""The request form (field names follow the JSON API's, flattened the WTForms way:
institution, region_code, contact-name, request_letter-file, wished_dates-0-first_day, topics,
size) and staff's decision forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from planner.core import idempotency
from planner.core.forms import Form, RecordFields, SubForm, VersionedForm, optional_int
from planner.delegations.forms import MultiCheckboxField, SenderFields
from planner.visits import requesting
from planner.visits.records import DateRange, RequestFields

RANGE_ROWS = requesting.MAX_RANGES


class DateRangeForm(RecordFields, SubForm):
    record = DateRange

    first_day = DateField(_l("From"), validators=[Optional()])
    last_day = DateField(_l("Until"), validators=[Optional()])

    def is_blank(self) -> bool:
        return not (_typed(self.first_day) or _typed(self.last_day))


def _typed(field) -> bool:
    return field.data is not None or bool(field.raw_data and field.raw_data[0].strip())


class VisitRequestForm(SenderFields, RecordFields, Form):
    record = RequestFields
    record_type = "VisitRequest"

    idempotency_key = HiddenField(default=idempotency.new_key)
    wished_dates = FieldList(
        FormField(DateRangeForm),
        label=_l("Dates you would like"),
        min_entries=RANGE_ROWS,
        max_entries=RANGE_ROWS,
    )
    size = IntegerField(
        _l("Expected number of people"),
        filters=[optional_int],
        validators=[InputRequired()],
    )
    topics = MultiCheckboxField(_l("What you want to learn"), choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=3000)])

    def __init__(self, topics, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = topics
        self.topics.choices = [(topic.public_id, topic) for topic in topics]
        self.dates_errors: list = []

    def load_wished_dates(self, ranges) -> None:
        while len(self.wished_dates):
            self.wished_dates.pop_entry()
        for values in list(ranges)[:RANGE_ROWS]:
            self.wished_dates.append_entry()
            self.wished_dates[-1].form.load(values)
        while len(self.wished_dates) < RANGE_ROWS:
            self.wished_dates.append_entry()

    def read_wished_dates(self) -> list[dict]:
        return [row.form.record_values() for row in self.wished_dates if not row.form.is_blank()]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        rows = [row.form for row in self.wished_dates if not row.form.is_blank()]
        for row in rows:
            for field in (row.first_day, row.last_day):
                if field.data is None and not field.errors:
                    field.errors = [*field.errors, _l("This field is required.")]
                    valid = False
        if not valid:
            return False
        values = self.record_values()
        errors = {
            **requesting.date_problems([DateRange(**r) for r in values["wished_dates"]]),
            **requesting.size_problems(self.size.data),
            **requesting.topic_problems(self.topics.data or [], self.offered),
        }
        self.attach_errors(errors)
        return not errors

    def attach_errors(self, errors: dict) -> None:
        """Show the rules' refusals (paths like wished_dates.1.first_day) at their fields."""
        rows = [row.form for row in self.wished_dates if not row.form.is_blank()]
        for path, messages in errors.items():
            parts = path.split(".")
            if parts[0] == "wished_dates" and len(parts) == 3 and int(parts[1]) < len(rows):
                field = getattr(rows[int(parts[1])], parts[2])
            elif parts[0] == "wished_dates":
                self.dates_errors.extend(messages)
                continue
            else:
                field = self[parts[0]]
            field.errors = [*field.errors, *messages]

    def request_data(self) -> RequestFields:
        return RequestFields.model_validate(self.record_values())


class AcceptForm(VersionedForm):
    template = SelectField(_l("Program template"), choices=[], validators=[DataRequired()])
    first_day = DateField(_l("First day"), validators=[InputRequired()])
    title = StringField(_l("Program title"), validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField(
        _l("Message to the requester"), validators=[DataRequired(), Length(max=1000)]
    )


class MergeForm(VersionedForm):
    program = SelectField(_l("Planned visit"), choices=[], validators=[DataRequired()])
    reason = TextAreaField(
        _l("Message to the requester"), validators=[DataRequired(), Length(max=1000)]
    )


class ProposeForm(VersionedForm):
    first_day = DateField(_l("Proposed first day"), validators=[InputRequired()])
    last_day = DateField(_l("Proposed last day"), validators=[InputRequired()])
    reason = TextAreaField(_l("Why these dates"), validators=[DataRequired(), Length(max=1000)])


class DeclineForm(VersionedForm):
    reason = TextAreaField(
        _l("Reason, shown to the requester"), validators=[DataRequired(), Length(max=1000)]
    )


class WithdrawProposalForm(VersionedForm):
    pass


class AnswerForm(Form):
    """The requester's one tap on a proposal: which proposal they saw, and yes or no."""

    proposal = HiddenField()


class WithdrawForm(Form):
    pass


class ReplyForm(VersionedForm):
    reply_number = StringField(_l("Letter number"), validators=[Optional(), Length(max=100)])
    reply_date = DateField(_l("Letter date"), validators=[Optional()])
    reply_body = TextAreaField(_l("Letter text"), validators=[Optional(), Length(max=10000)])
