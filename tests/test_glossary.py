"""The Indonesian catalog speaks the protocol office's language (../shared/GLOSSARY.md): one
term per meaning, never a word the glossary rejects, "Bapak/Ibu" in what is sent to a person."""

import os
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parent.parent
CATALOG = PROJECT / "planner" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
GLOSSARY = PROJECT.parent / "shared" / "GLOSSARY.md"

# Wording a protocol officer stumbles on, with the term the glossary gives for the meaning.
REJECTED = {
    "bentrokan": (r"\bbentrokan\b", "jadwal bentrok (a violent clash is not a schedule clash)"),
    "pilihan": (r"\bacara pilihan\b", "acara opsional ('acara pilihan' reads 'featured events')"),
    "sunting": (r"\b(me)?nyunting\b|\bsunting\w*", "ubah"),
    "staf": (r"\bstaf\s*/\s*pendamping\b", "staf pendamping (staf are the host's users)"),
    "delegasi": (r"\bdelegasi\b", "rombongan"),
    "tautan pribadi": (
        r"\btautan pribadi\b",
        "tautan kelola pendaftaran (a delegation's) or tautan jadwal pribadi (a member's)",
    ),
    "memegang": (r"\bmemegang\b", "a calque of 'hold' (seats, a link): mendapat, menerima"),
    "peringkat": (r"\bperingkat\b", "nomor urut (the smallest number first)"),
    "08:00": (r"(?<![T\d:+-])\d{1,2}:\d{2}(?![\d:])", "pukul 08.00 (always a dot)"),
}


def translations() -> list[tuple[str, str]]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((msgid, string) for string in strings if string)
    return pairs


def rejected_in(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for word, (pattern, _term) in REJECTED.items():
        for msgid, string in pairs:
            if re.search(pattern, string, re.IGNORECASE):
                found.setdefault(word, []).append(f"{msgid!r} -> {string!r}")
    return found


def test_no_rejected_word_is_in_the_indonesian_catalog():
    assert rejected_in(translations()) == {}


def test_the_check_catches_each_rejected_word():
    samples = [
        ("Clashes", "Bentrokan"),
        ("Optional items", "Acara pilihan"),
        ("Edit", "Sunting"),
        ("Staff / aide", "Staf / pendamping"),
        ("Delegations", "Delegasi"),
        ("Private link", "Tautan pribadi"),
        ("%(num)s delegations hold seats", "%(num)s rombongan memegang kursi"),
        ("Rank", "Peringkat"),
        ("at %(time)s", "pukul 08:00"),
    ]
    assert sorted(rejected_in(samples)) == sorted(REJECTED)
    assert rejected_in([("Choice 1", "Pilihan 1"), ("Staff", "Staf protokol")]) == {}


def test_every_word_the_glossary_rejects_is_checked():
    """A `not "x"` note in the glossary is a word the catalog must not use: it is in REJECTED."""
    if not GLOSSARY.exists():
        if os.environ.get("PLANNER_REQUIRE_SHARED"):
            pytest.fail(f"the glossary is missing: {GLOSSARY}")
        pytest.skip("../shared/GLOSSARY.md is not beside the repository (CI has it)")
    notes = re.findall(r'not "([^"]+)"', GLOSSARY.read_text(encoding="utf-8"))
    assert notes, "the glossary's notes changed shape; read it again"
    assert sorted(set(notes) - set(REJECTED)) == []


def test_what_is_sent_to_a_person_says_bapak_ibu_not_anda():
    """E-mails and WhatsApp texts address a person ("Bapak/Ibu"); screens say "Anda"."""
    sent = set()
    for folder in ("mail", "whatsapp"):
        for template in (PROJECT / "templates" / folder).glob("*.txt"):
            sent.update(m.group(2) for m in re.finditer(r"_\((['\"])(.+?)\1", template.read_text()))
    sent.add("Yth. %(name)s, this is your personal schedule for %(program)s: %(url)s")
    cold = [
        f"{msgid!r} -> {string!r}"
        for msgid, string in translations()
        if msgid in sent and re.search(r"\bAnda\b", string)
    ]
    assert cold == []
