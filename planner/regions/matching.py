"""Reading a regional government out of what people typed: "Pemkab Seruyan", "Kab. Seruyan",
"DPRD Kabupaten Lombok Timur", "Pemprov Jatim".

`institution_key` is the name as it is meant (duplicate detection compares it); `propose`
finds the Kemendagri regions the text names, for staff to confirm. Nothing here reads the
database: the region list comes from `reference`.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from planner.regions.reference import Region, provinces, region, regions_of

# Short forms, each written out as the words it stands for ("Pem. Kab." is two tokens).
SHORT_FORMS = {
    "pemkab": "pemerintah kabupaten",
    "pemkot": "pemerintah kota",
    "pemprov": "pemerintah provinsi",
    "pemprop": "pemerintah provinsi",
    "pemda": "pemerintah daerah",
    "pem": "pemerintah",
    "kab": "kabupaten",
    "kot": "kota",
    "kodya": "kota",
    "kotamadya": "kota",
    "prov": "provinsi",
    "prop": "provinsi",
    "propinsi": "provinsi",
    "adm": "administrasi",
    "kep": "kepulauan",
    "setda": "sekretariat daerah",
    "setdakab": "sekretariat daerah kabupaten",
    "setdako": "sekretariat daerah kota",
    "setdaprov": "sekretariat daerah provinsi",
    "sumatra": "sumatera",
    # Provinces as the regions themselves shorten them.
    "nad": "aceh",
    "sumut": "sumatera utara",
    "sumbar": "sumatera barat",
    "sumsel": "sumatera selatan",
    "babel": "kepulauan bangka belitung",
    "kepri": "kepulauan riau",
    "dki": "daerah khusus ibukota",
    "jabar": "jawa barat",
    "jateng": "jawa tengah",
    "diy": "daerah istimewa yogyakarta",
    "jatim": "jawa timur",
    "ntb": "nusa tenggara barat",
    "ntt": "nusa tenggara timur",
    "kalbar": "kalimantan barat",
    "kalteng": "kalimantan tengah",
    "kalsel": "kalimantan selatan",
    "kaltim": "kalimantan timur",
    "kaltara": "kalimantan utara",
    "sulut": "sulawesi utara",
    "sulteng": "sulawesi tengah",
    "sulsel": "sulawesi selatan",
    "sultra": "sulawesi tenggara",
    "sulbar": "sulawesi barat",
    "malut": "maluku utara",
}
# Other ways of writing a province's name, spaces left out ("D.I. Yogyakarta", "DKI").
PROVINCE_ALIASES = {
    "diyogyakarta": "34",
    "yogyakarta": "34",  # also Kota Yogyakarta: see _index
    "daerahkhususibukota": "31",
    "jakarta": "31",
    "daerahkhususjakarta": "31",
    "bangkabelitung": "19",
}
KINDS = ("kabupaten", "kota", "provinsi")
# Words of an institution that is not a regional government: a ministry and its offices in
# the regions, a university, the police and the army, the courts, a company.
NOT_REGIONAL = frozenset(
    {
        "kementerian",
        "kementrian",
        "menteri",
        "kanwil",
        "nasional",
        "dpr",
        "dpd",
        "mpr",
        "bps",
        "statistik",
        "universitas",
        "univ",
        "institut",
        "politeknik",
        "poltek",
        "akademi",
        "perguruan",
        "sekolah",
        "stia",
        "stie",
        "stikes",
        "ipdn",
        "uin",
        "iain",
        "polri",
        "polda",
        "polres",
        "polresta",
        "tni",
        "kodam",
        "korem",
        "kodim",
        "kejaksaan",
        "kejari",
        "kejati",
        "pengadilan",
        "bank",
        "pt",
        "cv",
        "persero",
        "bumn",
        "yayasan",
    }
)
_APOSTROPHES = re.compile(r"['’`]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def words(text: str) -> list[str]:
    """Lower case, no accents, no punctuation, short forms written out:
    "Pemkab. Seruyan" -> ["pemerintah", "kabupaten", "seruyan"]."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _NOT_ALNUM.sub(" ", _APOSTROPHES.sub("", text))
    out: list[str] = []
    for word in text.split():
        out += SHORT_FORMS.get(word, word).split()
    return out


def institution_key(name: str) -> str:
    """An institution's name as it is meant: "Pemkab Seruyan", "Kab. Seruyan" and "Pemerintah
    Daerah Kabupaten Seruyan" are the same regency; "DPRD Kabupaten Seruyan" is not its
    government."""
    tokens = words(name)
    if tokens[:1] and tokens[0] in KINDS:
        tokens.insert(0, "pemerintah")
    if tokens[:3] in (["pemerintah", "daerah", kind] for kind in KINDS):
        del tokens[1]
    return " ".join(tokens)


@dataclass(frozen=True)
class Proposal:
    """The regions a text may mean: one (a proposal), several (staff choose), or none."""

    candidates: tuple[Region, ...] = ()

    @property
    def region(self) -> Region | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _kind(region_: Region) -> str:
    return "provinsi" if region_.is_province else region_.name.split()[0].casefold()


def _bare(region_: Region) -> str:
    """The name without its kind, spaces left out: "Kota Administrasi Jakarta Pusat" ->
    "jakartapusat"."""
    tokens = words(region_.name)
    if not region_.is_province:
        tokens = tokens[1:]
        if tokens[:1] == ["administrasi"]:
            tokens = tokens[1:]
    return "".join(tokens)


def _all_regions() -> list[Region]:
    return [r for p in provinces() for r in (p, *regions_of(p.code))]


@functools.cache
def _index() -> dict[str, tuple[Region, ...]]:
    """Every region by its bare name (Kabupaten and Kota Malang share "malang")."""
    found: dict[str, set[Region]] = {}
    for each in _all_regions():
        found.setdefault(_bare(each), set()).add(each)
    for alias, code in PROVINCE_ALIASES.items():
        found.setdefault(alias, set()).add(region(code))
    return {name: tuple(sorted(regions, key=lambda r: r.code)) for name, regions in found.items()}


@functools.cache
def _longest_name() -> int:
    """How many words a name can be written in at most ("D. I. Yogyakarta": a few more)."""
    return max(len(words(r.name)) for r in _all_regions()) + 2


def _spans(tokens: list[str]) -> list[tuple[int, int, tuple[Region, ...]]]:
    """The places where a region's name is written, as (start, end, regions), a name inside a
    longer one left out ("Aceh" in "Aceh Besar", "Bandung" in "Bandung Barat")."""
    index, spans = _index(), []
    for start in range(len(tokens)):
        for end in range(start + 1, min(len(tokens), start + _longest_name()) + 1):
            regions = index.get("".join(tokens[start:end]))
            if regions:
                spans.append((start, end, regions))
    return [
        (start, end, regions)
        for start, end, regions in spans
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
    ]


def _said_kind(tokens: list[str], start: int) -> str | None:
    """The kind the text says just before the name: "kabupaten", "kota", "provinsi" or None."""
    before = [t for t in tokens[:start] if t != "administrasi"]
    return before[-1] if before and before[-1] in KINDS else None


def province_of(text: str) -> Region | None:
    """The province a free-text province field names ("Kalteng", "Prov. Jawa Timur")."""
    tokens = [t for t in words(text) if t != "provinsi"]
    regions = _index().get("".join(tokens), ())
    found = [r for r in regions if r.is_province]
    return found[0] if len(found) == 1 else None


def propose(institution: str, province: str | Iterable[str] = "") -> Proposal:
    """The regions an institution's name means, narrowed by the province(s) it gave.

    Where the text says "Kota" or "Kabupaten" that one is proposed; where it does not and both
    exist (Kabupaten Malang 35.07, Kota Malang 35.73), both are, as ambiguous. A ministry, a
    university or another body that is not a regional government gets no proposal."""
    tokens = words(institution)
    if any(t in NOT_REGIONAL or t.startswith("kemen") for t in tokens):
        return Proposal()
    named: list[tuple[Region, ...]] = []
    for start, _end, regions in _spans(tokens):
        kind = _said_kind(tokens, start)
        # "Kota Seruyan": there is only a Kabupaten Seruyan, so the name decides.
        said = tuple(r for r in regions if _kind(r) == kind)
        named.append(said or regions)
    given = [province] if isinstance(province, str) else province
    hints = {found.code for found in map(province_of, given) if found}
    if any(not r.is_province for regions in named for r in regions):
        # "Pemkab Seruyan Provinsi Kalimantan Tengah": the province narrows, the regency is meant.
        for regions in named:
            if all(r.is_province for r in regions):
                hints.update(r.code for r in regions)
        named = [regions for regions in named if not all(r.is_province for r in regions)]
    elif not named and "provinsi" in tokens and len(hints) == 1:
        # "Pemerintah Provinsi" with the province in its own field.
        named = [(region(next(iter(hints))),)]
    candidates = tuple(dict.fromkeys(r for regions in named for r in regions))
    narrowed = tuple(r for r in candidates if r.province_code in hints)
    return Proposal(narrowed or candidates)
