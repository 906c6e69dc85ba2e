"""Normalise place names so that the spellings publishers use compare equal.

"Louisville/Jefferson County metro government (balance)", "St. Louis city", "Białystok" and
"Bristol, City of" carry suffixes, abbreviations and letters that hide the name. :func:`name_keys`
strips them by fixed rules (never by similarity), and ``content/outcomes/places.yaml`` supplies the
other names a city is published under and the region codes used to tell same-named places apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from civicmeter.params import InstanceOf, validate_params

PLACES_FILE = Path(__file__).resolve().parent.parent / "content" / "outcomes" / "places.yaml"


#: Suffixes the US Census and statistics offices append to place names, longest first.
CENSUS_SUFFIXES = (
    "consolidated government",
    "metropolitan government",
    "unified government",
    "metro government",
    "urban county",
    "city and borough",
    "municipality",
    "borough",
    "village",
    "city",
    "town",
    "cdp",
)


CONSOLIDATED = (
    "consolidated government",
    "metropolitan government",
    "unified government",
    "metro government",
    "urban county",
)


ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


#: Letters Unicode does not decompose into a base letter plus accent.
SPECIAL_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(SPECIAL_LETTERS))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(text: str) -> str:
    text = _fold(text).replace("&", " and ").replace("'", "")
    text = re.sub(r"[^a-z0-9/-]+", " ", text)
    words = [ABBREVIATIONS.get(w, w) for w in text.split()]
    return " ".join(words)


@validate_params({"name": [InstanceOf(str, "a place name")]})
def name_keys(name: str) -> tuple[str, list[str]]:
    """The normalised name and its weaker variants.

    E.g. "Boise City city" -> ("boise city", ["boise"]).
    """
    text = re.sub(r"\([^)]*\)", " ", str(name))
    text = re.sub(r",\s*city of\s*$", "", text, flags=re.IGNORECASE)
    base = _words(text)
    consolidated = False
    for suffix in CENSUS_SUFFIXES:
        if base.endswith(" " + suffix):
            base = base[: -len(suffix) - 1].strip()
            consolidated = suffix in CONSOLIDATED
            break
    variants = []
    if base.startswith("city of "):
        variants.append(base[len("city of ") :])
    if base.endswith(" city"):
        variants.append(base[: -len(" city")])
    if consolidated:
        variants.append(re.split(r"\s*[/-]\s*", base)[0])
    base = base.replace("/", " ").replace("-", " ")
    variants = [v.replace("/", " ").replace("-", " ") for v in variants]
    return re.sub(r"\s+", " ", base).strip(), [v for v in dict.fromkeys(variants) if v and v != base]


def _plain(name: str) -> str:
    """The normalised name without removing any suffix (for names such as "Kansas City")."""
    return re.sub(
        r"\s+",
        " ",
        _words(re.sub(r"\([^)]*\)", " ", str(name))).replace("/", " ").replace("-", " "),
    ).strip()


@lru_cache(maxsize=1)
def _places() -> tuple[dict[tuple[str, str], list[str]], dict[str, dict[str, str]]]:
    data = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    aliases = {
        (name_keys(entry["name"])[0], entry["country"]): list(entry.get("aliases", []))
        for entry in data.get("cities", [])
    }
    regions = {
        country: {_words(name): code.lower() for name, code in table.items()}
        for country, table in data.get("regions", {}).items()
    }
    return aliases, regions


def _region_key(region: str, country: str) -> str:
    words = _words(region or "")
    return _places()[1].get(country, {}).get(words, words)
