"""Importing members from a spreadsheet, on the delegation's private page and for staff.

Upload -> preview (nothing written) -> confirm (the edit form's rules once more, then
registration.replace_members, as the edit form does).
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import Form
from planner.core.security import limiter, private_link_limit
from planner.delegations import capacity, importing, member_template, registration, spreadsheet
from planner.delegations.access import WITH_MEMBERS, delegation_by_token_or_404
from planner.delegations.editing import closed_to_the_contact, save_form
from planner.delegations.forms import MembersForm
from planner.delegations.models import Delegation

bp = Blueprint("imports", __name__)
staff_bp = staff_blueprint("staff_imports", __name__)

CONTACT = "delegation contact"


class ImportForm(Form):
    file = FileField(_l("Spreadsheet file (.xlsx or .csv)"))


def template_response(delegation=None) -> Response:
    """The member list to fill in: blank, or a delegation's members and optional items."""
    if delegation is None:
        content = member_template.template_workbook()
    else:
        content = member_template.template_workbook(
            spreadsheet.item_columns(delegation.program), delegation.members
        )
    response = Response(content, mimetype=spreadsheet.XLSX_TYPE)
    response.headers["Content-Disposition"] = 'attachment; filename="daftar-anggota.xlsx"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _dry_run(delegation, plan: importing.Plan, actor_label) -> None:
    """Try the change in a transaction that is always rolled back: the preview shows a
    refusal (seats, item places) before anyone confirms."""
    try:
        registration.replace_members(delegation, plan.members_data(), actor_label=actor_label)
    except registration.RegistrationRefused as refusal:
        raise spreadsheet.ImportRefused(importing.refusal_messages(plan, refusal.errors)) from None
    except capacity.CapacityError as refusal:
        raise spreadsheet.ImportRefused([refusal.message], status=409) from None
    finally:
        db.session.rollback()


def _confirm_errors(form: MembersForm) -> list:
    messages = list(form.members_errors)
    for number, (_position, row) in enumerate(form.filled_rows(), start=1):
        for field in row:
            for message in field.errors:
                member = _("Member %(num)s", num=number)
                messages.append(f"{member}, {field.label.text}: {message}")
    return messages


def _import_page(delegation, *, staff: bool, actor_label, done_url: str, urls: dict):
    program = delegation.program
    pages = {"delegation": delegation, "program": program, "staff": staff, "urls": urls}
    if request.method == "POST" and "confirm" in request.form:
        form = MembersForm(program)
        if form.validate_on_submit():
            result = {}

            def act():
                result["summary"] = registration.replace_members(
                    delegation, form.members_data(), actor_label=actor_label
                )

            if save_form(form, act):
                flash(
                    _(
                        "Members imported: %(added)s new, %(changed)s changed, "
                        "%(removed)s removed.",
                        **result["summary"],
                    ),
                    "success",
                )
                return redirect(done_url, code=303)
        status = 409 if form.members_errors else 422
        return render_template(
            "delegation/import.html",
            form=ImportForm(formdata=None),
            errors=_confirm_errors(form),
            **pages,
        ), status
    form = ImportForm()
    errors, status = [], 200
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            errors, status = (
                [_("No file was chosen. Choose the member list (.xlsx or .csv), then import it.")],
                422,
            )
        else:
            content = upload.stream.read(spreadsheet.MAX_BYTES + 1)
            try:
                sheet = spreadsheet.read_members_file(
                    upload.filename,
                    content,
                    program.members_per_delegation,
                    spreadsheet.item_columns(program),
                )
                plan = importing.plan_import(program, delegation.members, sheet)
                _dry_run(delegation, plan, actor_label)
            except spreadsheet.ImportRefused as refusal:
                errors, status = refusal.messages, refusal.status
            else:
                return render_template(
                    "delegation/import_preview.html", plan=plan, counts=plan.counts(), **pages
                )
    elif request.method == "POST":
        errors, status = (
            [
                _(
                    "The form has expired, as the page was open for a long time. Check your "
                    "entries and send it again."
                )
            ],
            400,
        )
    return render_template("delegation/import.html", form=form, errors=errors, **pages), status


@bp.route("/d/<token>/import", methods=["GET", "POST"])
@private_link_limit
@limiter.limit("60 per hour", methods=["POST"])
def import_members(token: str):
    delegation = delegation_by_token_or_404(token)
    return closed_to_the_contact(delegation) or _import_page(
        delegation,
        staff=False,
        actor_label=CONTACT,
        done_url=url_for("delegations.delegation", token=token),
        urls={
            "action": url_for("imports.import_members", token=token),
            "template": url_for("imports.members_template", token=token),
            "back": url_for("delegations.delegation", token=token),
        },
    )


@bp.get("/d/<token>/import/template.xlsx")
@private_link_limit
def members_template(token: str):
    """The delegation's members as they are now, to change and import again."""
    return template_response(delegation_by_token_or_404(token))


@staff_bp.route(
    "/delegations/<public_id>/import", methods=["GET", "POST"], endpoint="import_members"
)
def staff_import_members(public_id: str):
    """Staff may import at any time, within the same limits and caps."""
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    done = url_for("review.show", public_id=public_id)
    return _import_page(
        delegation,
        staff=True,
        actor_label=None,
        done_url=done,
        urls={
            "action": url_for("staff_imports.import_members", public_id=public_id),
            "template": url_for("staff_imports.delegation_template", public_id=public_id),
            "back": done,
        },
    )


@staff_bp.get("/delegations/<public_id>/import/template.xlsx", endpoint="delegation_template")
def staff_delegation_template(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    return template_response(delegation)


@staff_bp.get("/members-template.xlsx", endpoint="members_template")
def staff_members_template():
    return template_response()
