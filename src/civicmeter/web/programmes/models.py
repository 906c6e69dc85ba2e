"""Programmes, the cities they survey, the instruments they use and the waves they run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """An organisation running survey waves (a city network, a foundation, a research team)."""

    name = models.CharField(max_length=200)
    name_translations = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            'The name in other interface languages, by language code, e.g. {"es": "Capacidad de '
            'innovación en las ciudades"}; "name" is in the site\'s default language'
        ),
    )
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> tuple[str, str]:
        """``(name, language it is written in)``: the translation when there is one, else ``name``
        in the site's default language, so a page can mark the text it could not translate."""
        translated = (self.name_translations or {}).get(language)
        return (translated, language) if translated else (self.name, settings.LANGUAGE_CODE)


class SizeBand(models.TextChoices):
    SMALL = "small", _("under 250,000")
    MEDIUM = "medium", _("250,000 to 1 million")
    LARGE = "large", _("1 million or more")


class City(models.Model):
    """A city government. Cities are shared across programmes; the slug is name + ISO country code."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    region = models.CharField(max_length=100, blank=True, help_text=_("State, province or region"))
    population = models.PositiveBigIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    mayor = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    lead_officer = models.CharField(max_length=300, blank=True)
    synthetic = models.BooleanField(
        default=False, help_text=_("Demo city whose survey answers are generated, not real")
    )
    #: When a directory fact last changed: the public pages' fingerprint reads it, so a renamed city
    #: is redrawn at once (``cities_import`` sets it for its bulk update; a save sets it itself).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def size_band(self) -> str | None:
        if self.population is None:
            return None
        if self.population < 250_000:
            return SizeBand.SMALL
        if self.population < 1_000_000:
            return SizeBand.MEDIUM
        return SizeBand.LARGE


class Instrument(models.Model):
    """A versioned questionnaire or assessment, stored as the XLSForm workbook it was loaded from.

    The bytes are kept so every result can be traced to the exact file; once a wave uses an
    instrument it is immutable (enforced in ``services.instrument_register``).
    """

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Innovation-capacity survey")
        ASSESSMENT = "assessment", _("Data-use assessment")

    form_id = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SURVEY)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form_id", "version"], name="instrument_unique_version")
        ]
        ordering = ["form_id", "version"]

    def __str__(self) -> str:
        return f"{self.form_id} {self.version}"


class Wave(models.Model):
    """One round of an instrument in a programme, e.g. the 2020 survey."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="waves")
    code = models.CharField(max_length=30)
    title = models.CharField(max_length=200, blank=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="waves")
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    pairs_with = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paired_assessment",
        help_text=_(
            "For an assessment wave: the survey wave of the same programme whose results table shows "
            "its data-use scores (set with services.wave_pair)"
        ),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="wave_unique_code")]
        ordering = ["programme", "code"]

    def __str__(self) -> str:
        return f"{self.programme.slug} {self.code}"


class Invitation(models.Model):
    """A city invited to a wave; the token is the e-mailed link's key."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "city", "email"], name="invitation_unique")]


class WaveEvent(models.Model):
    """A change of a wave's status (closing, publishing, unpublishing), kept as the audit trail of
    what was public when: a published wave's results are public, so who published them and when
    must be answerable later."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.wave} {self.from_status} -> {self.to_status}"


class CityDisclosure(models.Model):
    """What a city agreed to show on its public pages, beyond aggregate answers and scores.

    Profile facts (mayor, website, lead officers, spotlight) are public only when listed in
    ``profile_fields`` (opt in: a city that never said yes shows none). A free-text answer outside
    the profile is public unless its question is listed in ``private_texts`` (the city marks what
    it keeps private). Population and the city's name, country and place are directory facts and
    always public.
    """

    PROFILE_FIELDS = ("mayor", "website", "lead_officers", "spotlight")

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="disclosure")
    profile_fields = models.JSONField(
        default=list, blank=True, help_text=_("Profile facts the city agreed to publish")
    )
    private_texts = models.JSONField(
        default=list, blank=True, help_text=_("Free-text questions whose answers the city keeps private")
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.city.slug}: publishes {', '.join(self.profile_fields) or 'no profile fact'}"
