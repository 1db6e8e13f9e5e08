"""Who may open staff pages: one place that every staff blueprint goes through."""

from functools import wraps

from flask import Blueprint, abort, current_app, request
from flask_login import current_user

from planner.core.extensions import login_manager


def public_staff_endpoint(view):
    """Mark a staff view as reachable without login (login form, invitation link, feeds)."""
    view.public_staff_endpoint = True
    return view


def staff_blueprint(name: str, import_name: str, url_prefix: str = "/staff") -> Blueprint:
    """A blueprint whose every route requires a logged-in staff user, unless marked public."""
    bp = Blueprint(name, import_name, url_prefix=url_prefix)

    @bp.before_request
    def require_login():
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "public_staff_endpoint", False):
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    return bp


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not (current_user.is_authenticated and current_user.is_admin):
            abort(403)
        return view(*args, **kwargs)

    wrapper.admin_only = True
    return wrapper
