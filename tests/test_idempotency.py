"""A registration sent twice registers once: the API's Idempotency-Key and the form's hidden
one-time key."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from planner.core.database import db
from planner.core.idempotency import IdempotencyKey
from planner.delegations.models import Delegation, Member
from tests.conftest import IsolatedClient
from tests.helpers import _batches, csrf_token, nip, registration_form, text


def delegations() -> int:
    return db.session.scalar(select(func.count()).select_from(Delegation))


def body(batch: int | None = None, **overrides) -> dict:
    batch = next(_batches) if batch is None else batch
    data = {
        "institution": "Pemerintah Kabupaten Kutai Timur",
        "province": "Kalimantan Timur",
        "leader_name": "Drs. Ardiansyah",
        "leader_title": "Bupati Kutai Timur",
        "contact": {"name": "Rina", "phone": "0812 5566 7788", "email": "rina@kutaitimurkab.go.id"},
        "members": [
            {"full_name": f"Anggota {i}", "position": "Kepala Bagian", "nip": nip(i, batch)}
            for i in range(3)
        ],
    }
    data.update(overrides)
    return data


def post(client, program, data, key):
    slug = program if isinstance(program, str) else program.slug
    return client.post(
        f"/api/v1/programs/{slug}/registrations",
        json=data,
        headers={"Idempotency-Key": key} if key is not None else {},
    )


def test_the_same_key_gets_the_first_answer_and_registers_nothing_new(client, make_program):
    program = make_program()
    data = body()
    first = post(client, program, data, "2f1c9e7a-registrasi-kutim")
    assert first.status_code == 201
    again = post(client, program, data, "2f1c9e7a-registrasi-kutim")
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert delegations() == 1


def test_the_same_key_with_another_body_is_refused(client, make_program):
    program = make_program()
    data = body()
    assert post(client, program, data, "kunci-1").status_code == 201
    changed = post(client, program, {**data, "leader_title": "Wakil Bupati"}, "kunci-1")
    assert changed.status_code == 422
    assert "Idempotency-Key" in changed.json["errors"]
    assert delegations() == 1


def test_the_same_json_in_another_layout_is_the_same_request(client, make_program):
    program = make_program()
    data = body()
    assert post(client, program, data, "kunci-2").status_code == 201
    reordered = dict(reversed(list(data.items())))
    assert post(client, program, reordered, "kunci-2").status_code == 201
    assert delegations() == 1


def test_a_key_is_spent_only_by_a_registration_that_succeeded(client, make_program):
    program = make_program()
    data = body()
    refused = post(client, program, {**data, "institution": ""}, "kunci-3")
    assert refused.status_code == 422
    assert post(client, program, data, "kunci-3").status_code == 201


def test_after_24_hours_a_key_registers_again(client, make_program):
    program = make_program()
    assert post(client, program, body(), "kunci-4").status_code == 201
    stored = db.session.scalar(select(IdempotencyKey))
    stored.created_at -= timedelta(hours=25)
    db.session.commit()
    assert post(client, program, body(), "kunci-4").status_code == 201
    assert delegations() == 2


def test_keys_belong_to_their_program_and_must_be_visible_characters(client, make_program):
    first, second = make_program(), make_program()
    assert post(client, first, body(), "kunci-5").status_code == 201
    assert post(client, second, body(), "kunci-5").status_code == 201
    for bad in ("", "x" * 201, "dua kata"):
        response = post(client, first, body(), bad)
        assert response.status_code == 422 and "Idempotency-Key" in response.json["errors"]
    assert delegations() == 2


def test_deleting_a_delegation_deletes_its_stored_answer(client, make_program):
    from planner.delegations.protection import delete_delegation

    program = make_program()
    post(client, program, body(), "kunci-6")
    delete_delegation(db.session.scalar(select(Delegation)))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_simultaneous_requests_with_one_key_register_once(app, make_program):
    program = make_program()
    app.test_client_class = IsolatedClient
    clients = [app.test_client() for _ in range(6)]
    data, slug = body(), program.slug
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = post(clients[index], slug, data, "kunci-serentak")
        except Exception as error:  # noqa: BLE001 (shown by the assertion below)
            answers[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [getattr(answer, "status_code", answer) for answer in answers] == [201] * len(clients)
    assert len({answer.json["id"] for answer in answers}) == 1
    assert delegations() == 1


def test_the_form_sent_twice_registers_once(client, make_program):
    program = make_program()
    page = f"/programs/{program.slug}/register"
    html = text(client.get(page))
    key = html.split('name="idempotency_key"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    data = {**registration_form(3), "csrf_token": csrf_token(client, page), "idempotency_key": key}
    first = client.post(page, data=data)
    again = client.post(page, data=data)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert delegations() == 1
    changed = client.post(page, data={**data, "leader_title": "Wakil Bupati"})
    assert changed.status_code == 422
    assert "sudah mendaftarkan" in text(changed)
    assert delegations() == 1 and db.session.scalar(select(func.count()).select_from(Member)) == 3
