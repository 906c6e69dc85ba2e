"""The action form (add and change) and the CSV upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from civicmeter.web.core.upload_limits import IMPORTS, too_large

from .models import FIELD_LABELS, AgendaAction, Source


class ActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AgendaAction
        fields = ["title", "owner", "owner_email", "status", "starts_on", "due_on", "notes", "links"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        labels = FIELD_LABELS

    def clean_links(self):
        links = self.cleaned_data["links"].split()
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except ValidationError as exc:
                raise ValidationError(
                    _("%(link)s is not a web address starting with https://") % {"link": link}
                ) from exc
        return "\n".join(links)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("due_on") and data["due_on"] < data["starts_on"]:
            self.add_error("due_on", _("The due date is before the start date."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SourceForm(forms.Form):
    """Where a new action comes from (hidden fields carried from the recommendation's button)."""

    source = forms.ChoiceField(choices=Source.choices, widget=forms.HiddenInput, initial=Source.OWN)
    source_ref = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    source_wave = forms.CharField(max_length=30, required=False, widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Agenda CSV"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = too_large(upload.name, upload.size, IMPORTS)
        if problem:
            raise ValidationError(problem)
        return upload
