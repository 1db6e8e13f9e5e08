"""Saving a delegation's forms: the domain change in one transaction, refusals at the form."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from planner.core import confirm
from planner.core.database import db
from planner.core.records import StaleEdit
from planner.delegations import capacity, confirmations, registration
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


ADDED_ROWS = 5


def pasting() -> bool:
    """The paste button, or a list left in the paste box when the form is sent: the rows are
    filled from it and shown, and nothing is saved (the CSRF token is checked all the same)."""
    return request.method == "POST" and (
        "paste" in request.form or bool(request.form.get("paste_text", "").strip())
    )


def edit_page(delegation, template: str, done_url: str, saved: str, actor_label=None):
    """The contact's and staff's edit form: shown filled in, rows added or filled from a pasted
    list on request, saved all or nothing (then back to `done_url` with the `saved` message)."""
    form = RegistrationForm(delegation.program)
    status = 200
    if request.method == "GET":
        form.show(delegation)
    elif "add_rows" in request.form:
        form.add_rows(ADDED_ROWS)
    elif "confirm_back" in request.form:
        pass  # back from the confirmation page: the form again, as it was filled in
    elif pasting():
        status = 200 if form.paste_list() else 422
    elif form.validate_on_submit():
        removed = confirmations.removed_members(delegation, form.members_data())
        if removed and not confirm.confirmed():
            return confirm.ask(confirmations.removal(removed))
        if save_edit(delegation, form, actor_label=actor_label):
            flash(saved, "success")
            return redirect(done_url, code=303)
        status = 409 if form.members_errors else 422
    else:
        status = 422
    return render_template(
        template, delegation=delegation, program=delegation.program, form=form
    ), status


def closed_to_the_contact(delegation):
    """Back to the private page, saying why, once the contact may no longer edit; else None."""
    if registration.can_contact_edit(delegation):
        return None
    flash(_("Registration is closed; please ask the host's protocol staff for changes."), "warning")
    return redirect(url_for("delegations.delegation", token=delegation.token), code=303)
