"""The form base every area uses: whitespace stripped, control characters refused."""

import wtforms
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import ValidationError

from planner.core.text import CONTROL_CHARACTERS


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def no_control_characters(form, field: Field) -> None:
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this field."))


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


class VersionedForm(Form):
    """Carries the version of the record the editor saw, to catch concurrent edits."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None
