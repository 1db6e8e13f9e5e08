"""Saving a delegation's forms: the domain change in one transaction, refusals at the form."""

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from planner.core.database import db
from planner.core.records import StaleEdit
from planner.delegations import capacity, registration
from planner.delegations.forms import RegistrationForm


def save_form(form: RegistrationForm, act) -> bool:
    """Run `act` in the transaction; put any refusal at the form. True when committed."""
    try:
        act()
        db.session.commit()
        return True
    except registration.RegistrationRefused as refusal:
        form.attach_errors(refusal.errors)
    except capacity.CapacityError as refusal:
        form.members_errors.append(refusal.message)
    except registration.RegistrationClosed as refusal:
        form.members_errors.append(refusal.message)
    except (StaleEdit, StaleDataError):
        form.members_errors.append(
            _(
                "Someone else changed this delegation while you were editing. Reload the page "
                "and make your change again."
            )
        )
    db.session.rollback()
    return False


def save_edit(delegation, form: RegistrationForm, actor_label: str | None = None) -> bool:
    """The edit form's changes, all or nothing: details, members, letter."""

    def act():
        registration.update_details(
            delegation, form.delegation_data(), form.seen_version(), actor_label=actor_label
        )
        registration.replace_members(delegation, form.members_data(), actor_label=actor_label)
        if form.letter():
            registration.set_letter(delegation, form.letter(), actor_label=actor_label)

    return save_form(form, act)
