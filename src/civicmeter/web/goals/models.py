"""A city's goals and their indicators (KPIs), the values reported for them, and the city's choices:
which status rule it uses and whether its goals page is public.

Goals belong to a city within a programme: the city's own team edits them, the programme's staff
read them. Values keep where they came from (typed, a file, the programme's outcome data), who
entered them and when, so a public number can be traced.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicmeter.performance import Direction, Frequency, RuleName


class GoalSettings(models.Model):
    """A city's status rule and its parameters, and whether its goals page is public (off by
    default: a city publishes when it decides to)."""

    class Rule(models.TextChoices):
        CITYSCORE = RuleName.CITYSCORE.value, _("Ratio to target (Boston's CityScore)")
        LOUIESTAT = RuleName.LOUIESTAT.value, _("Within a band of the target (Louisville's LouieStat)")
        RESULTSNOLA = RuleName.RESULTSNOLA.value, _("On, near or off target (New Orleans' ResultsNOLA)")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=20, choices=Rule.choices)
    band = models.FloatField(null=True, blank=True, help_text=_("Share of the target counted as near"))
    cap = models.FloatField(null=True, blank=True, help_text=_("Largest ratio counted in the city score"))
    public = models.BooleanField(default=False)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "city"], name="goalsettings_unique_city")]

    def __str__(self) -> str:
        return f"{self.city_id} in {self.programme_id}: {self.rule}"


class Goal(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Kpi(models.Model):
    """One KPI of a goal. ``code`` is unique within the city's goals (values files name it)."""

    class Direction(models.TextChoices):
        HIGHER = Direction.HIGHER.value, _("Higher is better")
        LOWER = Direction.LOWER.value, _("Lower is better")

    class Frequency(models.TextChoices):
        DAY = Frequency.DAY.value, _("Daily")
        WEEK = Frequency.WEEK.value, _("Weekly")
        MONTH = Frequency.MONTH.value, _("Monthly")
        QUARTER = Frequency.QUARTER.value, _("Quarterly")
        YEAR = Frequency.YEAR.value, _("Yearly")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    outcome_indicator = models.ForeignKey(
        "wellbeing.OutcomeIndicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Outcome data of the programme this indicator's values can be taken from"),
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["goal", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return self.code


class ValuesImport(models.Model):
    """One KPI values file applied to a city's indicators: its hash and what it changed."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.inserted} new, {self.updated} changed)"


class KpiValue(models.Model):
    """An indicator's value over the period starting on ``period_start``."""

    class Source(models.TextChoices):
        FORM = "form", _("Entered in the form")
        FILE = "file", _("Imported from a file")
        OUTCOMES = "outcomes", _("Taken from the programme's outcome data")

    indicator = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=2000, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    values_import = models.ForeignKey(
        ValuesImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start"], name="indicatorvalue_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}: {self.value:g}"
