"""Every e-mail the platform sends, recorded with what happened to it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One message to one or more recipients, sent by the background worker with retries.

    The row is written in the same transaction as the change that caused it, so a committed
    invitation or return always has its e-mail on record: sent, still being retried, or failed with
    the server's reason, which staff see on the wave dashboard and can resend.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        SUBMITTED = "submitted", _("Submission notice")
        RETURNED = "returned", _("Returned for changes")
        PASSWORD_RESET = "password_reset", _("Password reset")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    wave = models.ForeignKey(
        "programmes.Wave", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    city = models.ForeignKey(
        "programmes.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["wave", "status"], name="delivery_wave_status")]

    def __str__(self) -> str:
        return f"{self.kind} to {', '.join(self.recipients)} ({self.status})"
