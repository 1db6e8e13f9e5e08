"""Staff pages for the day of the visit: the program's check-in points with live counts and
the missing names, manual corrections, and the scanner page for staff phones."""

from datetime import date

from flask import Response, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import Form, options
from planner.delegations import checkin
from planner.delegations.models import CheckinPoint, Member
from planner.programs.models import Program
from planner.programs.queries import WITH_AGENDA, program_days
from planner.staff.tokens import create_token

bp = staff_blueprint("checkin", __name__)
SCANNER_SCRIPT = "js/scanner-sw.js"


class PointForm(Form):
    item = SelectField(_l("Agenda item"), choices=[], validators=[Optional()])
    day = DateField(_l("Or the whole day"), validators=[Optional()])
    title = StringField(_l("Name of the point"), validators=[DataRequired(), Length(max=200)])


class CorrectionForm(Form):
    member = StringField(validators=[DataRequired()])
    present = StringField(validators=[DataRequired()])


def _point_form(program: Program, formdata=None) -> PointForm:
    form = PointForm(formdata=formdata) if formdata is not None else PointForm()
    form.item.choices = options(
        [("", _("— the whole day —"))]
        + [
            (item.public_id, f"{item.local_start:%d.%m %H.%M} {item.title}")
            for item in program.items
            if not item.is_cancelled
        ]
    )
    return form


def _points(program: Program) -> list[CheckinPoint]:
    return list(
        db.session.scalars(
            select(CheckinPoint)
            .where(CheckinPoint.program_id == program.id)
            .options(joinedload(CheckinPoint.item))
            .order_by(CheckinPoint.id)
        )
    )


@bp.route("/programs/<slug>/checkin", methods=["GET", "POST"])
def points(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    form = _point_form(program)
    status = 200
    if form.is_submitted():
        item = next((i for i in program.items if i.public_id == form.item.data), None)
        if form.validate() and (item or form.day.data):
            if form.day.data and form.day.data not in program_days(program):
                form.day.errors = [_("Choose a day of the program.")]
                status = 422
            else:
                point = checkin.open_point(program, form.title.data, item, form.day.data)
                db.session.commit()
                flash(_("Check-in point opened: %(title)s.", title=point.title), "success")
                return redirect(url_for("checkin.points", slug=slug), code=303)
        else:
            if not (item or form.day.data):
                form.item.errors = [_("Choose an agenda item or a day.")]
            status = 422
    rows = [(point, checkin.counts(checkin.roster(point))) for point in _points(program)]
    return render_template(
        "protocol/checkin_points.html", program=program, form=form, rows=rows
    ), status


def _point(public_id: str) -> CheckinPoint:
    return one_or_404(
        CheckinPoint,
        joinedload(CheckinPoint.program),
        joinedload(CheckinPoint.item),
        public_id=public_id,
    )


@bp.get("/checkin/<public_id>/list")
def point_list(public_id: str):
    point = _point(public_id)
    entries = checkin.roster(point)
    return render_template(
        "protocol/checkin_point.html",
        point=point,
        program=point.program,
        entries=entries,
        counts=checkin.counts(entries),
        Status=checkin.Status,
    )


@bp.post("/checkin/<public_id>/state")
def set_state(public_id: str):
    point = _point(public_id)
    form = Form()
    if form.validate_on_submit():
        checkin.set_open(point, not point.is_open)
        db.session.commit()
        flash(_("The point is open.") if point.is_open else _("The point is closed."), "success")
    return redirect(url_for("checkin.points", slug=point.program.slug), code=303)


@bp.post("/checkin/<public_id>/correct")
def correct(public_id: str):
    point = _point(public_id)
    form = CorrectionForm()
    member = db.session.scalar(select(Member).where(Member.public_id == (form.member.data or "")))
    if form.validate_on_submit() and member and member.delegation.program_id == point.program_id:
        checkin.correct(point, member, form.present.data == "1")
        db.session.commit()
        flash(_("Corrected: %(name)s.", name=member.full_name), "success")
    return redirect(url_for("checkin.point_list", public_id=public_id), code=303)


@bp.get("/checkin/<public_id>")
def scanner(public_id: str):
    point = _point(public_id)
    return render_template(
        "protocol/scanner.html",
        point=point,
        program=point.program,
        roster_url=url_for("api_checkin.point", public_id=point.public_id),
        checkins_url=url_for("api_checkin.checkins", public_id=point.public_id),
        device_url=url_for("checkin.device"),
        sw_url=url_for("checkin.service_worker"),
    )


@bp.post("/checkin/device")
def device():
    """An API token for this phone's scanner (listed, and revocable, on the staff account).
    The app's CSRF protection checks the page's token (form field or X-CSRFToken header)."""
    _token, secret = create_token(
        current_user._get_current_object(), _("Scanner %(day)s", day=date.today().isoformat())
    )
    db.session.commit()
    return jsonify(token=secret)


@bp.get("/checkin/sw.js")
def service_worker():
    """The scanner's service worker, served from the scope it controls (to logged-in staff,
    like the scanner: a phone logged out keeps the worker it has)."""
    path = current_app.static_folder + "/" + SCANNER_SCRIPT
    with open(path, encoding="utf-8") as source:
        response = Response(source.read(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/staff/checkin/"
    response.headers["Cache-Control"] = "no-cache"
    return response
