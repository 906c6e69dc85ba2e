"""``{% top_recommendations public_wave city_slug %}``: the city's three most urgent recommendations
for its public snapshot (public data only, see ``recommendations.public``), in the page's language
where the rules translate them."""

from __future__ import annotations

from django import template

from ..panel import page_language
from ..public import public_top

register = template.Library()


@register.inclusion_tag("recommendations/_public_top.html")
def top_recommendations(wave, slug: str, n: int = 3) -> dict:
    return {"items": public_top(wave, slug, n, page_language()), "wave": wave}
