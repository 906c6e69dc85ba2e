"""City responses to a wave, their answers, and the complete history of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Response(models.Model):
    """One city's answers in one wave."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        VALIDATED = "validated", _("Validated")

    wave = models.ForeignKey("programmes.Wave", on_delete=models.CASCADE, related_name="responses")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text=_("Raised by every change"))
    language = models.CharField(max_length=10, default="en")
    synthetic = models.BooleanField(
        default=False, help_text=_("Answers generated for the demo, not given by the city")
    )
    provenance = models.TextField(blank=True, help_text=_("Where the answers came from"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the services from now_for(actor): the system actor may record history at its own time.
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "city"], name="response_unique_city_wave")]
        ordering = ["wave", "city__name"]

    def __str__(self) -> str:
        return f"{self.city.slug} in {self.wave}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Answer(models.Model):
    """The current value of one question, as a string in the XLSForm export convention.

    ``version`` guards concurrent edits: a save must name the version it started from.
    ``changed_in`` is the response's version after the write, so an import of an exported file
    (which carries the response version at export) can tell which answers changed since.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=120)
    value = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    changed_in = models.PositiveIntegerField(
        default=0, help_text=_("The response version this value was written in (0: before tracking)")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question")
        ]


class HistoryRow(models.Model):
    """A row of a response's history: written once, never changed, listed newest first.

    ``at`` is set by the services from now_for(actor), like Response's times: the system actor may
    record history at its own time."""

    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class AnswerChange(HistoryRow):
    """Audit trail: who changed which answer, when, from what to what, and through which interface."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        IMPORT = "import", _("Import")
        DEMO = "demo", _("Demo data")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    question = models.CharField(max_length=120)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)

    class Meta(HistoryRow.Meta):
        indexes = [models.Index(fields=["response", "question"])]


class ResponseEvent(HistoryRow):
    """Audit trail of status changes (submitted, returned, validated) with an optional note."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


class ImportRun(models.Model):
    """One import of a responses file: the file's hash and size, the counts, the report and who ran it.

    The file itself is never stored (a refused upload may be a zip bomb or a 20 MB mistake): the hash
    and size identify it, and the report keeps at most the first problems found.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected, nothing written")

    wave = models.ForeignKey("programmes.Wave", on_delete=models.CASCADE, related_name="import_runs")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0, help_text=_("File size in bytes"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    cleared = models.PositiveIntegerField(default=0, help_text=_("Answers emptied by an empty cell"))
    unchanged = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]


class CriterionReview(HistoryRow):
    """A reviewer's outcome for one criterion of an assessment response; rows are never changed.

    The latest row per (response, criterion) is the current outcome, earlier rows are its history. A
    city's own "met" answer is a claim: only an ``accepted`` outcome scores.
    """

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        NEEDS_EVIDENCE = "needs_evidence", _("Needs more evidence")
        NOT_MET = "not_met", _("Not met")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="criterion_reviews")
    criterion = models.CharField(max_length=120, help_text=_("The criterion's question name, e.g. dg1"))
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(HistoryRow.Meta):
        indexes = [models.Index(fields=["response", "criterion"])]

    def __str__(self) -> str:
        return f"{self.criterion} {self.outcome} ({self.response})"
