"""The visiting region on the sender's forms: a <select> of the Kemendagri list (one string per
process, static/js/regions.js makes it a type-ahead), its rules for institution and province,
and what its time zone means next to the host's."""

import functools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import SelectField
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from planner.core.i18n import ngettext
from planner.programs.times import host_today
from planner.regions import reference


@functools.cache
def _region_options() -> str:
    """Every region of the list as <option>s, per province an <optgroup> with the province
    itself first: built once per process (a page marks only its chosen option)."""
    parts = []
    for province in reference.provinces():
        parts.append(
            f'<optgroup label="{escape(province.name)} ({province.zone_label})" '
            f'data-province="{escape(province.name)}" data-zone="{province.zone_label}">'
            f'<option value="{province.code}">{escape(province.label)}</option>'
        )
        parts.extend(
            f'<option value="{region.code}">{escape(region.name)}</option>'
            for region in reference.regions_of(province.code)
        )
        parts.append("</optgroup>")
    return "".join(parts)


class RegionSelect:
    """A <select> of the region list, its first option "none of them"; static/js/regions.js
    turns it into a type-ahead."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs["data-region-select"] = True
        # What the type-ahead says, in the page's language.
        kwargs["data-placeholder"] = gettext("Type a name, e.g. Seruyan")
        kwargs["data-text-found"] = gettext("Regions found: %(count)s.", count="{count}")
        kwargs["data-text-more"] = gettext("Type more of the name to see the others.")
        kwargs["data-text-none"] = gettext(
            "No region has this name. Check the spelling, or choose the first entry for "
            "another institution."
        )
        options = _region_options()
        chosen = reference.region(field.data)
        if chosen is not None:
            options = options.replace(f'value="{chosen.code}">', f'value="{chosen.code}" selected>')
        none = gettext("— choose, or another institution —")
        empty = "" if chosen else " selected"
        # Every value in it is escaped (html_params escapes the attributes).
        return Markup(  # noqa: S704
            f"<select {html_params(name=field.name, **kwargs)}>"
            f'<option value=""{empty}>{escape(none)}</option>{options}</select>'
        )


def known_region(form, field) -> None:
    if field.data and reference.region(field.data) is None:
        raise StopValidation(
            _l(
                "Not a region of the Kemendagri list. Choose your province or regency/city from "
                "the list (a code such as 62.07), or leave it empty for another institution."
            )
        )


def from_region(form, field) -> None:
    """Institution and province: a chosen region gives its province always, and its
    government's name when no institution is typed (a DPRD keeps its own); without a region
    both are required."""
    chosen = reference.region(form.region_code.data)
    if chosen is None:
        # An unknown code is the one error to fix (at region_code), not three.
        if not field.data and not form.region_code.data:
            raise StopValidation(_l("This field is required."))
    elif field.short_name == "province":
        field.data = chosen.province.name
    elif not field.data:
        field.data = chosen.government


class RegionField(SelectField):
    """The visiting region's Kemendagri code, chosen from the list ("" for none)."""

    widget = RegionSelect()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[], validate_choice=False, **kwargs)

    def _value(self):
        return self.data or ""


def zone_note(region: reference.Region, host_timezone: str, day: date | None = None) -> str:
    """ "Your region is on WITA, 1 hour ahead of the host's WIB: ..." (or "as the host is"),
    on the day (the host's today unless given)."""
    day = day or host_today()
    moment = datetime(day.year, day.month, day.day, 12)
    hours = int(
        (
            moment.replace(tzinfo=ZoneInfo(region.timezone)).utcoffset()
            - moment.replace(tzinfo=ZoneInfo(host_timezone)).utcoffset()
        ).total_seconds()
        // 3600
    )
    host_zone = reference.ZONE_LABELS.get(host_timezone, host_timezone)
    if hours == 0 or region.zone_label == host_zone:
        return gettext(
            "Your region is on %(zone)s, as the host is: the agenda's times are your local times.",
            zone=region.zone_label,
        )
    if hours > 0:
        return ngettext(
            "Your region is on %(zone)s, %(num)s hour ahead of the host's %(host)s: the agenda's "
            "times are in %(host)s.",
            "Your region is on %(zone)s, %(num)s hours ahead of the host's %(host)s: the "
            "agenda's times are in %(host)s.",
            hours,
            zone=region.zone_label,
            host=host_zone,
        )
    return ngettext(
        "Your region is on %(zone)s, %(num)s hour behind the host's %(host)s: the agenda's "
        "times are in %(host)s.",
        "Your region is on %(zone)s, %(num)s hours behind the host's %(host)s: the agenda's "
        "times are in %(host)s.",
        -hours,
        zone=region.zone_label,
        host=host_zone,
    )
