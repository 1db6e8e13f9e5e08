from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Length

from planner.core.forms import Form, normalised
from planner.core.validation import normalise_email


class LostLinkForm(Form):
    email = EmailField(
        _l("The contact's e-mail address"),
        validators=[DataRequired(), Length(max=254), normalised(normalise_email)],
    )


class NoticeForm(Form):
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])
