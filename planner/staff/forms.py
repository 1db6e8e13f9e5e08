from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from planner.core.forms import Form, options
from planner.staff.accounts import MIN_PASSWORD_LENGTH
from planner.staff.labels import ROLE_LABELS
from planner.staff.models import Role

ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ResetRequestForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class InviteForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES), default=Role.STAFF.value)


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=options(ROLE_CHOICES))


class NewPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "The password is too short. Use at least %(min)d characters.",
                    min=MIN_PASSWORD_LENGTH,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo(
                "password",
                message=_l("The two passwords differ. Type the same new password in both fields."),
            ),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class ApiTokenForm(Form):
    name = StringField(
        _l("What the token is for"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("e.g. e-office integration"),
    )
