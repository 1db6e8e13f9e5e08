"""Language choice and the Indonesian way of writing dates, times and zones."""

from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal
from flask import (
    Blueprint,
    Flask,
    current_app,
    has_app_context,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from planner.core.validation import format_phone

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}

# Indonesia's legal zone names (Keppres 41/1987); CLDR has no short names for them.
ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    # ?lang= first: calendar apps fetch feeds without the browser's cookie or language.
    for chosen in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def zone_label(timezone: str, moment: datetime | None = None) -> str:
    """WIB, WITA or WIT for Indonesian zones; otherwise the UTC offset, e.g. UTC+9."""
    if timezone in ZONE_LABELS:
        return ZONE_LABELS[timezone]
    offset = (moment or datetime.now()).astimezone(ZoneInfo(timezone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def host_timezone() -> str:
    return current_app.config["PLANNER_TIMEZONE"] if has_app_context() else "Asia/Jakarta"


def in_zone(value: date | datetime, timezone: str | None = None) -> date | datetime:
    """An instant as wall-clock time in the zone (the host's unless named); a date as it is.
    Every date and time people read goes through here, so a 02:00 WIB trek is never shown
    on the UTC day before."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(ZoneInfo(timezone or host_timezone()))
    return value


def format_day(value: date | datetime, timezone: str | None = None) -> str:
    """Rabu, 9 Desember 2026 / Wednesday, 9 December 2026."""
    return format_date(in_zone(value, timezone), "EEEE, d MMMM y", locale=current_language())


def format_long_date(value: date | datetime, timezone: str | None = None) -> str:
    """9 Desember 2026 / 9 December 2026, as a letter's date line and references read."""
    return format_date(in_zone(value, timezone), "d MMMM y", locale=current_language())


def format_short_date(value: date | datetime, timezone: str | None = None) -> str:
    """9 Des 2026 / 9 Dec 2026."""
    return format_date(in_zone(value, timezone), "d MMM y", locale=current_language())


def format_date_range(first: date, last: date) -> str:
    """2–3 Des 2026, or 2 Des 2026 for a single day."""
    return format_interval(first, last, "yMMMd", locale=current_language())


def format_weekday_date(value: date | datetime, timezone: str | None = None) -> str:
    """Rab, 9 Des / Wed, 9 Dec."""
    return format_date(in_zone(value, timezone), "EEE, d MMM", locale=current_language())


def format_clock(value: datetime) -> str:
    """08.00 in Indonesian, 08:00 in English: the locale's 24-hour pattern."""
    return format_skeleton("Hm", value, locale=current_language())


def format_local_time(value: datetime, timezone: str | None = None) -> str:
    """A UTC instant as wall-clock time in the zone, with its label: 08.00 WIB."""
    timezone = timezone or host_timezone()
    local = value.astimezone(ZoneInfo(timezone))
    return f"{format_clock(local)} {zone_label(timezone, local)}"


def format_moment(value: datetime, timezone: str | None = None) -> str:
    """4 Des 2026 02.00 WIB: a date and time in the zone."""
    return f"{format_short_date(value, timezone)} {format_local_time(value, timezone)}"


def format_number(value: int | float) -> str:
    return format_decimal(value, locale=current_language())


def ngettext(singular: str, plural: str, count: int, /, *, markup=False, **variables) -> str:
    """The project's plural message, for Python and (as their ngettext) templates: the count
    is written the language's way, "1.500 peserta" in Indonesian, as every other number
    (Flask-Babel's and Jinja's ngettext would write "1500"). With `markup`, the catalog's
    text is markup and only the variables are escaped."""
    variables.setdefault("num", format_number(count))
    text = get_translations().ungettext(singular, plural, count)
    if markup:
        text = Markup(text)  # noqa: S704 (the catalog's own text; % escapes the variables)
    return text % variables


@pass_context
def _template_ngettext(context, singular: str, plural: str, count: int, /, **variables) -> str:
    return ngettext(singular, plural, count, markup=context.eval_ctx.autoescape, **variables)


@bp.get("/language/<code>")
def switch_language(code: str):
    target = request.args.get("next", "")
    parts = urlsplit(target)
    # Only same-site paths: never an open redirect.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = url_for("public.index")
    response = redirect(target, code=303)
    if code in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        day=format_day,
        short_date=format_short_date,
        long_date=format_long_date,
        weekday_date=format_weekday_date,
        clock=format_clock,
        local_time=format_local_time,
        moment=format_moment,
        phone=format_phone,
        number=format_number,
    )
    app.jinja_env.globals.update(
        ngettext=_template_ngettext,  # replaces Flask-Babel's, installed before
        date_range=format_date_range,
        zone_label=zone_label,
        current_language=current_language,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
