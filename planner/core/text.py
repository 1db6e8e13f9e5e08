"""Text hygiene shared by forms, exports and calendar feeds; web addresses made from titles."""

import re

# C0 controls except tab and newline, DEL, C1 controls, Unicode line/paragraph separators, and
# the bidirectional controls that make text read otherwise than it is stored.
CONTROL_CHARACTERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# What else a one-line value (a name, a NIP, an address) never holds: line breaks, tabs and the
# zero-width characters that make two names look alike.
NOT_IN_ONE_LINE = re.compile(r"[\t\n\r\u200b-\u200d\u2060\ufeff]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "")


def slugify(text: str) -> str:
    """A web-address part made from a title: lower-case letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "program"
