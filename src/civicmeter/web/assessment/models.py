"""A city's data-use assessment beside its response: claims per criterion, evidence, replies to
reviewers' requests, and who reviews it.

The reviewer's decisions are ``collection.CriterionReview`` rows (append-only, what scores); the
status of the assessment is its ``collection.Response`` status (draft, submitted, returned,
validated), moved by ``assessment.services`` through the cycle in ``civicmeter.assessment.workflow``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import evidence_storage


class CriterionClaim(models.Model):
    """What the city says for one criterion: the checklist items it ticks and a short explanation.

    ``version`` guards autosaves from two tabs: a save names the version it started from.
    """

    response = models.ForeignKey("collection.Response", on_delete=models.CASCADE, related_name="claims")
    criterion = models.CharField(max_length=20, help_text=_("The recipe's criterion code, e.g. DG2"))
    items = models.JSONField(default=list)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "criterion"], name="claim_unique_criterion")
        ]
        ordering = ["response", "criterion"]

    def __str__(self) -> str:
        return f"{self.criterion} of {self.response}"


def _evidence_path(instance: EvidencePiece, filename: str) -> str:
    """Stored under the response with a random name: nothing the uploader typed reaches the disk."""
    return f"{instance.response_id}/{uuid.uuid4().hex}{instance.extension}"


class EvidencePiece(models.Model):
    """One piece of evidence for a criterion: an uploaded document or a link, with the date it
    records where it has one (checked against the criterion's freshness window)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")

    #: The id in URLs: random, so evidence addresses cannot be guessed or counted.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.ForeignKey("collection.Response", on_delete=models.CASCADE, related_name="evidence")
    criterion = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(storage=evidence_storage, upload_to=_evidence_path, blank=True, max_length=300)
    filename = models.CharField(max_length=200, blank=True, help_text=_("The uploaded name, made safe"))
    extension = models.CharField(max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(max_length=1000, blank=True)
    label = models.CharField(max_length=200, blank=True)
    dated = models.DateField(null=True, blank=True, help_text=_("The date the record shows"))
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["criterion", "added_at", "pk"]
        indexes = [models.Index(fields=["response", "criterion"])]

    def __str__(self) -> str:
        return self.filename or self.url


class CriterionReply(models.Model):
    """The city's answer to a reviewer's request for more evidence; rows are never changed."""

    response = models.ForeignKey("collection.Response", on_delete=models.CASCADE, related_name="replies")
    criterion = models.CharField(max_length=20)
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"reply on {self.criterion} ({self.response})"


class ReviewerAssignment(models.Model):
    """A reviewer assigned to a city's assessment by a programme admin; only assigned reviewers
    (and admins) open it."""

    response = models.ForeignKey("collection.Response", on_delete=models.CASCADE, related_name="reviewers")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "reviewer"], name="assignment_unique_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.response}"
