"""``{% wave_results_table wave %}``: the latest results of a wave, for pages owned by other apps.

Why a tag: the wave dashboard includes the results partial with one line and no change to its view.
"""

from django import template

from civicmeter.web.accounts.permissions import Action, user_has_permission

from .. import selectors

register = template.Library()


@register.inclusion_tag("results/_table.html", takes_context=True)
def wave_results_table(context, wave):
    user = context["request"].user
    return {
        "wave": wave,
        "results": selectors.wave_results(wave),
        "can_manage": user_has_permission(user, Action.MANAGE_WAVE, programme=wave.programme),
        "compact": True,
        "csrf_token": context.get("csrf_token"),
    }
