"""Domain results in the page's language: a claim's shortfalls, a tier's name, a status line."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeter.assessment import Shortfall

TIERS = {
    "platinum": gettext_lazy("Platinum"),
    "gold": gettext_lazy("Gold"),
    "silver": gettext_lazy("Silver"),
    "": gettext_lazy("No tier yet"),
}
CLASSES = {"high": gettext_lazy("High data use (23-38)"), "low": gettext_lazy("Low data use (0-22)")}


def shortfall_text(shortfall: Shortfall) -> str:
    f = shortfall.facts
    if shortfall.kind == "items":
        return _("%(have)s of the %(need)s checklist items needed are ticked") % f
    if shortfall.kind == "evidence":
        kinds = f["kinds"].replace("document", str(_("a document"))).replace("link", str(_("a link")))
        return _("evidence needed: %(kinds)s") % {"kinds": kinds.replace(" or ", " / ")}
    if shortfall.kind == "records":
        return _("%(have)s of the %(need)s dated records needed are from %(since)s or later") % f
    if shortfall.kind == "future":
        return _("a record is dated %(dated)s, in the future") % f
    return _("needs %(codes)s met first") % f


def tier_name(code: str) -> str:
    return str(TIERS.get(code, code))


def class_name(code: str) -> str:
    return str(CLASSES.get(code, code))
