"""A city's implementation agenda: actions with an owner, dates, a status, notes and links, and
the history of every change (who, when, what)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgendaAction(models.Model):
    """One thing the city team will do. ``source``/``source_ref`` say where it came from (a
    recommendation number, a roadmap item), ``version`` guards against two people editing at once."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        ROADMAP = "roadmap", _("Data-use roadmap")
        OWN = "own", _("The city's own")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="agenda_actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True, help_text=_("The person responsible"))
    owner_email = models.EmailField(blank=True, help_text=_("Where overdue reminders go"))
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(blank=True)
    links = models.TextField(blank=True, help_text=_("One web address per line"))
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OWN)
    source_ref = models.CharField(max_length=100, blank=True)
    source_wave = models.CharField(max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["programme", "city", "status"])]

    def __str__(self) -> str:
        return f"{self.city.slug}: {self.title}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


#: The choices by their short names (the goals app reads ``Status.DONE``).
Status = AgendaAction.Status
Source = AgendaAction.Source
#: What each field is called on the form and in an action's history.
FIELD_LABELS = {
    "title": _("What will be done"),
    "owner": _("Owner"),
    "owner_email": _("Owner's e-mail"),
    "status": _("Status"),
    "starts_on": _("Starts on"),
    "due_on": _("Due on"),
    "notes": _("Notes"),
    "links": _("Links"),
    "source": _("Source"),
}
#: Statuses of work still to do: their actions can be overdue and are reminded.
OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.BLOCKED)


class AgendaEvent(models.Model):
    """What happened to an action: created, changed (field: [before, after]), imported, reminded."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        IMPORTED = "imported", _("Changed by import")
        REMINDED = "reminded", _("Owner reminded")

    action = models.ForeignKey(AgendaAction, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]


class AgendaImport(models.Model):
    """One CSV import of a city's agenda: the file's hash and what it changed."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("programmes.City", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
