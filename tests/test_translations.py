"""Indonesian first: a complete catalog, and no user-visible text outside gettext."""

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parent.parent
CATALOG = PROJECT / "planner" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "_ln": (1, 2),
    "lazy_ngettext": (1, 2),
}
# Names that are the same in every language.
UNTRANSLATED_WORDS = {
    "planner",
    "WhatsApp",
    "Android",
    "iPhone",
    "iPad",
    "Outlook",
    "Thunderbird",
    "PDF",
    "ID",
    "EN",
    "Google",
}
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}


def catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="id")


def test_every_indonesian_message_is_translated_and_none_is_fuzzy():
    problems = []
    for message in catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == []


def test_every_message_in_the_code_and_templates_is_in_the_catalog():
    known = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog()
        if message.id
    }
    method_map = [
        ("planner/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(PROJECT), method_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    assert sorted(found - known) == []


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.texts.append(data)


def untranslated_text(source: str) -> list[str]:
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    # A block that fills an attribute (the <body> class) holds no visible text.
    source = re.sub(r"\{%\s*block body_class\s*%\}.*?\{%\s*endblock\s*%\}", "", source)
    source = re.sub(r"\{%.*?%\}", "", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", "", source, flags=re.S)
    parser = VisibleText()
    parser.feed(source)
    leftovers = []
    for text in parser.texts:
        words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in UNTRANSLATED_WORDS]
        if words:
            leftovers.append(text.strip())
    return leftovers


def test_templates_have_no_user_visible_text_outside_gettext():
    problems = {}
    for template in sorted((PROJECT / "templates").rglob("*.html")):
        leftovers = untranslated_text(template.read_text())
        if leftovers:
            problems[str(template.relative_to(PROJECT))] = leftovers
    assert problems == {}


def test_the_scan_would_catch_a_forgotten_string():
    assert untranslated_text('<p>{{ _("Agenda") }}</p><h2>Daftar hadir</h2>') == ["Daftar hadir"]
    assert untranslated_text('<img alt="Peta lokasi" src="x">') == ["Peta lokasi"]
    assert untranslated_text("<a title=\"{{ _('Map') }}\">WhatsApp</a>") == []
