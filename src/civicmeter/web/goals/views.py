"""The city's goals page (its team edits, programme staff read), one indicator's trend, the values
file export, and the public goals page a city switches on. Every write goes through the services."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.performance import Frequency, Period, ValuesFileError, write_values
from civicmeter.web.accounts.permissions import access_city_by_slug
from civicmeter.web.core.downloads import CSV, download
from civicmeter.web.core.refusals import shown_refusal, valid_data
from civicmeter.web.programmes.models import City

from . import selectors, services
from .charts import trend_chart, with_charts
from .forms import GoalForm, IndicatorForm, SettingsForm, ValueForm, ValuesFileForm, WindowForm
from .models import Goal, Kpi
from .permissions import may_edit_goals


def _page_context(request, programme, city) -> dict:
    settings = selectors.settings_of(programme, city)
    goals = selectors.goals_overview(programme, city, settings.rule)
    window_form = WindowForm(request.GET or None)
    window = (window_form.is_valid() and window_form.cleaned_data["window"]) or "month"
    indicators = [view.indicator for goal in goals for view in goal.indicators]
    stored = settings.stored
    initial = {
        "rule": settings.rule.name.value,
        "band": settings.rule.band * 100 if settings.rule.band else None,
        "cap": settings.rule.cap,
        "public": settings.public,
    }
    return {
        "programme": programme,
        "city": city,
        "settings": settings,
        "settings_chosen": stored is not None,
        "goals": goals,
        "charted": with_charts(goals),
        "window_form": window_form if window_form.is_bound else WindowForm(initial={"window": window}),
        "window": window,
        "scores": selectors.scores_by_window(programme, city, Frequency(window), settings.rule.cap),
        "can_edit": may_edit_goals(request.user, programme, city),
        "settings_form": SettingsForm(initial=initial),
        "goal_form": GoalForm(),
        "indicator_form": IndicatorForm(goals=[g.goal for g in goals], programme=programme),
        "value_form": ValueForm(indicators=indicators),
        "file_form": ValuesFileForm(),
    }


@login_required
def manage(request, programme: str, city: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    return render(request, "goals/manage.html", _page_context(request, programme_row, city_row))


def _back(programme, city, anchor: str = ""):
    response = redirect("goals:manage", programme.slug, city.slug)
    response["Location"] += anchor
    return response


def _page_action(anchor: str):
    """A form of the goals page, posted: the city as the user may see it; a bad form or a refused
    service shown as one message per problem; back to the page at ``anchor`` unless the action
    answers otherwise. The action gets ``(request, programme, city)`` as rows."""

    def wrap(action):
        @login_required
        @require_POST
        @functools.wraps(action)
        def view(request, programme: str, city: str):
            programme_row, city_row = access_city_by_slug(request.user, programme, city)
            with shown_refusal(request, each=True):
                answer = action(request, programme_row, city_row)
                if answer is not None:
                    return answer
            return _back(programme_row, city_row, anchor)

        return view

    return wrap


@_page_action("#settings")
def settings_set(request, programme_row, city_row):
    form = SettingsForm(request.POST)
    data = valid_data(form)
    services.goals_settings_set(
        actor=request.user,
        programme=programme_row,
        city=city_row,
        rule=data["rule"],
        band=form.share(),
        cap=data["cap"],
        public=data["public"],
    )
    messages.success(request, _("Saved the status rule and the goals page setting."))


@_page_action("#add-indicator")
def goal_add(request, programme_row, city_row):
    data = valid_data(GoalForm(request.POST))
    services.goal_create(actor=request.user, programme=programme_row, city=city_row, **data)
    messages.success(request, _("Added the goal; now give it an indicator."))


def _spec(form: IndicatorForm) -> services.IndicatorSpec:
    data = form.cleaned_data
    definition = {name: data[name] for name in selectors.INDICATOR_FIELDS}
    return services.IndicatorSpec(**definition, outcome_indicator_id=data["outcome_indicator"])


@_page_action("#add-indicator")
def indicator_add(request, programme_row, city_row):
    goals = Goal.objects.filter(programme=programme_row, city=city_row)
    form = IndicatorForm(request.POST, goals=goals, programme=programme_row)
    goal, spec = goals.get(pk=valid_data(form)["goal"]), _spec(form)
    services.indicator_create(actor=request.user, goal=goal, spec=spec)
    messages.success(request, _("Added the indicator %(code)s.") % {"code": spec.code})


@_page_action("#add-value")
def value_add(request, programme_row, city_row):
    indicators = selectors.city_indicators(programme_row, city_row)
    data = valid_data(ValueForm(request.POST, indicators=indicators.values()))
    by_id = {i.pk: i for i in indicators.values()}
    row = services.value_record(
        actor=request.user,
        indicator=by_id[data["indicator"]],
        period=data["period"],
        value=data["value"],
        note=data["note"],
    )
    messages.success(request, _("Saved the value of %(code)s.") % {"code": row.indicator.code})


@_page_action("#import")
def values_import(request, programme_row, city_row):
    upload = valid_data(ValuesFileForm(request.POST, request.FILES))["file"]
    try:
        services.check_size(upload.name, upload.size)
        run = services.values_import(
            actor=request.user,
            programme=programme_row,
            city=city_row,
            filename=upload.name,
            content=upload.read(),
        )
    except ValuesFileError as exc:
        messages.error(
            request, _("Nothing was imported: %(file)s has problems to fix.") % {"file": upload.name}
        )
        for problem in exc.problems:
            messages.error(request, str(problem))
        return None  # back to the page at #import
    messages.success(
        request,
        _("Imported %(file)s: %(i)d new, %(u)d changed, %(n)d unchanged.")
        % {"file": run.filename, "i": run.inserted, "u": run.updated, "n": run.unchanged},
    )
    return _back(programme_row, city_row)


@login_required
def values_export(request, programme: str, city: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    text = write_values(selectors.export_rows(programme_row, city_row))
    return download(text, filename=f"{city_row.slug}-kpi-values.csv", content_type=CSV)


def _indicator(programme, city, code: str) -> Kpi:
    return get_object_or_404(
        Kpi.objects.select_related("goal"), goal__programme=programme, goal__city=city, code=code
    )


@login_required
def indicator(request, programme: str, city: str, code: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    row = _indicator(programme_row, city_row, code)
    settings = selectors.settings_of(programme_row, city_row)
    view = selectors.indicator_view(row, settings.rule)
    return render(
        request,
        "goals/indicator.html",
        {
            "programme": programme_row,
            "city": city_row,
            "settings": settings,
            "view": view,
            "chart": trend_chart(view),
            "can_edit": may_edit_goals(request.user, programme_row, city_row),
            "value_form": ValueForm(indicators=[row], initial={"indicator": row.pk}),
            "edit_form": IndicatorForm(
                goals=Goal.objects.filter(programme=programme_row, city=city_row),
                programme=programme_row,
                initial={
                    "goal": row.goal_id,
                    "outcome_indicator": row.outcome_indicator_id,
                    **{name: getattr(row, name) for name in selectors.INDICATOR_FIELDS},
                },
            ),
        },
    )


@login_required
@require_POST
def indicator_edit(request, programme: str, city: str, code: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    row = _indicator(programme_row, city_row, code)
    goals = Goal.objects.filter(programme=programme_row, city=city_row)
    form = IndicatorForm(request.POST, goals=goals, programme=programme_row)
    with shown_refusal(request, each=True):
        goal = goals.get(pk=valid_data(form)["goal"])
        row = services.indicator_update(actor=request.user, indicator=row, goal=goal, spec=_spec(form))
        messages.success(request, _("Saved the indicator %(code)s.") % {"code": row.code})
        return redirect("goals:indicator", programme, city, row.code)
    return redirect("goals:indicator", programme, city, code)


@login_required
@require_POST
def value_delete(request, programme: str, city: str, code: str, pk: int):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    row = _indicator(programme_row, city_row, code)
    value = get_object_or_404(row.values, pk=pk)
    label = Period(value.period_start, Frequency(row.frequency)).label
    services.value_delete(actor=request.user, value=value)
    messages.success(request, _("Deleted the value of %(period)s.") % {"period": label})
    return redirect("goals:indicator", programme, city, code)


@login_required
@require_POST
def take_outcomes(request, programme: str, city: str, code: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    row = _indicator(programme_row, city_row, code)
    with shown_refusal(request, each=True):
        result = services.values_from_outcomes(actor=request.user, indicator=row)
        messages.success(request, _("Took %(n)d value(s) from the outcome data.") % {"n": result.taken})
        if result.skipped:
            messages.warning(
                request,
                _(
                    "Left out outcome periods that are no reporting period of this indicator, or have "
                    "several sources: %(periods)s."
                )
                % {"periods": ", ".join(result.skipped)},
            )
    return redirect("goals:indicator", programme, city, code)


def public(request, city: str):
    """The city's goals, statuses and trends for everyone, in each programme where the city has
    switched its goals page on; 404 (as for an unknown city) while it is off."""
    city_row = get_object_or_404(City, slug=city)
    programmes = selectors.public_programmes(city_row)
    if not programmes:
        raise Http404("No such page.")
    sections = []
    for programme in programmes:
        settings = selectors.settings_of(programme, city_row)
        goals = selectors.goals_overview(programme, city_row, settings.rule)
        sections.append({"programme": programme, "settings": settings, "charted": with_charts(goals)})
    return render(request, "goals/public.html", {"city": city_row, "sections": sections})
