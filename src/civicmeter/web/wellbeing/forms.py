"""Forms for the outcomes page (upload with column mapping) and the import report (confirm names)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicmeter.outcomes import ImportSpec
from civicmeter.outcomes.confirmations import scoped_name
from civicmeter.web.core.upload_limits import IMPORTS, YAML, too_large
from civicmeter.web.programmes.models import City

#: The confirm form's choice for "this name is none of the platform's cities".
NONE_OF_OURS = "-"


def _optional_text(label, max_length: int | None = None, help_text="") -> forms.CharField:
    """A text field the user may leave blank: blank means "detect it" or "the file says"."""
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


class IndicatorCatalogueForm(forms.Form):
    file = forms.FileField(
        label=_("Indicator catalogue (YAML)"),
        help_text=_(
            "The layout of Civicmeter's own catalogue (docs/outcomes.md): code, name, dimension, unit, "
            "direction, source and rescale for each indicator."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = too_large(upload.name, upload.size, YAML)
        if problem:
            raise forms.ValidationError(problem, code="too_large")
        return upload


class OutcomeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Outcome table (CSV or XLSX)"),
        help_text=_("One row per city (and period, indicator), or one column per indicator."),
    )
    period = _optional_text(_("Period"), 30, _("For files without a year column, e.g. 2023."))
    country = _optional_text(
        _("Country code"), 2, _("ISO code for every row when the file has no country column, e.g. US.")
    )
    indicator = _optional_text(
        _("Indicator code"), 80, _("For a file holding a single indicator, e.g. median_household_income.")
    )
    value_column = _optional_text(_("Value column of that indicator"))
    source = _optional_text(
        _("Source"), 500, _("Who published the figures, when the file has no source column.")
    )
    city_column = _optional_text(_("City column"))
    period_column = _optional_text(_("Period column"))
    indicator_column = _optional_text(_("Indicator column"))
    encoding = _optional_text(_("Encoding"), 30, _("Detected when empty; e.g. cp1252."))
    skip_rows = forms.IntegerField(
        label=_("Metadata lines above the header"),
        required=False,
        min_value=0,
        help_text=_("Detected when empty."),
    )
    sheet = _optional_text(_("Sheet"), 100, _("XLSX only; the first sheet when empty."))
    skip_unmatched = forms.BooleanField(
        label=_("Leave out names that are none of our cities"),
        required=False,
        help_text=_("For national tables: names matching none of our cities are listed, not imported."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = too_large(upload.name, upload.size, IMPORTS)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def import_spec(self) -> ImportSpec:
        """How to read the file, as chosen in the form."""
        return ImportSpec(**self.import_options())

    def import_options(self) -> dict:
        """The reading options chosen in the form (the fields of :class:`ImportSpec`)."""
        data = self.cleaned_data
        mapping = {
            role: data[f"{role}_column"].strip()
            for role in ("city", "period", "indicator")
            if data[f"{role}_column"].strip()
        }
        options = {
            "mapping": mapping or None,
            "period": data["period"].strip() or None,
            "country": data["country"].strip().upper() or None,
            "indicator": data["indicator"].strip() or None,
            "value_column": data["value_column"].strip() or None,
            "source": data["source"].strip() or None,
            "encoding": data["encoding"].strip() or None,
            "skip_rows": data["skip_rows"],
            "sheet": data["sheet"].strip() or None,
        }
        return options


class ConfirmNamesForm(forms.Form):
    """One choice per unmatched or ambiguous name: a city, or none of ours."""

    def __init__(self, *args, names: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        cities = [(c.slug, f"{c.name} ({c.country})") for c in City.objects.order_by("name")]
        for index, entry in enumerate(names):
            proposals = entry.get("suggestions") or entry.get("candidates") or []
            first = [(slug, label) for slug, label in cities if slug in proposals]
            self.fields[f"name_{index}"] = forms.ChoiceField(
                label=entry["name"],
                choices=[
                    ("", _("Choose…")),
                    (NONE_OF_OURS, _("None of our cities")),
                    *first,
                    *[c for c in cities if c[0] not in proposals],
                ],
            )

    def rows(self):
        return [(entry, self[f"name_{i}"]) for i, entry in enumerate(self.names)]

    def confirmed(self) -> dict[tuple[str, str], str]:
        """(source name, country) -> slug, "" for none of ours; the name carries its region
        ("Rochester city, Minnesota") so the choice never applies to a same-named city elsewhere."""
        out = {}
        for index, entry in enumerate(self.names):
            choice = self.cleaned_data[f"name_{index}"]
            key = (scoped_name(entry["name"], entry.get("region", "")), entry.get("country", ""))
            out[key] = "" if choice == NONE_OF_OURS else choice
        return out
