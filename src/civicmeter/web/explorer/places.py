"""Names the public pages give to continents and population bands (peer groups and map filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicmeter.narrative.peers import DEFAULT_BANDS, band_of

CONTINENT_NAMES = {
    "AF": _("Africa"),
    "AS": _("Asia"),
    "EU": _("Europe"),
    "NA": _("North America"),
    "OC": _("Oceania"),
    "SA": _("South America"),
}

BAND_NAMES = {
    DEFAULT_BANDS[0]: pgettext_lazy("population band", "under 100,000"),
    DEFAULT_BANDS[1]: pgettext_lazy("population band", "100,000 to 249,999"),
    DEFAULT_BANDS[2]: pgettext_lazy("population band", "250,000 to 499,999"),
    DEFAULT_BANDS[3]: pgettext_lazy("population band", "500,000 to 999,999"),
    DEFAULT_BANDS[4]: pgettext_lazy("population band", "1 million or more"),
}


def band_key(population: int | None) -> str:
    """``"250000"``: the lower bound of the city's population band, "" when unknown."""
    return "" if population is None else str(band_of(population)[0])
