"""Stored well-being outcomes, their import runs, confirmed city names and analysis runs.

Outcome values belong to a programme: its admins import them, and its waves' analyses use them.
Raw values are always kept beside the 0-100 index points, so a rescaling can be redone and checked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeIndicator(models.Model):
    """A catalogue entry: the shipped catalogue (``programme`` empty) or a programme's own."""

    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    dimension = models.CharField(max_length=40)
    unit = models.CharField(max_length=40)
    direction = models.SmallIntegerField(help_text=_("1 higher is better, -1 lower is better"))
    source = models.CharField(max_length=500)
    rescale = models.CharField(max_length=20)
    description = models.TextField(blank=True)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class OutcomeImportRun(models.Model):
    """One outcome file import: hash, counts, the reading and matching report, who and when."""

    class Kind(models.TextChoices):
        TABLE = "table", _("City table")
        MICRODATA = "microdata", _("Survey microdata")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected, nothing written")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="outcome_imports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TABLE)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    options = models.JSONField(default=dict, help_text=_("How the file was read, to run it again"))
    content = models.BinaryField(
        blank=True, help_text=_("The file, kept so a refused import can run again once confirmed")
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"


class OutcomeValue(models.Model):
    """One city's value of one indicator in one period from one source."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="outcome_values"
    )
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(OutcomeIndicator, on_delete=models.PROTECT, related_name="values")
    period = models.CharField(max_length=30)
    value = models.FloatField(help_text=_("Raw value as published"))
    index_points = models.FloatField(null=True, help_text=_("0-100, higher is better"))
    unit = models.CharField(max_length=40)
    n = models.PositiveIntegerField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    ci_lower = models.FloatField(null=True, blank=True)
    ci_upper = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=500)
    import_run = models.ForeignKey(OutcomeImportRun, on_delete=models.PROTECT, related_name="values")

    class Meta:
        ordering = ["indicator", "city", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "city", "indicator", "period", "source"],
                name="outcomevalue_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.city_id} {self.indicator_id} {self.period}: {self.value:g}"


class CityNameMapping(models.Model):
    """A name in outcome files confirmed once by a person: this city, or none of ours (city empty)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="city_name_mappings"
    )
    source_name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, blank=True)
    city = models.ForeignKey(
        "programmes.City", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["source_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source_name", "country"], name="citynamemapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} -> {self.city_id or 'not ours'}"


class AnalysisRun(models.Model):
    """One capacity-outcome analysis of a wave, built by a background task with visible progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    wave = models.ForeignKey("programmes.Wave", on_delete=models.CASCADE, related_name="analysis_runs")
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    report_html = models.TextField(blank=True)
    tables = models.JSONField(default=dict, help_text=_("{table name: CSV text}"))
    summary = models.JSONField(default=dict, help_text=_("n per group, outcomes, synthetic flag"))
    error = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.wave} analysis #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
