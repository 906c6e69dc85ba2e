"""``{% wave_results_table wave %}``: a summary of a wave's latest results, for pages owned by other apps.

Why a tag: the wave dashboard includes the results partial with one line and no change to its view.
It shows the runs, class counts and the link to the results page, not the table itself, which has a
page of its own (the dashboard stays short and fast).
"""

from django import template

from civicmeter.web.accounts.permissions import Action, user_has_permission

from .. import selectors

register = template.Library()


@register.inclusion_tag("results/_table.html", takes_context=True)
def wave_results_table(context, wave):
    can_manage = context.get("can_manage")
    if can_manage is None:  # the including page did not decide it
        user = context["request"].user
        can_manage = user_has_permission(user, Action.MANAGE_WAVE, programme=wave.programme)
    results = selectors.wave_results_summary(wave)
    return {
        "wave": wave,
        "results": results,
        "can_manage": can_manage,
        "compact": True,
        "csrf_token": context.get("csrf_token"),
    }
