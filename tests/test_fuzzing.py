"""Arbitrary input at the registration form and the member edit form: never a 5xx, and
either nothing is written or a whole, valid delegation is."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from planner.core.database import db
from planner.delegations.models import Delegation, Member, MemberItem
from tests.helpers import csrf_token, registration_form

FIELDS = [
    "institution",
    "province",
    "leader_name",
    "leader_title",
    "contact-name",
    "contact-phone",
    "contact-email",
    "request_letter-number",
    "request_letter-date",
    "arrival_notes",
    "departure_notes",
    "version",
    "add_rows",
]
MEMBER_FIELDS = [
    "id",
    "full_name",
    "position",
    "nip",
    "rank",
    "gender",
    "phone",
    "email",
    "dietary",
    "role",
    "optional_items",
]
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "1.98E+17",
            "197001011995031001",
            "=1+1",
            "<b>x</b>",
            "08123456789",
            "a@b.co",
            "2026-02-30",
            "L",
            "P",
            "leader",
            "x" * 5000,
        ]
    ),
)
member_keys = st.tuples(st.integers(min_value=-2, max_value=40), st.sampled_from(MEMBER_FIELDS))
form_changes = st.dictionaries(
    st.one_of(
        st.sampled_from(FIELDS),
        member_keys.map(lambda k: f"members-{k[0]}-{k[1]}"),
        st.text(max_size=20),
    ),
    values,
    max_size=12,
)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts() -> tuple:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Delegation, Member, MemberItem)
    )


def whole(delegation: Delegation) -> bool:
    return 1 <= len(delegation.members) <= delegation.program.members_per_delegation and all(
        member.full_name and member.position for member in delegation.members
    )


@pytest.fixture
def program(make_program, make_item):
    program = make_program(max_participants=500)
    make_item(program, title="Ijen", optional=True, capacity=3)
    return program


@SETTINGS
@given(changes=form_changes, members=st.integers(min_value=0, max_value=4))
def test_the_registration_form_never_fails_or_half_writes(client, program, changes, members):
    page = f"/programs/{program.slug}/register"
    data = registration_form(members=members)
    data.update(changes)
    data["csrf_token"] = csrf_token(client, page)
    before = counts()
    response = client.post(page, data=data)
    assert response.status_code < 500
    if response.status_code == 303:
        newest = db.session.scalar(select(Delegation).order_by(Delegation.id.desc()))
        assert whole(newest)
    else:
        assert counts() == before


@SETTINGS
@given(changes=form_changes)
def test_the_member_edit_form_never_fails_or_half_writes(client, program, make_delegation, changes):
    delegation = db.session.scalar(select(Delegation).where(Delegation.program_id == program.id))
    if delegation is None:
        delegation = make_delegation(program, members=3)
    page = f"/d/{delegation.token}/edit"
    data = registration_form(members=3)
    data.update(changes)
    data["csrf_token"] = csrf_token(client, page)
    db.session.expire_all()
    before = [(m.public_id, m.full_name, m.nip) for m in delegation.members]
    response = client.post(page, data=data)
    assert response.status_code < 500
    db.session.expire_all()
    after = [(m.public_id, m.full_name, m.nip) for m in delegation.members]
    if response.status_code == 303:
        assert whole(delegation)
    else:
        assert after == before
