"""Member lists from the form, the API and a spreadsheet: one matcher, kept members keep their
links, NIPs move freely, and ambiguous or duplicate people are refused without changing
anything."""

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from planner.core.database import db
from planner.core.errors import constraint_of
from planner.delegations.models import Delegation, DelegationStatus, Member, MemberItem
from tests.helpers import _batches, nip, post_back, register, text


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def people(count_: int, batch: int) -> list[dict]:
    return [
        {
            "full_name": f"Pejabat {index + 1}",
            "position": "Kepala Bidang",
            "nip": nip(index, batch),
            "phone": f"0812345670{index:02d}",
            "role": "leader" if index == 0 else "member",
        }
        for index in range(count_)
    ]


def registration(members: list[dict]) -> dict:
    return {
        "institution": "Pemerintah Kabupaten Seruyan",
        "province": "Kalimantan Tengah",
        "leader_name": "H. Yulhaidir",
        "leader_title": "Bupati Seruyan",
        "contact": {"name": "Syahrul", "phone": "0813 4987 6543", "email": "p@seruyankab.go.id"},
        "members": members,
    }


@pytest.fixture
def registered(client, make_program):
    """Eight members with NIPs registered through the API."""
    program = make_program(max_participants=100)
    listed = people(8, next(_batches))
    response = client.post(
        f"/api/v1/programs/{program.slug}/registrations", json=registration(listed)
    )
    assert response.status_code == 201, response.json
    return program, response.json, listed


def members_url(answer: dict) -> str:
    return "/api/v1/delegations/" + answer["manage_url"].rsplit("/", 1)[1] + "/members"


def test_the_same_people_minus_two_without_ids_keep_their_links(client, registered):
    _, answer, listed = registered
    response = client.put(members_url(answer), json={"members": listed[:6]})
    assert response.status_code == 200, response.json
    kept = {m["nip"]: m["personal_url"] for m in response.json["members"]}
    before = {m["nip"]: m["personal_url"] for m in answer["members"]}
    assert len(kept) == 6 and all(kept[n] == before[n] for n in kept)
    for url in kept.values():
        assert client.get(url.replace("https://planner.example.id", "")).status_code == 200
    assert count(Member) == 6


def test_swapping_two_members_nips_works(client, registered):
    _, answer, _ = registered
    rows = [
        {"id": m["id"], "full_name": m["full_name"], "nip": m["nip"]} for m in answer["members"]
    ]
    rows[1]["nip"], rows[2]["nip"] = rows[2]["nip"], rows[1]["nip"]
    response = client.put(members_url(answer), json={"members": rows})
    assert response.status_code == 200, response.json
    shown = response.json["members"]
    assert shown[1]["nip"] == answer["members"][2]["nip"]
    assert shown[2]["nip"] == answer["members"][1]["nip"]
    assert [m["personal_url"] for m in shown] == [m["personal_url"] for m in answer["members"]]


def test_fields_a_row_leaves_out_keep_their_values(client, registered):
    _, answer, listed = registered
    response = client.put(
        members_url(answer),
        json={"members": [{"full_name": m["full_name"], "nip": m["nip"]} for m in listed]},
    )
    assert response.status_code == 200, response.json
    assert [m["phone"] for m in response.json["members"]] == [m["phone"] for m in answer["members"]]


def test_members_without_nip_are_matched_by_name_and_keep_their_links(
    client, make_program, make_item
):
    program = make_program()
    trek = make_item(program, optional=True)
    listed = [
        {"full_name": "Rina Marlina", "position": "Staf"},
        {"full_name": "Budi", "position": "Staf"},
    ]
    listed[0]["optional_items"] = [trek.public_id]
    answer = client.post(
        f"/api/v1/programs/{program.slug}/registrations", json=registration(listed)
    ).json
    again = client.put(
        members_url(answer), json={"members": [{"full_name": "rina  MARLINA", "position": "Staf"}]}
    )
    assert again.status_code == 200, again.json
    (member,) = again.json["members"]
    assert member["personal_url"] == answer["members"][0]["personal_url"]
    assert member["optional_items"] == [trek.public_id]  # choices kept when not sent


def test_two_rows_claiming_one_member_are_refused_naming_the_rows(client, registered):
    _, answer, _ = registered
    first = answer["members"][0]
    rows = [
        {"id": first["id"], "full_name": first["full_name"]},
        {"id": first["id"], "full_name": "Orang Lain"},
    ]
    before = db.session.execute(select(Member.id, Member.full_name, Member.nip)).all()
    response = client.put(members_url(answer), json={"members": rows})
    assert response.status_code == 422
    assert "Baris 1 dan 2" in response.json["errors"]["members.1.id"][0]
    assert db.session.execute(select(Member.id, Member.full_name, Member.nip)).all() == before


def test_an_id_of_nobody_in_the_delegation_is_refused(client, registered):
    _, answer, _ = registered
    response = client.put(
        members_url(answer), json={"members": [{"id": "0" * 32, "full_name": "X", "position": "Y"}]}
    )
    assert response.status_code == 422 and "members.0.id" in response.json["errors"]
    assert count(Member) == 8


def test_a_nip_with_a_seat_in_another_delegation_is_refused_by_name(client, registered):
    program, answer, listed = registered
    before = (count(Delegation), count(Member))
    again = registration([{**listed[3], "full_name": "Pejabat Lain"}])
    again["institution"] = "Pemerintah Kabupaten Katingan"
    response = client.post(f"/api/v1/programs/{program.slug}/registrations", json=again)
    assert response.status_code == 422
    assert "Pemerintah Kabupaten Seruyan" in response.json["errors"]["members.0.nip"][0]
    assert (count(Delegation), count(Member)) == before


def test_a_nip_of_a_cancelled_delegation_may_register_again(client, registered):
    program, answer, listed = registered
    delegation = db.session.scalar(select(Delegation))
    delegation.status = DelegationStatus.CANCELLED
    db.session.commit()
    response = client.post(
        f"/api/v1/programs/{program.slug}/registrations", json=registration(listed[:2])
    )
    assert response.status_code == 201, response.json


def test_the_form_swaps_nips_and_takes_back_a_removed_nip(client, make_program):
    program = make_program()
    response = register(client, program, members=3)
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/", 1)[1]
    delegation = db.session.scalar(select(Delegation))
    links = [member.token for member in delegation.members]
    nips = [member.nip for member in delegation.members]
    page = f"/d/{token}/edit"
    swapped = post_back(
        client, page, "institution", **{"members-0-nip": nips[1], "members-1-nip": nips[0]}
    )
    assert swapped.status_code == 303, text(swapped)[-2000:]
    db.session.expire_all()
    delegation = db.session.scalar(select(Delegation))
    assert [m.nip for m in delegation.members][:2] == [nips[1], nips[0]]
    assert [m.token for m in delegation.members] == links
    # The third member is removed (their row emptied) and their NIP typed into a new row.
    emptied = {
        f"members-2-{name}": "" for name in ("full_name", "position", "nip", "rank", "phone")
    }
    readded = {
        "members-3-full_name": "Pengganti",
        "members-3-position": "Kepala Seksi",
        "members-3-nip": nips[2],
        "members-3-role": "member",
    }
    response = post_back(client, page, "institution", **emptied, **readded)
    assert response.status_code == 303, text(response)[-2000:]
    db.session.expire_all()
    names = [m.full_name for m in db.session.scalar(select(Delegation)).members]
    assert names[-1] == "Pengganti" and len(names) == 3


def test_an_ambiguous_list_from_the_form_keeps_what_was_typed(client, make_program):
    program = make_program()
    token = register(client, program, members=2).headers["Location"].rsplit("/", 1)[1]
    delegation = db.session.scalar(select(Delegation))
    first = delegation.members[0].public_id
    response = post_back(
        client,
        f"/d/{token}/edit",
        "institution",
        **{"members-1-id": first, "members-1-full_name": "Nama Diketik"},
    )
    assert response.status_code == 422
    page = text(response)
    assert "Nama Diketik" in page and "Baris 1 dan 2" in page


def test_a_database_refusal_is_logged_without_the_values_it_quotes(
    make_program, make_delegation, caplog
):
    delegation = make_delegation(make_program(), members=2)
    secret = "197001011995031001"
    for member in delegation.members:
        member.nip = secret
    with pytest.raises(sa.exc.IntegrityError) as refused:
        db.session.commit()
    db.session.rollback()
    assert secret not in constraint_of(refused.value)
    assert "members" in constraint_of(refused.value) or "nip" in constraint_of(refused.value)


def test_a_registration_costs_the_same_queries_for_5_and_30_members(
    client, make_program, make_item
):
    program = make_program(max_participants=200)
    trek = make_item(program, optional=True)
    statements = []

    url, trek_id = f"/api/v1/programs/{program.slug}/registrations", trek.public_id

    def counted(listed):
        for member in listed:
            member["optional_items"] = [trek_id]
        statements.clear()
        response = client.post(url, json=registration(listed))
        assert response.status_code == 201, response.json
        return len(statements)

    def count_statement(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        few = counted(people(5, next(_batches)))
        many = counted(people(30, next(_batches)))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_statement)
    assert few == many, (few, many)
    assert count(MemberItem) == 35
    assert many <= 13
