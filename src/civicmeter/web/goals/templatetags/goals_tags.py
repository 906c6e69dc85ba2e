"""Words for statuses and rules on the goals pages: the same label wherever a status shows."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from civicmeter.performance import RuleName, Status

register = template.Library()

STATUS_LABELS = {
    Status.ON_TARGET: _("On target"),
    Status.NEAR_TARGET: _("Near target"),
    Status.NEEDS_IMPROVEMENT: _("Needs improvement"),
    Status.NO_TARGET: _("No target yet"),
    Status.NOT_MEASURED: _("Not measured yet"),
}
RULE_LABELS = {
    RuleName.CITYSCORE: _("ratio to target, as Boston's CityScore (1 or more is on target)"),
    RuleName.LOUIESTAT: _("target met, within %(band)s%% of it, or further away, as Louisville's LouieStat"),
    RuleName.RESULTSNOLA: _(
        "on target, near target (within %(band)s%%) or needs improvement, as New Orleans' ResultsNOLA"
    ),
}


@register.filter
def status_label(status) -> str:
    return STATUS_LABELS[Status(status)]


@register.filter
def status_colour(status) -> str:
    return Status(status).colour


@register.simple_tag
def rule_label(rule) -> str:
    """The rule in words with its parameters (the band in percent, the cap when set)."""
    text = str(RULE_LABELS[rule.name])
    if rule.band is not None:
        text = text % {"band": f"{rule.band * 100:g}"}
    if rule.cap is not None:
        text += " " + str(_("(ratios above %(cap)s count as %(cap)s)") % {"cap": f"{rule.cap:g}"})
    return text


@register.filter
def signed(value) -> str:
    """A change with its sign (+0.5, −1.2, 0), in the page's number format."""
    if value is None:
        return "—"
    text = floatformat(abs(value), "-1")
    return text if text in ("0", "0.0", "0,0") or value == 0 else ("+" if value > 0 else "−") + text


@register.filter
def num(value) -> str:
    """A value as reported, to at most two decimals without trailing zeros, in the page's format."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    return number_format(int(rounded) if rounded.is_integer() else rounded)
