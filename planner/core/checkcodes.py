"""Check-in codes: what a name tag's QR holds. Short (a QR of large modules, read at arm's
length in the dark), not a link (a tag left on a table opens nothing), with a check character
so a truncated or mistyped code is known as such before any lookup."""

import re
import secrets

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 9  # 45 random bits
LENGTH = RANDOM_LENGTH + 1
PREFIX = "CK:"  # what the scanner knows a planner code by; QR alphanumeric mode holds it
CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def _check(body: str) -> str:
    return ALPHABET[sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body)) % 32]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check(body)


def normalise(text: str) -> str | None:
    """The code a scan or a typed entry holds, or None if it is not a well-formed code."""
    value = (text or "").strip().upper()
    if value.startswith(PREFIX):
        value = value[len(PREFIX) :]
    value = value.replace("-", "").replace(" ", "")
    if not CODE.fullmatch(value) or _check(value[:-1]) != value[-1]:
        return None
    return value


def qr_text(code: str) -> str:
    return PREFIX + code
