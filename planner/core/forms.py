"""The form base every area uses: whitespace stripped, control characters refused."""

from collections.abc import Mapping
from typing import Any, ClassVar, get_args, get_origin

import wtforms
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import Field, FloatField, HiddenField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.meta import DefaultMeta
from wtforms.validators import ValidationError

from planner.core import labels
from planner.core.records import Record
from planner.core.text import CONTROL_CHARACTERS, NOT_IN_ONE_LINE


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def normalised(function):
    """A WTForms validator that stores the normalised value back into the field."""

    def validator(form, field):
        if field.data:
            try:
                field.data = function(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from None

    return validator


def strip_text(value):
    """Surrounding whitespace dropped, and a browser's CRLF line breaks made plain newlines."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def no_control_characters(form, field: Field) -> None:
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this field."))


def one_line(form, field: Field) -> None:
    if isinstance(field.data, str) and NOT_IN_ONE_LINE.search(field.data):
        raise ValidationError(
            _l("Write this on one line, without line breaks, tabs or invisible characters.")
        )


# WTForms ships no Indonesian catalog: its built-in messages are translated in ours.
# Listed here so that `make translations` extracts them.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid email address."),
    _l("Not a valid choice."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid datetime value."),
    _l("Not a valid integer value."),
    _l("Not a valid float value."),
    _l("Not a valid decimal value."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Field must be equal to %(other_name)s."),
    _l("Invalid input."),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    _ln(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
)


class _Translations:
    """WTForms' translations interface, answered from the app's own catalog (unformatted:
    WTForms fills in the values itself)."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class PlannerMeta:
    """Strips surrounding whitespace from every text input, refuses control characters, and
    speaks the page's language."""

    def get_translations(self, form):
        return _Translations()

    def bind_field(self, form, unbound_field, options):
        if issubclass(unbound_field.field_class, wtforms.FormField | wtforms.FieldList):
            return unbound_field.bind(form=form, **options)
        filters = list(unbound_field.kwargs.get("filters", []))
        if strip_text not in filters:
            filters.append(strip_text)
        options["filters"] = filters
        validators = list(unbound_field.kwargs.get("validators") or [])
        validators.append(no_control_characters)
        if not issubclass(unbound_field.field_class, wtforms.TextAreaField | wtforms.PasswordField):
            validators.append(one_line)
        options["validators"] = validators
        return unbound_field.bind(form=form, **options)


class Form(FlaskForm):
    """A page's form, with its CSRF token."""

    class Meta(PlannerMeta, FlaskForm.Meta):
        pass


class SubForm(wtforms.Form):
    """A form inside a form (FormField, FieldList rows): no CSRF token of its own."""

    class Meta(PlannerMeta, DefaultMeta):
        pass


def optional_int(value):
    return None if value in ("", None) else value


class DecimalCommaField(FloatField):
    """A number with decimals as Indonesians write them too: "-8,2192" is -8.2192."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            typed = valuelist[0].strip()
            if typed.count(",") == 1 and "." not in typed:
                valuelist = [typed.replace(",", ".")]
        super().process_formdata(valuelist)


class VersionedForm(Form):
    """Carries the version of the record the editor saw, to catch concurrent edits."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class RecordFields:
    """A form (or a form's part) showing a record type's fields, by the same names.

    `load(values)` shows record values; `record_values()` reads them back. A field the form
    shows in another shape (an item's start as a day and a time) has `load_<name>(value)`
    and `read_<name>()` methods instead of a form field of its name. A form that lacks one
    of the record's fields cannot be defined.
    """

    record: ClassVar[type[Record]]
    # The model the record is kept as: the form's labels name its fields in the audit trail.
    record_type: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        record = cls.__dict__.get("record")
        if record is None:
            return
        missing = [
            name
            for name in record.names()
            if not isinstance(getattr(cls, name, None), UnboundField)
            and not (hasattr(cls, f"load_{name}") and hasattr(cls, f"read_{name}"))
        ]
        if missing:
            raise TypeError(f"{cls.__name__} shows no field for {', '.join(missing)}")
        if cls.__dict__.get("record_type"):
            labels.register(cls.record_type, fields=cls.field_labels())

    @classmethod
    def field_labels(cls, prefix: str = "") -> dict[str, Any]:
        """The label of each of the record's fields that the form shows, by attribute name."""
        found = {}
        for name in cls.record.names():
            unbound = getattr(cls, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            if unbound.field_class is wtforms.FormField:
                found.update(unbound.args[0].field_labels(prefix=f"{prefix}{name}_"))
            elif unbound.field_class is wtforms.FieldList:  # its first argument is the row
                if unbound.kwargs.get("label"):
                    found[prefix + name] = unbound.kwargs["label"]
            elif unbound.args or unbound.kwargs.get("label"):
                found[prefix + name] = unbound.args[0] if unbound.args else unbound.kwargs["label"]
        return found

    def show(self, row) -> None:
        """Pre-fill the form from a row, with the version the editor saw (where it has one)."""
        self.load(self.record.of(row))
        if "version" in self._fields:
            self.version.data = row.version

    def load(self, values: Mapping[str, Any]) -> None:
        nested = self.record.nested()
        for name in self.record.names():
            if name not in values:
                continue
            value = values[name]
            if hasattr(self, f"load_{name}"):
                getattr(self, f"load_{name}")(value)
            elif name in nested:
                self[name].form.load(value or {})
            else:
                self[name].data = value

    def record_values(self) -> dict[str, Any]:
        nested = self.record.nested()
        values = {}
        for name, info in self.record.model_fields.items():
            if hasattr(self, f"read_{name}"):
                values[name] = getattr(self, f"read_{name}")()
            elif name in nested:
                values[name] = self[name].form.record_values()
            else:
                values[name] = _as_record_value(info.annotation, self[name].data)
        return values

    def values(self) -> dict[str, Any]:
        """The form's values as the row's attributes, for the area's update functions."""
        return self.record.attributes(self.record_values())


def _as_record_value(annotation, value):
    """An empty input is None where the record allows it, else an empty text or list."""
    allows_none = type(None) in get_args(annotation)
    if value == "" and allows_none:
        return None
    if value is None and not allows_none:
        if annotation is str:
            return ""
        if get_origin(annotation) is list:
            return []
    return value


def formdata_of(form) -> MultiDict:
    """What a browser posts back for the form as it is shown: the way values that did not
    come from a page (the JSON API's) meet exactly the rules a page's input meets."""
    posted = MultiDict()
    for field in form:
        if isinstance(field, wtforms.FormField):
            posted.update(formdata_of(field.form))
        elif isinstance(field, wtforms.FieldList):
            for entry in field.entries:
                posted.update(formdata_of(entry.form) if hasattr(entry, "form") else {})
        elif isinstance(field, wtforms.BooleanField):
            if field.data:
                posted.add(field.name, "y")
        elif isinstance(field, wtforms.SelectMultipleField):
            for value in field.data or []:
                posted.add(field.name, str(value))
        elif isinstance(field, wtforms.SelectField):
            if field.data is not None:
                posted.add(field.name, str(field.data))
        elif isinstance(field, FileField | CSRFTokenField):
            continue
        else:
            posted.add(field.name, field._value())
    return posted
