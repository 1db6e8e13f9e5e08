"""Normalising what contacts type: phone numbers, NIPs, e-mail addresses.

Each function returns the normalised value or raises ValueError with a message for the
person who typed it; the forms and the JSON API both use them.
"""

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

NIP_SEPARATORS = re.compile(r"[\s.\-]")
ASCII_DIGITS = re.compile(r"[0-9]+")
OTHER_DIGITS = re.compile(r"[^\x00-\x7f]")


def normalise_phone(value: str) -> str:
    """+62 form (E.164) for Indonesian and international numbers."""
    value = unicodedata.normalize("NFKC", value)
    if OTHER_DIGITS.search(value):
        raise ValueError(_l("Write the phone number with the digits 0 to 9."))
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(
            _l(
                "This phone number is incomplete or wrong. Write it like 0812 3456 7890 or +62 812 "
                "3456 7890."
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """A stored (E.164) number as people write it: 0813-4987-6543 in Indonesia, +60 12-345 6789
    abroad."""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(number) == "ID":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_nip(value: str) -> str:
    """A NIP is 18 digits; spaces, dots and dashes between groups are dropped. Full-width
    digits count (NFKC makes them 0-9); other scripts' digits and invisible characters do not."""
    digits = NIP_SEPARATORS.sub("", unicodedata.normalize("NFKC", value))
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", digits.replace(",", ".")):
        raise ValueError(
            _l("This NIP was turned into a number like 1.98E+17; type all 18 digits as text.")
        )
    if not ASCII_DIGITS.fullmatch(digits):
        raise ValueError(
            _l(
                "A NIP has only digits. Remove the letters or other signs, and check the NIP on "
                "the SK or staff card."
            )
        )
    if len(digits) != 18:
        raise ValueError(
            _l(
                "A NIP has 18 digits; this one has %(count)s. Check the NIP on the SK or staff "
                "card.",
                count=len(digits),
            )
        )
    return digits


def normalise_email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(
            _l(
                "This e-mail address is incomplete or wrong. Write it in full, like "
                "nama@instansi.go.id."
            )
        ) from None


def name_key(name: str) -> str:
    """Names compared the way people read them: case and spacing do not matter."""
    return " ".join(name.casefold().split())
