"""What requesters see: the request form, the availability of days, the request's own page."""

from flask import Blueprint

bp = Blueprint("visits", __name__)
