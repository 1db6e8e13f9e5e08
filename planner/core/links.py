"""Absolute links (for mail, calendar feeds, the API and QR codes) and QR codes of them."""

import segno
from flask import current_app, has_request_context, url_for
from markupsafe import Markup


def absolute(endpoint: str, **values) -> str:
    """The URL of an endpoint under PLANNER_BASE_URL, as people and calendar apps reach it
    (also from the worker, which has no request to build URLs from)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("planner").build(endpoint, values)
    return current_app.config["PLANNER_BASE_URL"] + path


def qr_svg(text: str, error: str = "m") -> Markup:
    """An inline SVG QR code. Safe markup: segno draws the data as a path, never as text."""
    return Markup(segno.make(text, error=error).svg_inline(scale=4, border=2))  # noqa: S704
