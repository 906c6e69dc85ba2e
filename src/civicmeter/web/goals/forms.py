"""Forms of the goals page: the city's rule and publication, a goal, an indicator, a value, a file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicmeter.web.wellbeing.models import OutcomeIndicator

from .models import GoalSettings, Kpi


class SettingsForm(forms.Form):
    rule = forms.ChoiceField(label=_("Status rule"), choices=GoalSettings.Rule.choices)
    band = forms.FloatField(
        label=_("Near band (% of the target)"),
        required=False,
        min_value=0.1,
        max_value=99,
        help_text=_(
            "For the LouieStat and ResultsNOLA rules: how far from the target still counts as near, e.g. 10."
        ),
    )
    cap = forms.FloatField(
        label=_("Largest ratio counted (optional)"),
        required=False,
        min_value=1,
        help_text=_(
            "For the CityScore rule: e.g. 1.5 keeps one easy metric from lifting the city score; "
            "empty counts every ratio in full, as Boston did."
        ),
    )
    public = forms.BooleanField(label=_("Publish the goals page"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("rule") == GoalSettings.Rule.CITYSCORE:
            data["band"] = None
        else:
            data["cap"] = None
            if data.get("band") is None:
                self.add_error("band", _("Give the near band for this rule, e.g. 10 (%)."))
        return data

    def share(self) -> float | None:
        band = self.cleaned_data.get("band")
        return None if band is None else band / 100


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(
        label=_("Why it matters (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorForm(forms.Form):
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Short, without spaces, e.g. pothole-days; values files name the indicator by it."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("e.g. %, days, cases"))
    direction = forms.ChoiceField(label=_("Direction"), choices=Kpi.Direction.choices)
    frequency = forms.ChoiceField(
        label=_("Reported"), choices=Kpi.Frequency.choices, initial=Kpi.Frequency.MONTH
    )
    baseline = forms.FloatField(label=_("Baseline (optional)"), required=False)
    target = forms.FloatField(
        label=_("Target (optional)"),
        required=False,
        help_text=_("Per reporting period; leave empty while the baseline is established."),
    )
    outcome_indicator = forms.TypedChoiceField(
        label=_("Take values from the programme's outcome data (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, goals=(), programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(g.pk, g.title) for g in goals]
        outcomes = OutcomeIndicator.objects.filter(values__programme=programme).distinct().order_by("name")
        self.fields["outcome_indicator"].choices = [("", _("None"))] + [
            (o.pk, f"{o.name} ({o.unit})") for o in outcomes
        ]


class ValueForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_(
            "e.g. 2024-03-15 (day), 2024-W11 (week), 2024-03 (month), 2024-Q1 (quarter), 2024 (year)"
        ),
    )
    value = forms.FloatField(label=_("Value"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.pk, f"{i.name} ({i.code})") for i in indicators]


class ValuesFileForm(forms.Form):
    file = forms.FileField(
        label=_("KPI values (CSV or XLSX)"),
        help_text=_(
            "Columns indicator, period, value and optionally note; one row per indicator and period."
        ),
    )


WINDOWS = [
    ("day", _("Day")),
    ("week", _("Week")),
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
]


class WindowForm(forms.Form):
    window = forms.ChoiceField(label=_("City score per"), choices=WINDOWS, initial="month", required=False)
