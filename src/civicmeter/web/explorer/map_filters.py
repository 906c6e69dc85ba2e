"""The map's filter form: every choice offered is one the wave's public cities have, so a value
typed into the address bar that is not offered is reported on the page instead of matching nothing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

EVERY = ("", _("Any"))
FILTERS = ("continent", "band", "area", "role", "activity", "team")


class MapFilterForm(forms.Form):
    wave = forms.ChoiceField(label=_("Survey wave"), required=False)
    colour = forms.ChoiceField(label=_("Colour cities by"), required=False)
    q = forms.CharField(
        label=_("City name"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    continent = forms.ChoiceField(label=_("Continent"), required=False)
    band = forms.ChoiceField(label=_("Population"), required=False)
    area = forms.ChoiceField(label=_("Policy area innovation focuses on"), required=False)
    role = forms.ChoiceField(label=_("Role in the innovation staff"), required=False)
    activity = forms.ChoiceField(label=_("Innovation activity used often"), required=False)
    team = forms.ChoiceField(label=_("Staff dedicated to innovation"), required=False)

    def __init__(self, data, *, waves: list[str], colourings: list[tuple[str, str]], choices: dict):
        super().__init__(data)
        self.fields["wave"].choices = [(w, w) for w in waves]
        self.fields["colour"].choices = colourings
        for name in FILTERS:
            self.fields[name].choices = [EVERY, *choices[name]]

    def chosen(self) -> dict[str, str]:
        """The valid choices (an invalid one is left out, and shown as an error beside its field)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
