"""Text hygiene shared by forms, exports and calendar feeds; web addresses made from titles."""

import re

# C0 controls except tab and newline, DEL, C1 controls, and Unicode line/paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "")


def slugify(text: str) -> str:
    """A web-address part made from a title: lower-case letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].rstrip("-") or "program"
