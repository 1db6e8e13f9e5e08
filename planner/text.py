"""Text hygiene shared by forms, exports and calendar feeds."""

import re

# C0 controls except tab and newline, DEL, C1 controls, and Unicode line/paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text or "")
