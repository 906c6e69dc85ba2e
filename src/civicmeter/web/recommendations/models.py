"""A programme's own recommendation rules and case files, one row per saved version (history kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One saved version of a programme's rules file or of its extra case file (YAML text).

    The newest version of each kind is the one in use; without any, the shipped file is used. Rows
    are never edited or deleted, so every recommendation shown can be traced to the text that made
    it (its sha256 is in the result's provenance).
    """

    class Kind(models.TextChoices):
        RULES = "rules", _("Recommendation rules")
        CASES = "cases", _("Case library")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="recommendation_versions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "number"], name="content_version_unique")
        ]
        ordering = ["programme", "kind", "-number"]

    @property
    def tag(self) -> str:
        """The version as its download names it: ``v3``."""
        return f"v{self.number}"

    def __str__(self) -> str:
        return f"{self.programme.slug} {self.kind} v{self.number}"
