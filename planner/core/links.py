"""Absolute links (for mail, calendar feeds, the API and QR codes) and QR codes of them."""

import io
from functools import lru_cache

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


# Of the eight masks, the one with the lowest mean penalty (ISO/IEC 18004 7.8.3) over random
# check-in codes; any mask decodes, and trying all eight was most of a name tag's time.
QR_MASK = 7


def qr_svg(text: str, error: str = "m") -> Markup:
    """An inline SVG QR code that scales to the box it is given. Safe markup: segno draws the
    data as a path, never as text."""
    return Markup(_qr_svg(text, error))  # noqa: S704


def qr_svg_file(text: str) -> bytes:
    """A QR code as an SVG file of its own (with its namespace, which an inline one omits)."""
    buffer = io.BytesIO()
    segno.make(text, micro=False, mask=QR_MASK).save(buffer, kind="svg", scale=4, border=2)
    return buffer.getvalue()


@lru_cache(maxsize=4096)  # the QR of a text never changes; ~1 KB each
def _qr_svg(text: str, error: str) -> str:
    # Never a Micro QR (what segno picks for a short text): the scanners do not read them.
    qr = segno.make(text, error=error, micro=False, mask=QR_MASK)
    return qr.svg_inline(border=2, omitsize=True, svgclass=None, lineclass=None)
