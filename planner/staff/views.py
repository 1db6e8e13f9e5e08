"""Staff sign-in, own account, invitations and (for admins) managing users."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from planner.core import confirm, outbox, worker
from planner.core.access import admin_required, public_staff_endpoint, staff_blueprint
from planner.core.database import db, new_token, one_or_404
from planner.core.extensions import login_manager
from planner.core.i18n import current_language
from planner.core.links import absolute
from planner.core.security import limiter
from planner.staff import accounts, tokens
from planner.staff.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
    RoleForm,
)
from planner.staff.models import ApiToken, StaffUser

bp = staff_blueprint("staff", __name__)


def revoke_question(token: ApiToken) -> confirm.Question:
    """What revoking an API token does (its dialog and the confirmation page)."""
    return confirm.Question(
        title=_("Revoke the API token %(name)s?", name=token.name or "—"),
        consequences=[
            _("Scripts and systems that use it are refused from now on."),
            _("This cannot be undone; make a new token for them instead."),
        ],
        button=_("Yes, revoke"),
    )


@bp.context_processor
def confirm_questions():
    return {"revoke_question": revoke_question}


login_manager.login_view = "staff.login"
login_manager.login_message_category = "warning"


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Please log in to open staff pages."), "warning")
    return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/staff"):
        return url_for("dashboard.index")
    return target


def _login_account() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


def _login_from_here() -> str:
    return f"{_login_account()}@{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code == 422


# Only failed logins count, and mostly per address: someone guessing from one address cannot
# lock the real user (at another address) out; a guess spread over many addresses is slowed
# by the account's own, much higher, limit (OWASP's advice on lock-out).
@bp.route("/login", methods=["GET", "POST"])
@public_staff_endpoint
@limiter.limit(
    "10 per 15 minutes", key_func=_login_from_here, methods=["POST"], deduct_when=_failed
)
@limiter.limit("30 per 15 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit("100 per hour", key_func=_login_account, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(
                _(
                    "The e-mail address or password is not right. Check both, or choose “Forgot "
                    "your password?”."
                )
            )
        else:
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")), code=303)
    return render_template("staff/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    """Ends the session on the server too: a copy of the cookie no longer opens anything (the
    user's other sessions end with it)."""
    current_user.session_token = new_token()
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    response = redirect(url_for("staff.login"), code=303)
    # A scanner phone keeps a point's list of members (names, phones) and its token: logging
    # out takes them off the device.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/invitation/<secret>", methods=["GET", "POST"])
@public_staff_endpoint
def accept_invitation(secret: str):
    user = accounts.pending_invitation(secret)
    if user is None:
        abort(404)
    return _choose_password(
        user,
        accounts.accept_invitation,
        heading=_("Welcome, %(name)s", name=user.name),
        done=_("Welcome! Your password is set."),
    )


def _choose_password(user, finish, heading: str, done: str):
    """The page of a one-time link (invitation, reset) where a user sets a password, and is in."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        finish(user, form.password.data)
        db.session.commit()
        login_user(user)
        flash(done, "success")
        return redirect(url_for("dashboard.index"), code=303)
    return render_template("staff/new_password.html", form=form, user=user, heading=heading)


@bp.route("/password-reset", methods=["GET", "POST"])
@public_staff_endpoint
@limiter.limit("5 per 15 minutes", methods=["POST"])
def request_reset():
    """The same answer whether or not the address has an account, so nobody learns which do."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        started = accounts.start_reset(form.email.data)
        if started is not None:
            user, secret = started
            outbox.queue(
                "password_reset",
                user.email,
                "password_reset",
                language=current_language(),
                user=user,
                url=absolute("staff.reset_password", secret=secret),
            )
        db.session.commit()
        flash(
            _(
                "If %(email)s has a staff account, a link to choose a new password is on its "
                "way to that address.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect(url_for("staff.login"), code=303)
    status = 422 if form.errors else 200
    return render_template("staff/password_reset.html", form=form), status


@bp.route("/password-reset/<secret>", methods=["GET", "POST"])
@public_staff_endpoint
def reset_password(secret: str):
    user = accounts.pending_reset(secret)
    if user is None:
        abort(404)
    return _choose_password(
        user,
        accounts.finish_reset,
        heading=_("Choose a new password"),
        done=_("Your new password is set. Other sessions have been logged out."),
    )


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(
                _("This is not your current password. Type the password you log in with now.")
            )
        else:
            accounts.change_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user)  # this session continues; all others have ended
            flash(_("Your password is changed. Other sessions have been logged out."), "success")
            return redirect(url_for("staff.account"), code=303)
    return render_template(
        "staff/account.html",
        form=form,
        api_tokens=tokens.tokens_of(current_user),
        token_form=ApiTokenForm(formdata=None),
    )


@bp.post("/account/api-tokens")
def create_api_token():
    form = ApiTokenForm()
    if not form.validate_on_submit():
        flash(_("Give the token a name of at most 100 characters."), "error")
        return redirect(url_for("staff.account", _anchor="api-tokens"), code=303)
    secret = tokens.create_token(current_user, form.name.data)[1]
    db.session.commit()
    return render_template(
        "staff/account.html",
        form=ChangePasswordForm(formdata=None),
        new_token=secret,
        api_tokens=tokens.tokens_of(current_user),
        token_form=ApiTokenForm(formdata=None),
    )


@bp.post("/api-tokens/<public_id>/revoke")
def revoke_api_token(public_id: str):
    token = db.session.scalar(select(ApiToken).where(ApiToken.public_id == public_id))
    if token is None or (token.owner_id != current_user.id and not current_user.is_admin):
        abort(404)
    if not confirm.confirmed():
        back = url_for("staff.account", _anchor="api-tokens")
        if token.owner_id != current_user.id:
            back = url_for("staff.users", _anchor="api-tokens")
        return confirm.ask(revoke_question(token), back=back)
    tokens.revoke(token)
    db.session.commit()
    flash(_("The token is revoked."), "success")
    if token.owner_id != current_user.id:
        return redirect(url_for("staff.users", _anchor="api-tokens"), code=303)
    return redirect(url_for("staff.account", _anchor="api-tokens"), code=303)


@bp.post("/account/calendar-token")
def reset_calendar_token():
    current_user.calendar_token = new_token()
    db.session.commit()
    flash(_("Your calendar address is new; subscribe again with it."), "success")
    return redirect(url_for("staff.account", _anchor="calendar"), code=303)


@bp.get("/users")
@admin_required
def users():
    everyone = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    return render_template(
        "staff/users.html", users=everyone, form=InviteForm(), api_tokens=tokens.tokens_of()
    )


@bp.post("/users")
@admin_required
def invite_user():
    form = InviteForm()
    invitation_url = None
    if form.validate_on_submit():
        try:
            user, secret = accounts.invite(form.email.data, form.name.data, form.role.data)
        except accounts.AccountError as error:
            form.email.errors.append(error.message)
        else:
            invitation_url = absolute("staff.accept_invitation", secret=secret)
            outbox.queue(
                "invitation",
                user.email,
                "staff_invitation",
                language=current_language(),
                user=user,
                inviter=current_user.name,
                url=invitation_url,
            )
            db.session.commit()
            flash(
                _("Invitation created for %(email)s.", email=user.email)
                + " "
                + worker.mail_note(user.email),
                "success",
            )
            form = InviteForm(formdata=None)
    everyone = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    status = 422 if form.errors else 200
    return render_template(
        "staff/users.html",
        users=everyone,
        form=form,
        invitation_url=invitation_url,
        api_tokens=tokens.tokens_of(),
    ), status


@bp.post("/users/<public_id>/role")
@admin_required
def change_role(public_id: str):
    user = one_or_404(StaffUser, public_id=public_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            accounts.change_role(user, form.role.data)
            db.session.commit()
            flash(_("Role of %(name)s changed.", name=user.name), "success")
        except accounts.AccountError as error:
            db.session.rollback()
            flash(str(error.message), "error")
    return redirect(url_for("staff.users"), code=303)


@bp.post("/users/<public_id>/active")
@admin_required
def toggle_active(public_id: str):
    user = one_or_404(StaffUser, public_id=public_id)
    try:
        accounts.set_active(user, not user.active)
        db.session.commit()
        if user.active:
            flash(_("%(name)s can log in again.", name=user.name), "success")
        else:
            flash(_("%(name)s is deactivated and logged out.", name=user.name), "success")
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return redirect(url_for("staff.users"), code=303)
