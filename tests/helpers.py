"""Helpers for driving the HTML forms the way a browser does, CSRF token included."""

import re

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DEFAULT_PASSWORD = "rahasia-sekali-123"


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
