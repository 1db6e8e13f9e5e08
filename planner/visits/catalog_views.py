"""Staff pages for what the host offers: topics, program templates, the host's settings.

Deleting posts only the CSRF token, which the app's CSRFProtect checks on every POST."""

from datetime import date
from itertools import groupby

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from planner.core import confirm
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.records import StaleEdit
from planner.programs.labels import KIND_LABELS
from planner.venues.models import Venue
from planner.visits import catalog, host
from planner.visits.catalog_forms import (
    HolidayForm,
    HostForm,
    LogoForm,
    TemplateForm,
    TemplateItemForm,
    TopicForm,
    weekday_choices,
)
from planner.visits.models import Holiday, HostProfile, ProgramTemplate, TemplateItem, Topic

bp = staff_blueprint("catalog", __name__)


def _all_venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))


def _all_topics() -> list[Topic]:
    return list(
        db.session.scalars(
            select(Topic)
            .options(selectinload(Topic.venues))
            .order_by(Topic.sort_order, Topic.title_id)
        )
    )


def _stale_message() -> str:
    return _(
        "Someone else changed this while you were editing. Their version is shown below; "
        "make your change again."
    )


def _attach(form, refusal: catalog.CatalogRefused) -> None:
    field = form._fields.get(refusal.field, form.csrf_token)
    field.errors = [*field.errors, refusal.message]


# Topics


@bp.get("/topics")
def topics():
    return render_template(
        "staff/catalog/topics.html", topics=_all_topics(), weekdays=dict(weekday_choices())
    )


def _render_topic(topic, form, status=200):
    return render_template("staff/catalog/topic_form.html", topic=topic, form=form), status


@bp.route("/topics/new", methods=["GET", "POST"])
def new_topic():
    form = TopicForm(_all_venues())
    if form.validate_on_submit():
        topic = catalog.create_topic(form.values(), form.chosen_venues())
        db.session.commit()
        flash(_("Topic saved: %(title)s.", title=topic.title_id), "success")
        return redirect(url_for("catalog.edit_topic", public_id=topic.public_id), code=303)
    return _render_topic(None, form, 422 if form.errors else 200)


@bp.route("/topics/<public_id>", methods=["GET", "POST"])
def edit_topic(public_id: str):
    topic = one_or_404(Topic, public_id=public_id)
    venues = _all_venues()
    form = TopicForm(venues)
    if request.method == "GET":
        form.show(topic)
        return _render_topic(topic, form)
    if not form.validate_on_submit():
        return _render_topic(topic, form, 422)
    try:
        changes = catalog.update_topic(
            topic, form.values(), form.chosen_venues(), form.seen_version()
        )
        db.session.commit()
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        topic = one_or_404(Topic, public_id=public_id)
        flash(_stale_message(), "error")
        form = TopicForm(venues, formdata=None)
        form.show(topic)
        return _render_topic(topic, form, 409)
    flash(
        _("Topic saved: %(title)s.", title=topic.title_id) if changes else _("Nothing changed."),
        "success",
    )
    return redirect(url_for("catalog.edit_topic", public_id=topic.public_id), code=303)


# Program templates


@bp.get("/templates")
def templates():
    rows = db.session.scalars(
        select(ProgramTemplate)
        .options(selectinload(ProgramTemplate.items))
        .order_by(ProgramTemplate.title)
    )
    return render_template("staff/catalog/templates.html", templates=list(rows))


@bp.route("/templates/new", methods=["GET", "POST"])
def new_template():
    form = TemplateForm()
    if form.validate_on_submit():
        template = catalog.create_template(form.values())
        db.session.commit()
        flash(_("Template saved: %(title)s.", title=template.title), "success")
        return redirect(url_for("catalog.edit_template", public_id=template.public_id), code=303)
    return render_template("staff/catalog/template_form.html", template=None, form=form), (
        422 if form.errors else 200
    )


def _item_form(template, formdata=None) -> TemplateItemForm:
    if formdata is None:
        return TemplateItemForm(template, _all_venues(), _all_topics(), formdata=None)
    return TemplateItemForm(template, _all_venues(), _all_topics())


def _template_form(template) -> TemplateForm:
    form = TemplateForm(formdata=None)
    form.show(template)
    return form


def _render_template_page(template, form, item_form=None, status=200):
    by_day = {day: list(items) for day, items in groupby(template.items, key=lambda i: i.day)}
    return render_template(
        "staff/catalog/template_form.html",
        template=template,
        form=form,
        item_form=item_form or _item_form(template),
        by_day=by_day,
        kind_labels=KIND_LABELS,
        item_question=item_question,
    ), status


def _template_or_404(public_id: str) -> ProgramTemplate:
    return one_or_404(
        ProgramTemplate,
        selectinload(ProgramTemplate.items).joinedload(TemplateItem.venue),
        selectinload(ProgramTemplate.items).joinedload(TemplateItem.topic),
        public_id=public_id,
    )


@bp.route("/templates/<public_id>", methods=["GET", "POST"])
def edit_template(public_id: str):
    template = _template_or_404(public_id)
    if request.method == "GET":
        return _render_template_page(template, _template_form(template))
    form = TemplateForm()
    if not form.validate_on_submit():
        return _render_template_page(template, form, status=422)
    try:
        changes = catalog.update_template(template, form.values(), form.seen_version())
        db.session.commit()
    except catalog.CatalogRefused as refusal:
        db.session.rollback()
        _attach(form, refusal)
        return _render_template_page(_template_or_404(public_id), form, status=422)
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        template = _template_or_404(public_id)
        flash(_stale_message(), "error")
        return _render_template_page(template, _template_form(template), status=409)
    flash(
        _("Template saved: %(title)s.", title=template.title) if changes else _("Nothing changed."),
        "success",
    )
    return redirect(url_for("catalog.edit_template", public_id=template.public_id), code=303)


@bp.post("/templates/<public_id>/items")
def add_item(public_id: str):
    template = _template_or_404(public_id)
    form = _item_form(template, formdata=request.form)
    if form.validate_on_submit():
        try:
            catalog.add_template_item(template, form.values())
            db.session.commit()
        except catalog.CatalogRefused as refusal:
            db.session.rollback()
            _attach(form, refusal)
            template = _template_or_404(public_id)
        else:
            flash(_("Item added: %(title)s.", title=form.title.data), "success")
            return redirect(
                url_for("catalog.edit_template", public_id=public_id, _anchor="items"), code=303
            )
    return _render_template_page(template, _template_form(template), form, status=422)


def item_question(template: ProgramTemplate, item: TemplateItem) -> confirm.Question:
    """What removing a template's item does (its dialog and the confirmation page)."""
    return confirm.Question(
        title=_(
            "Remove %(title)s from the template %(template)s?",
            title=item.title,
            template=template.title,
        ),
        consequences=[
            _("Programs made from this template from now on will not have it."),
            _("Programs already made keep their own copy of the item."),
        ],
        button=_("Yes, remove the item"),
    )


@bp.post("/templates/<public_id>/items/<int:item_id>/delete")
def remove_item(public_id: str, item_id: int):
    template = _template_or_404(public_id)
    item = db.session.get(TemplateItem, item_id)
    if item is None or item.template_id != template.id:
        abort(404)
    if not confirm.confirmed():
        back = url_for("catalog.edit_template", public_id=public_id, _anchor="items")
        return confirm.ask(item_question(template, item), back=back)
    catalog.remove_template_item(item)
    db.session.commit()
    flash(_("Item removed."), "success")
    return redirect(
        url_for("catalog.edit_template", public_id=public_id, _anchor="items"), code=303
    )


# The host's settings, logo and holidays


def _host_form(profile) -> HostForm:
    form = HostForm(formdata=None)
    form.show(profile)
    return form


def _render_host(profile, form=None, logo_form=None, holiday_form=None, status=200):
    since = date(host.today().year, 1, 1)
    return render_template(
        "staff/catalog/host.html",
        profile=profile,
        form=form or _host_form(profile),
        logo_form=logo_form or LogoForm(formdata=None),
        holiday_form=holiday_form or HolidayForm(formdata=None),
        holidays=catalog.holidays_from(since),
        since=since,
        holiday_question=holiday_question,
        logo_question=logo_question,
    ), status


@bp.route("/host", methods=["GET", "POST"], endpoint="host")
def host_settings():
    profile = host.profile()
    if request.method == "GET":
        return _render_host(profile)
    form = HostForm()
    if not form.validate_on_submit():
        return _render_host(profile, form=form, status=422)
    try:
        changes = catalog.update_host(profile, form.values(), form.seen_version())
        db.session.commit()
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        flash(_stale_message(), "error")
        return _render_host(host.profile(), status=409)
    flash(_("Host settings saved.") if changes else _("Nothing changed."), "success")
    return redirect(url_for("catalog.host"), code=303)


@bp.post("/host/logo")
def upload_logo():
    profile = host.profile()
    form = LogoForm()
    if not form.validate_on_submit():
        return _render_host(profile, logo_form=form, status=422)
    catalog.set_logo(profile, form.logo.content, form.logo.content_type)
    db.session.commit()
    flash(_("Logo saved."), "success")
    return redirect(url_for("catalog.host", _anchor="logo"), code=303)


def logo_question() -> confirm.Question:
    """What removing the logo does (its dialog and the confirmation page)."""
    return confirm.Question(
        title=_("Remove the logo?"),
        consequences=[
            _(
                "Reply letters and the year's figures are printed without it until you upload "
                "a new one."
            ),
        ],
        button=_("Yes, remove the logo"),
    )


@bp.post("/host/logo/delete")
def remove_logo():
    profile = host.profile()
    if profile.logo and not confirm.confirmed():
        return confirm.ask(logo_question(), back=url_for("catalog.host", _anchor="logo"))
    if catalog.remove_logo(profile):
        db.session.commit()
        flash(_("Logo removed."), "success")
    return redirect(url_for("catalog.host", _anchor="logo"), code=303)


@bp.get("/host/logo")
def logo():
    profile = db.session.get(HostProfile, host.PROFILE_ID)
    if profile is None or not profile.logo:
        abort(404)
    response = Response(profile.logo, mimetype=profile.logo_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/holidays")
def add_holiday():
    form = HolidayForm()
    if form.validate_on_submit():
        try:
            catalog.add_holiday(form.day.data, form.name.data)
            db.session.commit()
        except catalog.CatalogRefused as refusal:
            db.session.rollback()
            _attach(form, refusal)
        except IntegrityError:
            # Entered by someone else a moment ago.
            db.session.rollback()
            existing = catalog.holiday_on(form.day.data)
            if existing is None:
                raise
            form.day.errors = [*form.day.errors, catalog.already_entered(existing)]
        else:
            flash(_("Holiday added."), "success")
            return redirect(url_for("catalog.host", _anchor="holidays"), code=303)
    return _render_host(host.profile(), holiday_form=form, status=422)


def holiday_question(holiday: Holiday) -> confirm.Question:
    """What removing a holiday does (its dialog and the confirmation page)."""
    return confirm.Question(
        title=_("Remove the holiday %(name)s?", name=holiday.name),
        consequences=[
            _("Visits can be requested and planned on this day again."),
        ],
        button=_("Yes, remove the holiday"),
    )


@bp.post("/holidays/<int:holiday_id>/delete")
def remove_holiday(holiday_id: int):
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None:
        abort(404)
    if not confirm.confirmed():
        back = url_for("catalog.host", _anchor="holidays")
        return confirm.ask(holiday_question(holiday), back=back)
    catalog.remove_holiday(holiday)
    db.session.commit()
    flash(_("Holiday removed."), "success")
    return redirect(url_for("catalog.host", _anchor="holidays"), code=303)
