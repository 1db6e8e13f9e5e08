"""Private links: what each token opens, and 404 for every wrong one."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from planner.core import outbox
from planner.core.database import db
from planner.delegations.models import Delegation, DelegationStatus, Member
from tests.helpers import csrf_token, login, post, register, text

DELEGATION_ROUTES = [
    "/d/{}",
    "/d/{}/edit",
    "/d/{}/letter.pdf",
    "/d/{}/schedule.ics",
    "/d/{}/import",
    "/d/{}/import/template.xlsx",
]
DELEGATION_POSTS = ["/d/{}/cancel", "/d/{}/send-link", "/d/{}/edit", "/d/{}/import"]
MEMBER_ROUTES = ["/m/{}", "/m/{}/qr.svg", "/m/{}/schedule.ics"]


@pytest.fixture
def two_delegations(make_program, make_item, make_delegation):
    program = make_program()
    make_item(program, title="Paparan SAKIP", start=time(9), end=time(10))
    trek = make_item(
        program, title="Pendakian Kawah Ijen", optional=True, start=time(1), end=time(6)
    )
    make_item(program, title="Kelompok lain", optional=True, start=time(13), end=time(14))
    first = make_delegation(program, members=3)
    first.members[0].optional_items.append(trek)
    second = make_delegation(program, members=2)
    db.session.commit()
    return first, second


def test_every_private_route_is_in_the_sweep(app):
    private = {
        rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(("/d/", "/m/"))
    }
    assert private == {
        "/d/<token>",
        "/d/<token>/edit",
        "/d/<token>/letter.pdf",
        "/d/<token>/cancel",
        "/d/<token>/send-link",
        "/m/<token>",
        "/m/<token>/qr.svg",
        "/d/<token>/schedule.ics",
        "/m/<token>/schedule.ics",
        "/d/<token>/import",
        "/d/<token>/import/template.xlsx",
    }


def wrong_tokens(right: str, other: str) -> list[str]:
    return [
        right[:-1],  # truncated
        right[:20],
        right[:-1] + ("A" if right[-1] != "A" else "B"),  # one character off
        right.upper() if right.upper() != right else right.lower(),
        other,  # a token of another kind of record
        "1",
        "x" * 43,
        "%00" + right,
    ]


def test_wrong_truncated_and_other_record_tokens_are_404_everywhere(client, two_delegations):
    first, second = two_delegations
    member = first.members[0]
    token = csrf_token(client)
    for wrong in wrong_tokens(first.token, member.token):
        for route in DELEGATION_ROUTES:
            assert client.get(route.format(wrong)).status_code == 404, (route, wrong)
        for route in DELEGATION_POSTS:
            response = client.post(route.format(wrong), data={"csrf_token": token})
            assert response.status_code == 404, (route, wrong)
    for wrong in wrong_tokens(member.token, first.token):
        for route in MEMBER_ROUTES:
            assert client.get(route.format(wrong)).status_code == 404, (route, wrong)


def test_a_member_token_never_opens_the_delegation(client, two_delegations):
    first, _ = two_delegations
    member = first.members[1]
    for route in DELEGATION_ROUTES:
        assert client.get(route.format(member.token)).status_code == 404


def test_the_delegation_page_shows_its_own_members_and_their_links(client, two_delegations):
    first, second = two_delegations
    page = text(client.get(f"/d/{first.token}"))
    for member in first.members:
        assert member.full_name in page and f"/m/{member.token}" in page
    for member in second.members:
        assert member.full_name not in page and member.token not in page
    assert "https://wa.me/" in page and "Yth.%20" in page  # a short Indonesian message
    assert "menunggu persetujuan" in page


def test_the_member_page_shows_only_what_the_member_attends(client, two_delegations):
    first, _ = two_delegations
    climber, other = first.members[0], first.members[1]
    page = text(client.get(f"/m/{climber.token}"))
    assert "Paparan SAKIP" in page and "Pendakian Kawah Ijen" in page
    assert "Kelompok lain" not in page
    assert "01.00" in page and "WIB" in page
    assert climber.full_name in page
    assert other.full_name not in page and first.contact_phone not in page
    assert "Pendakian Kawah Ijen" not in text(client.get(f"/m/{other.token}"))


def test_private_pages_tell_browsers_not_to_leak_the_link(client, two_delegations):
    first, _ = two_delegations
    for url in (f"/d/{first.token}", f"/m/{first.members[0].token}"):
        assert '<meta name="referrer" content="no-referrer">' in text(client.get(url))


def test_staff_reissue_kills_the_old_links(client, two_delegations, make_staff):
    first, _ = two_delegations
    old_delegation, old_member = first.token, first.members[0].token
    login(client, make_staff())
    post(client, f"/staff/delegations/{first.public_id}/reissue")
    post(client, f"/staff/members/{first.members[0].public_id}/reissue")
    db.session.refresh(first)
    assert client.get(f"/d/{old_delegation}").status_code == 404
    assert client.get(f"/m/{old_member}").status_code == 404
    assert client.get(f"/d/{first.token}").status_code == 200
    assert client.get(f"/m/{first.members[0].token}").status_code == 200


def test_the_contact_edits_members_and_personal_links_survive(client, make_program):
    program = make_program(max_participants=50)
    response = register(client, program, members=3)
    delegation = db.session.scalar(select(Delegation))
    kept = {m.public_id: m.token for m in delegation.members}
    edit = f"/d/{delegation.token}/edit"
    html = text(client.get(edit))
    data = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
    }
    data.update(
        {
            "members-1-full_name": "Peserta Dua (diperbaiki)",
            "members-2-full_name": "",
            "members-2-position": "",
            "members-2-nip": "",
            "members-2-phone": "",
            "members-2-rank": "",
            "members-3-full_name": "Peserta Baru",
            "members-3-position": "Staf",
            "members-3-role": "member",
            "confirm": "1",  # removing the third member is confirmed (test_confirmations.py)
        }
    )
    response = client.post(edit, data=data)
    assert response.status_code == 303, re.findall(r"<li><a[^<]*<", text(response))
    db.session.expire_all()
    members = db.session.scalars(select(Member).order_by(Member.sort_order)).all()
    assert [m.full_name for m in members] == [
        "Peserta Nomor 1",
        "Peserta Dua (diperbaiki)",
        "Peserta Baru",
    ]
    assert {m.public_id: m.token for m in members[:2]} == {
        key: value for key, value in kept.items() if key in {m.public_id for m in members[:2]}
    }
    assert len(kept.keys() & {m.public_id for m in members}) == 2


def test_edits_stop_when_registration_closes_but_staff_can_still_edit(
    client, make_program, make_delegation, make_staff
):
    program = make_program(registration_closes_at=datetime.now(UTC) - timedelta(hours=1))
    delegation = make_delegation(program)
    response = client.get(f"/d/{delegation.token}/edit")
    assert response.status_code == 303
    assert "Ubah data, anggota dan pilihan acara" not in text(client.get(f"/d/{delegation.token}"))
    login(client, make_staff())
    assert client.get(f"/staff/delegations/{delegation.public_id}/edit").status_code == 200


def test_the_contact_can_cancel(client, make_program, make_delegation):
    delegation = make_delegation(make_program())
    token = csrf_token(client, f"/d/{delegation.token}")
    response = client.post(
        f"/d/{delegation.token}/cancel",
        data={"csrf_token": token, "reason": "Anggaran", "confirm": "1"},
    )
    assert response.status_code == 303
    db.session.refresh(delegation)
    assert (
        delegation.status == DelegationStatus.CANCELLED and delegation.status_reason == "Anggaran"
    )


def test_send_my_link_queues_the_link_and_keeps_it_out_of_the_log(
    client, make_program, make_delegation, caplog, mailbox
):
    delegation = make_delegation(make_program())
    token = csrf_token(client, f"/d/{delegation.token}")
    with caplog.at_level("INFO"):
        response = client.post(f"/d/{delegation.token}/send-link", data={"csrf_token": token})
        assert response.status_code == 303
        assert outbox.deliver_due()["sent"] == 1
    (sent,) = mailbox
    assert sent.to == [delegation.contact_email] and f"/d/{delegation.token}" in sent.body
    assert delegation.contact_email not in caplog.text and delegation.token not in caplog.text


def test_a_members_qr_file_is_an_svg_a_browser_shows(client, make_program, make_delegation):
    member = make_delegation(make_program()).members[0]
    response = client.get(f"/m/{member.token}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.data
