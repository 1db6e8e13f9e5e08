"""Staff pages for programs and their agendas: the agenda builder."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from planner.audit.log import events_for
from planner.core import confirm
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.records import StaleEdit
from planner.core.text import slugify
from planner.delegations.capacity import seats_taken
from planner.programs import agenda, announcements, lifecycle
from planner.programs.copying import copy_program
from planner.programs.forms import CopyForm, ItemForm, ProgramForm
from planner.programs.labels import KIND_LABELS, status_label
from planner.programs.models import AgendaItem, Program, ProgramStatus
from planner.programs.queries import WITH_AGENDA, agenda_by_day
from planner.programs.times import host_today
from planner.venues.models import Venue
from planner.workspace.clashes import clashes_by_item

bp = staff_blueprint("programs", __name__)


@bp.app_context_processor
def program_helpers():
    return {
        "program_status_label": status_label,
        "kind_label": lambda kind: str(KIND_LABELS.get(kind, kind)),
        "transitions": lifecycle.TRANSITIONS,
    }


def _stale_message() -> str:
    return _(
        "Someone else changed this while you were editing. Their version is shown below; "
        "make your change again."
    )


def _venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))


PROGRAMS_PER_PAGE = 50


@bp.get("/programs")
def index():
    """Programs not yet over, the next first; with ?past=1 those that are over, the latest
    first. Either list comes a page at a time, so ten years of history cost what one does."""
    past = request.args.get("past") == "1"
    page = max(request.args.get("page", 1, type=int), 1)
    today = host_today()
    query = (
        select(Program).where(Program.last_day < today).order_by(Program.first_day.desc())
        if past
        else select(Program)
        .where(Program.last_day >= today)
        .order_by(Program.status == ProgramStatus.ARCHIVED, Program.first_day)
    )
    programs = db.session.scalars(
        query.order_by(Program.id)
        .offset((page - 1) * PROGRAMS_PER_PAGE)
        .limit(PROGRAMS_PER_PAGE + 1)
    ).all()
    shown = programs[:PROGRAMS_PER_PAGE]
    item_counts = dict(
        db.session.execute(
            select(AgendaItem.program_id, func.count())
            .where(AgendaItem.program_id.in_([program.id for program in shown]))
            .group_by(AgendaItem.program_id)
        ).all()
    )
    return render_template(
        "staff/programs/index.html",
        programs=shown,
        item_counts=item_counts,
        past=past,
        page=page,
        more=len(programs) > PROGRAMS_PER_PAGE,
    )


@bp.route("/programs/new", methods=["GET", "POST"])
def new():
    form = ProgramForm()
    if request.method == "GET":
        form.timezone.data = current_app.config["PLANNER_TIMEZONE"]
    if form.validate_on_submit():
        values = form.values()
        if lifecycle.slug_taken(values["slug"]):
            _refuse_taken_slug(form.slug)
        else:
            program = lifecycle.create_program(values)
            db.session.commit()
            flash(_("Program created as a draft. Now add its agenda items."), "success")
            return redirect(url_for("programs.show", slug=program.slug), code=303)
    return render_template("staff/programs/form.html", form=form, program=None), (
        422 if form.errors else 200
    )


@bp.get("/programs/<slug>")
def show(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    delegations, participants = seats_taken(program)
    return render_template(
        "staff/programs/show.html",
        program=program,
        days=agenda_by_day(program),
        clashes=clashes_by_item(program),
        delegations=delegations,
        participants=participants,
        can_remove=agenda.can_remove,
        remove_question=remove_question,
        archive_question=archive_question(program),
        pending_changes=announcements.pending_changes(program),
    )


@bp.route("/programs/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    form = ProgramForm()
    if request.method == "GET":
        form.show(program)
    elif form.validate_on_submit():
        values = form.values()
        if lifecycle.slug_taken(values["slug"], program):
            _refuse_taken_slug(form.slug)
        else:
            try:
                lifecycle.update_program(program, values, form.seen_version())
                db.session.commit()
            except (StaleEdit, StaleDataError):
                db.session.rollback()
                program = one_or_404(Program, WITH_AGENDA, slug=slug)
                flash(_stale_message(), "error")
                form = ProgramForm(formdata=None)
                form.show(program)
                return render_template("staff/programs/form.html", form=form, program=program), 409
            flash(_("Program saved."), "success")
            return redirect(url_for("programs.show", slug=program.slug), code=303)
    return render_template("staff/programs/form.html", form=form, program=program), (
        422 if form.errors else 200
    )


@bp.route("/programs/<slug>/publish", methods=["GET", "POST"])
def publish(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    problems = lifecycle.publication_problems(program)
    if request.method == "POST" and not problems:
        try:
            lifecycle.change_status(program, ProgramStatus.PUBLISHED)
        except lifecycle.TransitionError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The program is published."), "success")
            return redirect(url_for("programs.show", slug=program.slug), code=303)
    return render_template(
        "staff/programs/publish.html",
        program=program,
        days=agenda_by_day(program),
        problems=problems,
        clashes=clashes_by_item(program),
    )


def _refuse_taken_slug(field) -> None:
    field.errors.append(
        _(
            "Another program already uses this web address. Choose another, e.g. with the "
            "year added."
        )
    )


def archive_question(program: Program) -> confirm.Question:
    """What archiving a program does (its dialog and the confirmation page)."""
    return confirm.Question(
        title=_("Archive %(program)s?", program=program.title),
        consequences=[
            _("Its public page goes offline and no one can register any more."),
            _("Its items leave the staff calendar."),
            _("This cannot be undone: an archived program cannot be published again."),
        ],
        button=_("Yes, archive"),
    )


@bp.post("/programs/<slug>/status")
def change_status(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    try:
        status = ProgramStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    allowed = lifecycle.TRANSITIONS[ProgramStatus(program.status)]
    if status == ProgramStatus.ARCHIVED and status in allowed and not confirm.confirmed():
        back = url_for("programs.show", slug=program.slug, _anchor="status-heading")
        return confirm.ask(archive_question(program), back=back)
    try:
        lifecycle.change_status(program, status)
    except ValueError:
        abort(400)
    except lifecycle.TransitionError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The program is now: %(status)s.", status=status_label(status)), "success")
    return redirect(url_for("programs.show", slug=program.slug), code=303)


@bp.route("/programs/<slug>/copy", methods=["GET", "POST"])
def copy(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    form = CopyForm()
    if request.method == "GET":
        form.title.data = program.title
    if form.validate_on_submit():
        new_slug = form.slug.data or slugify(f"{form.title.data}-{form.first_day.data}")
        if lifecycle.slug_taken(new_slug):
            _refuse_taken_slug(form.slug)
        else:
            copied = copy_program(program, form.first_day.data, new_slug, form.title.data)
            db.session.commit()
            flash(_("Copy created as a draft. Check the agenda before publishing."), "success")
            return redirect(url_for("programs.show", slug=copied.slug), code=303)
    return render_template("staff/programs/copy.html", form=form, program=program), (
        422 if form.errors else 200
    )


@bp.get("/programs/<slug>/history")
def history(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    return render_template(
        "staff/programs/history.html", program=program, events=events_for(program=program)
    )


@bp.route("/programs/<slug>/items/new", methods=["GET", "POST"])
def new_item(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    form = ItemForm(program, _venues())
    if form.validate_on_submit():
        try:
            item = agenda.add_item(program, form.values())
        except agenda.AgendaRuleError as error:
            _attach_errors(form, error.errors)
        else:
            db.session.commit()
            flash(_("Item added: %(title)s.", title=item.title), "success")
            return redirect(
                url_for("programs.show", slug=program.slug, _anchor=f"item-{item.public_id}"),
                code=303,
            )
    return render_template(
        "staff/programs/item_form.html", form=form, program=program, item=None
    ), (422 if form.errors else 200)


def _attach_errors(form: ItemForm, errors: dict) -> None:
    targets = {"starts_at": form.start, "ends_at": form.end, "status": form.title}
    for name, messages in errors.items():
        targets.get(name, form.title).errors.extend(str(m) for m in messages)


@bp.route("/items/<public_id>/edit", methods=["GET", "POST"])
def edit_item(public_id: str):
    item = one_or_404(AgendaItem, public_id=public_id)
    program = item.program
    form = ItemForm(program, _venues())
    if request.method == "GET":
        form.show(item)
    elif form.validate_on_submit():
        try:
            changes = agenda.update_item(item, form.values(), form.seen_version())
            db.session.commit()
        except agenda.AgendaRuleError as error:
            db.session.rollback()
            _attach_errors(form, error.errors)
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            item = one_or_404(AgendaItem, public_id=public_id)
            flash(_stale_message(), "error")
            form = ItemForm(program, _venues(), formdata=None)
            form.show(item)
            return render_template(
                "staff/programs/item_form.html", form=form, program=program, item=item
            ), 409
        else:
            if changes:
                flash(_("Item saved: %(title)s.", title=item.title), "success")
            return redirect(
                url_for("programs.show", slug=program.slug, _anchor=f"item-{item.public_id}"),
                code=303,
            )
    return render_template(
        "staff/programs/item_form.html", form=form, program=program, item=item
    ), (422 if form.errors else 200)


def remove_question(item: AgendaItem) -> confirm.Question:
    """What removing an item of a draft agenda does (its dialog and the confirmation page)."""
    return confirm.Question(
        title=_(
            "Remove %(title)s from the agenda of %(program)s?",
            title=item.title,
            program=item.program.title,
        ),
        consequences=[
            _("The item and everything entered for it are deleted."),
            _("This cannot be undone; to keep it in the agenda as cancelled, cancel it instead."),
        ],
        button=_("Yes, remove the item"),
    )


@bp.post("/items/<public_id>/<any(cancel, restore, remove):action>")
def item_action(public_id: str, action: str):
    item = one_or_404(AgendaItem, public_id=public_id)
    program = item.program
    if action == "remove" and agenda.can_remove(item) and not confirm.confirmed():
        back = url_for("programs.show", slug=program.slug, _anchor=f"item-{item.public_id}")
        return confirm.ask(remove_question(item), back=back)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    try:
        if action == "cancel":
            agenda.cancel_item(item, version)
            message = _(
                "Cancelled: %(title)s. It stays in the agenda as cancelled.", title=item.title
            )
        elif action == "restore":
            agenda.restore_item(item, version)
            message = _("Back on the agenda: %(title)s.", title=item.title)
        else:
            title = item.title
            agenda.remove_item(item)
            message = _("Removed: %(title)s.", title=title)
        db.session.commit()
        flash(message, "success")
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        flash(_stale_message(), "error")
    except agenda.AgendaRuleError as error:
        db.session.rollback()
        flash(" ".join(str(m) for messages in error.errors.values() for m in messages), "error")
    return redirect(url_for("programs.show", slug=program.slug), code=303)
