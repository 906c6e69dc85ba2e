"""Stored scores: one ScoreRun per computation, one CityScore per city scored in it.

Why runs are never updated: published numbers must be reproducible. Recomputing (new answers,
another recipe version, new code) adds a run; pages show the latest run per recipe, and every run
keeps the recipe id, version and file hash and the code version that produced it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreRun(models.Model):
    """One scoring of a wave's submitted and validated responses with one recipe."""

    wave = models.ForeignKey("programmes.Wave", on_delete=models.CASCADE, related_name="score_runs")
    recipe = models.CharField(max_length=100, help_text=_("Recipe id, e.g. psi-capacity"))
    recipe_version = models.CharField(max_length=50)
    recipe_sha256 = models.CharField(max_length=64)
    recipe_title = models.CharField(max_length=200, blank=True)
    instrument_version = models.CharField(max_length=50, blank=True)
    code_version = models.CharField(
        max_length=100, help_text=_("Civicmeter version and git commit that computed the scores")
    )
    interval_method = models.CharField(max_length=300, blank=True)
    notes = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    n = models.PositiveIntegerField(help_text=_("Cities scored"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["wave", "recipe", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.wave} {self.recipe} {self.recipe_version} #{self.pk}"


class CityScore(models.Model):
    """A city's score in one run, with each component and each item's contribution and reason."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="scores")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="scores")
    index = models.FloatField()
    score_class = models.CharField(max_length=30)
    share = models.FloatField(help_text=_("Index as a share of its maximum"))
    tier = models.CharField(max_length=30, blank=True)
    components = models.JSONField(help_text=_("[{code, name, points, raw, max}] in recipe order"))
    contributions = models.JSONField(
        help_text=_("[{component, item, label, points, available, reason}]")
    )
    rank = models.PositiveIntegerField()
    rank_p5 = models.FloatField()
    rank_median = models.FloatField()
    rank_p95 = models.FloatField()

    class Meta:
        ordering = ["rank", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "city"], name="cityscore_unique_city")
        ]

    def __str__(self) -> str:
        return f"{self.city.slug} {self.index:g} in run {self.run_id}"
