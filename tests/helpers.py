"""Helpers for driving the HTML forms the way a browser does, CSRF token included."""

import re
from itertools import count

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEFAULT_PASSWORD = "rahasia-sekali-123"
# Each registration lists other people (other NIPs): one person holds one seat in a program.
_batches = count()


def nip(index: int, batch: int = 0) -> str:
    """An 18-digit NIP, different for each index within a batch and for each batch (up to 50)."""
    return f"19{50 + batch % 50:02d}0101199503{(index % 2) + 1}{index:03d}"


def csrf_token(client, page: str = "/staff/login") -> str:
    html = client.get(page).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def login(client, user, password: str = DEFAULT_PASSWORD):
    token = csrf_token(client)
    response = client.post(
        "/staff/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response


def post(client, url: str, data: dict | None = None, token_page: str = "/staff/account", **kw):
    """POST a form with a valid CSRF token of the client's session."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, token_page))
    return client.post(url, data=payload, **kw)


def text(response) -> str:
    return response.get_data(as_text=True)


def registration_form(members: int = 3, **overrides) -> dict:
    """A valid registration form as a browser posts it (the contract field names)."""
    data = {
        "institution": "Pemerintah Kabupaten Seruyan",
        "province": "Kalimantan Tengah",
        "leader_name": "H. Yulhaidir",
        "leader_title": "Bupati Seruyan",
        "contact-name": "Syahrul Ramadhan",
        "contact-phone": "0813 4987 6543",
        "contact-email": "protokol@seruyankab.go.id",
        "request_letter-number": "005/123/Org/2026",
        "request_letter-date": "2026-11-10",
        "arrival_notes": "Tiba Selasa sore",
        "departure_notes": "",
    }
    batch = next(_batches)
    for index in range(members):
        data.update(member_row(index, nip=nip(index, batch)))
    data.update(overrides)
    return data


def member_row(index: int, **overrides) -> dict:
    row = {
        "full_name": f"Peserta Nomor {index + 1}",
        "position": "Kepala Bagian",
        "nip": nip(index),
        "rank": "Pembina (IV/a)",
        "gender": "L",
        "phone": f"0812{34560000 + index}",
        "email": "",
        "dietary": "",
        "role": "leader" if index == 0 else "member",
    }
    row.update(overrides)
    return {f"members-{index}-{name}": value for name, value in row.items()}


def register(client, program, members: int = 3, **overrides):
    page = f"/programs/{program.slug}/register"
    data = registration_form(members, **overrides)
    data["csrf_token"] = csrf_token(client, page)
    return client.post(page, data=data)
