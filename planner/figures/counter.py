"""The home page's counter: "Tahun ini 287 rombongan dari 31 provinsi belajar di Banyuwangi".

Off until the host switches it on (HostProfile.public_counter). The public pages sit below
the figures in the layers, so they cannot ask for it: `init_app` lends the home page's
template a `public_counter()` to call, and only a template that calls it pays its two small
queries (the host profile, then one grouped count), whatever the year's size.
"""

from flask import Flask
from flask_babel import gettext as _

from planner.core.database import db
from planner.core.i18n import format_number
from planner.figures.compute import headline
from planner.programs.times import host_today
from planner.visits.host import PROFILE_ID
from planner.visits.models import HostProfile

LETTERHEAD_PREFIX = "PEMERINTAH "


def host_name(profile: HostProfile) -> str:
    """Where visitors came: the place on the letters ("Banyuwangi"), else the letterhead's
    government ("PEMERINTAH KABUPATEN BANYUWANGI" reads "Kabupaten Banyuwangi")."""
    if profile.place.strip():
        return profile.place.strip()
    name = profile.name.strip()
    if name.upper().startswith(LETTERHEAD_PREFIX):
        name = name[len(LETTERHEAD_PREFIX) :]
    return name.title() if name.isupper() else name


def public_counter() -> str:
    """The sentence for this year (the host's), or "" when the host keeps it off, has no name
    yet, or nobody has visited yet this year."""
    profile = db.session.get(HostProfile, PROFILE_ID)  # a GET page makes no profile row
    if profile is None or not profile.public_counter or not host_name(profile):
        return ""
    figures = headline(host_today().year)
    if not figures.delegations:
        return ""
    return _(
        "This year %(delegations)s delegations from %(provinces)s provinces came to learn in "
        "%(host)s",
        delegations=format_number(figures.delegations),
        provinces=format_number(figures.provinces),
        host=host_name(profile),
    )


def init_app(app: Flask) -> None:
    app.add_template_global(public_counter)
