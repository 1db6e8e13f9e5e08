"""Absolute links (for mail, calendar feeds, the API and QR codes) and QR codes of them."""

import segno
from flask import current_app, url_for
from markupsafe import Markup


def absolute(endpoint: str, **values) -> str:
    """The URL of an endpoint under PLANNER_BASE_URL, as people and calendar apps reach it."""
    return current_app.config["PLANNER_BASE_URL"] + url_for(endpoint, **values)


def qr_svg(text: str) -> Markup:
    """An inline SVG QR code. Safe markup: segno draws the data as a path, never as text."""
    return Markup(segno.make(text, error="m").svg_inline(scale=4, border=2))  # noqa: S704
