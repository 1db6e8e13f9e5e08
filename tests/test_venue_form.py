"""The venue form takes coordinates as Indonesians type them, with a decimal comma."""

from sqlalchemy import select

from planner.core.database import db
from planner.venues.models import Venue
from tests.helpers import post, text


def new_venue(staff_client, **fields):
    values = {"name": "Pendopo Sabha Swagata Blambangan", "address": "Jl. Sritanjung No. 1"}
    values.update(fields)
    return post(staff_client, "/staff/venues/new", values)


def test_a_latitude_typed_with_a_comma_is_saved_as_a_number(staff_client):
    response = new_venue(staff_client, latitude="-8,2192", longitude=" 114,3691 ")
    assert response.status_code == 303
    venue = db.session.scalar(select(Venue).where(Venue.name.startswith("Pendopo")))
    assert (venue.latitude, venue.longitude) == (-8.2192, 114.3691)


def test_a_number_that_is_not_one_gets_one_message_at_its_field(staff_client):
    response = new_venue(staff_client, latitude="-8,21,92", longitude="114.3691")
    assert response.status_code == 422
    page = text(response)
    assert page.count('class="field-error"') == 1 and 'id="latitude-error"' in page
    assert db.session.scalar(select(Venue).where(Venue.name.startswith("Pendopo"))) is None
