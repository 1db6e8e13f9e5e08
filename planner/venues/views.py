"""Staff pages for venues: details, opening hours, closures, travel times."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from planner.core import confirm
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import options
from planner.core.records import StaleEdit
from planner.venues import editing
from planner.venues.forms import WEEKS, ClosureForm, TravelTimeForm, VenueForm, weekday_names
from planner.venues.models import ClosureKind, Venue, VenueClosure

bp = staff_blueprint("venues", __name__)


@bp.app_context_processor
def closure_labels():
    weeks = dict(WEEKS)
    return {
        "week_label": lambda n: str(weeks.get(n, n)),
        "weekday_label": lambda n: weekday_names().get(n, n),
    }


def _all_venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))


@bp.get("/venues")
def index():
    venues = db.session.scalars(
        select(Venue).options(selectinload(Venue.closures)).order_by(Venue.name)
    )
    return render_template("staff/venues/index.html", venues=list(venues))


@bp.route("/venues/new", methods=["GET", "POST"])
def new():
    form = VenueForm()
    if form.validate_on_submit():
        venue = editing.create_venue(form.values())
        db.session.commit()
        flash(_("Place saved: %(name)s.", name=venue.name), "success")
        return redirect(url_for("venues.edit", public_id=venue.public_id), code=303)
    return render_template("staff/venues/form.html", form=form, venue=None), (
        422 if form.errors else 200
    )


def _render_edit(venue, form, closure_form=None, travel_form=None, status=200):
    others = [other for other in _all_venues() if other.id != venue.id]
    travel_form = travel_form or TravelTimeForm(formdata=None)
    travel_form.to_venue.choices = options((other.public_id, other.name) for other in others)
    return render_template(
        "staff/venues/form.html",
        venue=venue,
        form=form,
        closure_form=closure_form or ClosureForm(formdata=None),
        travel_form=travel_form,
        travel=editing.travel_times_from(venue),
        others=others,
        used_by=editing.items_using(venue),
        delete_question=delete_question(venue),
        ClosureKind=ClosureKind,
    ), status


@bp.route("/venues/<public_id>", methods=["GET", "POST"])
def edit(public_id: str):
    venue = one_or_404(Venue, public_id=public_id)
    form = VenueForm()
    if request.method == "GET":
        form.show(venue)
        return _render_edit(venue, form)
    if form.validate_on_submit():
        try:
            editing.update_venue(venue, form.values(), form.seen_version())
            db.session.commit()
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            venue = one_or_404(Venue, public_id=public_id)
            flash(
                _(
                    "Someone else changed this place while you were editing. Their version is "
                    "shown below; make your change again."
                ),
                "error",
            )
            form = VenueForm(formdata=None)
            form.show(venue)
            return _render_edit(venue, form, status=409)
        flash(_("Place saved: %(name)s.", name=venue.name), "success")
        return redirect(url_for("venues.edit", public_id=venue.public_id), code=303)
    return _render_edit(venue, form, status=422)


def delete_question(venue: Venue) -> confirm.Question:
    """What deleting a place does, asked on its page's dialog and on the confirmation page."""
    return confirm.Question(
        title=_("Delete the place %(name)s?", name=venue.name),
        consequences=[
            _(
                "It goes from the list of places, with its closures and travel times; agenda "
                "items can no longer choose it."
            ),
            _("This cannot be undone."),
        ],
        button=_("Yes, delete the place"),
    )


@bp.post("/venues/<public_id>/delete")
def delete(public_id: str):
    venue = one_or_404(Venue, public_id=public_id)
    try:
        editing.delete_venue(venue)
    except editing.VenueInUse as refusal:
        titles = "; ".join(f"{item.title} ({item.program.title})" for item in refusal.items[:10])
        flash(f"{refusal.message} {titles}", "error")
        return redirect(url_for("venues.edit", public_id=venue.public_id), code=303)
    if not confirm.confirmed():
        db.session.rollback()  # it could be deleted: asked first, nothing done yet
        venue = one_or_404(Venue, public_id=public_id)
        back = url_for("venues.edit", public_id=public_id)
        return confirm.ask(delete_question(venue), back=back)
    db.session.commit()
    flash(_("Place deleted."), "success")
    return redirect(url_for("venues.index"), code=303)


@bp.post("/venues/<public_id>/closures")
def add_closure(public_id: str):
    venue = one_or_404(Venue, public_id=public_id)
    form = ClosureForm()
    if not form.validate_on_submit():
        edit_form = VenueForm(formdata=None)
        edit_form.show(venue)
        return _render_edit(venue, edit_form, closure_form=form, status=422)
    if form.kind.data == ClosureKind.DATES:
        values = {
            "kind": ClosureKind.DATES,
            "starts_on": form.starts_on.data,
            "ends_on": form.ends_on.data,
        }
    else:
        values = {
            "kind": ClosureKind.MONTHLY,
            "week_of_month": form.week_of_month.data,
            "weekday": form.weekday.data,
        }
    editing.add_closure(venue, {**values, "reason": form.reason.data or ""})
    db.session.commit()
    flash(_("Closure added."), "success")
    return redirect(url_for("venues.edit", public_id=venue.public_id, _anchor="closures"), code=303)


@bp.post("/venues/<public_id>/closures/<int:closure_id>/delete")
def remove_closure(public_id: str, closure_id: int):
    venue = one_or_404(Venue, public_id=public_id)
    closure = db.session.get(VenueClosure, closure_id)
    if closure is None or closure.venue_id != venue.id:
        abort(404)
    editing.remove_closure(closure)
    db.session.commit()
    flash(_("Closure removed."), "success")
    return redirect(url_for("venues.edit", public_id=venue.public_id, _anchor="closures"), code=303)


@bp.post("/venues/<public_id>/travel")
def set_travel(public_id: str):
    venue = one_or_404(Venue, public_id=public_id)
    form = TravelTimeForm()
    others = {other.public_id: other for other in _all_venues() if other.id != venue.id}
    form.to_venue.choices = options((key, other.name) for key, other in others.items())
    if not form.validate_on_submit():
        edit_form = VenueForm(formdata=None)
        edit_form.show(venue)
        return _render_edit(venue, edit_form, travel_form=form, status=422)
    editing.set_travel_time(venue, others[form.to_venue.data], form.minutes.data)
    db.session.commit()
    flash(_("Travel time saved."), "success")
    return redirect(url_for("venues.edit", public_id=venue.public_id, _anchor="travel"), code=303)
