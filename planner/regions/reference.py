"""The region list: read once per process from the CSV files in `data/`, never from the
database (it changes with a release of the list, not with anything a user does)."""

import csv
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Indonesia's three time zones, by province code (UU 41/1987 and the provinces formed since).
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
ZONE_LABELS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}


@dataclass(frozen=True)
class Region:
    """A province ("62", "Kalimantan Tengah") or a regency/city ("62.07", "Kabupaten
    Seruyan") of the Kemendagri list."""

    code: str
    name: str
    province_code: str

    @property
    def is_province(self) -> bool:
        return self.code == self.province_code

    @property
    def province(self) -> "Region":
        return _by_code()[self.province_code]

    @property
    def timezone(self) -> str:
        if self.province_code in _WITA_PROVINCES:
            return WITA
        if self.province_code in _WIT_PROVINCES:
            return WIT
        return WIB

    @property
    def zone_label(self) -> str:
        """WIB, WITA or WIT, as Indonesians write the time zone after a time."""
        return ZONE_LABELS[self.timezone]

    @property
    def government(self) -> str:
        """The regional government's name: "Pemerintah Kabupaten Seruyan"."""
        return f"Pemerintah {'Provinsi ' if self.is_province else ''}{self.name}"

    @property
    def label(self) -> str:
        """How the region is listed to choose from: "Kabupaten Seruyan (Kalimantan Tengah)"."""
        if self.is_province:
            return f"Provinsi {self.name}"
        return f"{self.name} ({self.province.name})"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@functools.cache
def _by_code() -> dict[str, Region]:
    regions = {
        row["code"]: Region(row["code"], row["name"], row["code"]) for row in _rows("provinces.csv")
    }
    for row in _rows("regencies.csv"):
        regions[row["code"]] = Region(row["code"], row["name"], row["province_code"])
    return regions


def region(code: str | None) -> Region | None:
    """The region with this code ("62.07"), or None."""
    return _by_code().get((code or "").strip())


@functools.cache
def provinces() -> tuple[Region, ...]:
    return tuple(sorted((r for r in _by_code().values() if r.is_province), key=_sort_key))


@functools.cache
def regions_of(province_code: str) -> tuple[Region, ...]:
    """The province's regencies and cities, by name."""
    return tuple(
        sorted(
            (
                r
                for r in _by_code().values()
                if r.province_code == province_code and not r.is_province
            ),
            key=_sort_key,
        )
    )


def _sort_key(region: Region) -> str:
    return unicodedata.normalize("NFKD", region.name).casefold()
