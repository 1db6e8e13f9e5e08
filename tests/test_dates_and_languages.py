"""Dates, times, zone labels and numbers the Indonesian way, and English on request."""

import re
from datetime import date, time

import pytest

from planner.core.database import db
from planner.demo import DEMO_SLUG, load_demo
from tests.helpers import text


def words(html: str) -> str:
    """The page's text as a reader sees it, tags and extra whitespace gone."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture
def demo(app):
    load_demo(today=date(2026, 11, 28))
    db.session.commit()
    return f"/programs/{DEMO_SLUG}"


def test_the_demo_in_indonesian(client, demo):
    page = text(client.get(demo))
    assert "Rabu, 2 Desember 2026 – Kamis, 3 Desember 2026" in page
    assert "08.00–09.30 WIB" in words(page)
    assert '<html lang="id">' in page and "Agenda" in page and "kursi tersisa" in page


def test_the_demo_in_english_by_switcher_and_by_accept_language(client, demo):
    english = text(client.get(demo, headers={"Accept-Language": "en-GB,en;q=0.8"}))
    assert "Wednesday, 2 December 2026 – Thursday, 3 December 2026" in english
    assert "08:00–09:30 WIB" in words(english) and "seats left" in english
    client.get(f"/language/en?next={demo}")
    remembered = text(client.get(demo))  # no Accept-Language: the cookie decides
    assert '<html lang="en">' in remembered and "Wednesday, 2 December 2026" in remembered
    client.get(f"/language/id?next={demo}")
    assert "Rabu, 2 Desember 2026" in text(client.get(demo, headers={"Accept-Language": "en"}))


@pytest.mark.parametrize(
    "zone, label", [("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")]
)
def test_zone_labels_come_from_the_program_zone(client, make_program, make_item, zone, label):
    program = make_program(timezone=zone)
    make_item(program, start=time(8), end=time(9))
    page = text(client.get(f"/programs/{program.slug}"))
    assert f">{label}</abbr>" in page and f"waktu dalam {label}" in page


def test_numbers_are_localised(client, make_program):
    program = make_program(max_participants=2500)
    assert "<strong>2.500</strong>" in text(client.get(f"/programs/{program.slug}"))
    english = client.get(f"/programs/{program.slug}", headers={"Accept-Language": "en"})
    assert "<strong>2,500</strong>" in text(english)


def test_an_unknown_language_falls_back_to_indonesian(client, demo):
    page = text(client.get(demo, headers={"Accept-Language": "fr-FR,de;q=0.5"}))
    assert '<html lang="id">' in page
    client.get(f"/language/xx?next={demo}")
    assert '<html lang="id">' in text(client.get(demo))


def test_counts_in_plural_messages_are_written_the_language_s_way(app):
    from flask import render_template_string
    from flask_babel import force_locale

    source = (
        '{{ ngettext("%(num)s participant", "%(num)s participants", 1500) }} · {{ 1500|number }}'
    )
    with app.test_request_context(), force_locale("id"):
        assert render_template_string(source) == "1.500 peserta · 1.500"
    with app.test_request_context(), force_locale("en"):
        assert render_template_string(source) == "1,500 participants · 1,500"
        escaped = '{{ ngettext("%(num)s member of %(name)s", "%(num)s members", 1, name="<b>") }}'
        assert render_template_string(escaped) == "1 member of &lt;b&gt;"
        given = '{{ ngettext("%(num)s minute", "%(num)s minutes", 90, num="ninety") }}'
        assert render_template_string(given) == "ninety minutes"


def test_counts_in_plural_messages_from_python_are_written_the_language_s_way(app):
    from types import SimpleNamespace

    from flask_babel import force_locale

    from planner.delegations import confirmations

    large = SimpleNamespace(institution="Pemerintah Kabupaten Seruyan", members=[None] * 1500)
    with app.test_request_context(), force_locale("id"):
        assert confirmations.delete(large).title == (
            "Hapus Pemerintah Kabupaten Seruyan beserta data pribadi 1.500 anggotanya?"
        )
    with app.test_request_context(), force_locale("en"):
        assert "its 1,500 members?" in confirmations.delete(large).title
