"""Who may do what: a user's roles within programmes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    """A user's role in one programme. Respondents are tied to one city."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Programme admin")
        REVIEWER = "reviewer", _("Reviewer")
        RESPONDENT = "respondent", _("City respondent")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    city = models.ForeignKey(
        "programmes.City", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "kind", "city"], name="role_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="respondent", city__isnull=False)
                    | (~models.Q(kind="respondent") & models.Q(city__isnull=True))
                ),
                name="role_city_only_for_respondents",
            ),
        ]

    def __str__(self) -> str:
        where = f" for {self.city.slug}" if self.city_id else ""
        return f"{self.user} {self.kind} in {self.programme.slug}{where}"
