"""The wave dashboard's block of undelivered e-mail (shown to programme staff who may resend)."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("mail/_undelivered.html", takes_context=True)
def undelivered_mail(context, wave):
    return {
        "deliveries": selectors.undelivered(wave),
        "retrying": selectors.retrying_count(wave),
        "csrf_token": context.get("csrf_token"),
        "next": context["request"].get_full_path() if "request" in context else "",
    }
