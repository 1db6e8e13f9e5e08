"""Helpers for driving the HTML forms the way a browser does, CSRF token included."""

import io
import re
from html.parser import HTMLParser
from itertools import count

from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from planner.core.database import db

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


def pdf_bytes() -> bytes:
    """A real one-page PDF, as a request letter."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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


class _FormParser(HTMLParser):
    """The fields of every form on a page, as a browser would post them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"action": attributes.get("action"), "fields": [], "names": set()}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attributes.get("name")
        if name:
            self._form["names"].add(name)
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((name, attributes.get("value", default)))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form["fields"].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            value = text[1:] if text.startswith("\n") else text  # as browsers read it
            self._form["fields"].append((self._textarea, value))
            self._textarea = None


def form_on(page_html: str, field: str, action: str | None = None) -> dict:
    """The first form on the page that has `field` (and posts to `action`, if given)."""
    parser = _FormParser()
    parser.feed(page_html)
    for form in parser.forms:
        if field in form["names"] and (action is None or form["action"] == action):
            return form
    raise AssertionError(f"no form with a field {field!r} on the page")


def post_back(client, url: str, field: str, action: str | None = None, **changes):
    """Open the page and post its form back as shown, as a browser does (with `changes`)."""
    form = form_on(text(client.get(url)), field, action)
    data = MultiDict(form["fields"])
    for name, value in changes.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return client.post(form["action"] or url, data=data)


def count_queries(app, client, url) -> int:
    """How many SQL statements answering GET `url` takes."""
    count, response = count_statements(app, lambda: client.get(url))
    assert response.status_code == 200
    assert response.data
    return count


def count_statements(app, send) -> tuple[int, object]:
    """(SQL statements, response) of the request `send()` makes, e.g. a registration's POST.
    A streamed body runs its queries while it is read: it is read in full while counting."""
    statements = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        response = send()
        response.get_data()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return len(statements), response


def fill_rule(rule, values: dict) -> str:
    """The URL of a Werkzeug rule with its arguments taken from `values`."""
    url = rule.rule
    for argument in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{argument}(?:\([^)]*\))?>", str(values[argument]), url)
    return url
