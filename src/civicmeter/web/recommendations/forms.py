"""Staff forms: a rules or case file (pasted or uploaded) and one new case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicmeter.web.core.upload_limits import YAML, too_large


class ContentForm(forms.Form):
    """The YAML text, edited in place or replaced by an uploaded file (the file wins). Either is held
    to the YAML limit: a pasted text is parsed as an uploaded file is."""

    text = forms.CharField(
        label=_("YAML text"), widget=forms.Textarea(attrs={"rows": 24}), required=False, strip=False
    )
    file = forms.FileField(label=_("Or upload a file"), required=False)
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            problem = too_large(upload.name, upload.size, YAML)
            if problem:
                raise forms.ValidationError(problem)
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text; save it as UTF-8.")) from exc
        else:
            problem = too_large(str(_("The pasted text")), len((data.get("text") or "").encode()), YAML)
            if problem:
                raise forms.ValidationError(problem)
        data["text"] = (data.get("text") or "").replace("\r\n", "\n")  # browsers send CRLF
        if not data["text"].strip():
            raise forms.ValidationError(_("Paste the YAML text or upload a file."))
        return data


class CaseForm(forms.Form):
    """One case, in the fields of the case-file format."""

    id = forms.SlugField(label=_("Identifier"), max_length=80, help_text=_("e.g. porto-open-budget"))
    city = forms.CharField(label=_("City"), max_length=200)
    country = forms.CharField(label=_("Country"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary, in your own words"), widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.TypedMultipleChoiceField(
        label=_("Recommendations"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    component = forms.ChoiceField(label=_("Component"))
    policy_areas = forms.MultipleChoiceField(
        label=_("Policy areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    publication = forms.CharField(label=_("Source"), max_length=300)
    url = forms.URLField(label=_("Source address"), required=False, assume_scheme="https")

    def __init__(self, *args, recommendations, components, policy_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].choices = recommendations
        self.fields["component"].choices = components
        self.fields["policy_areas"].choices = policy_areas

    def case(self) -> dict:
        """The case as a mapping of the case-file format."""
        d = self.cleaned_data
        source = {"publication": d["publication"], **({"url": d["url"]} if d["url"] else {})}
        return {
            "id": d["id"],
            "city": d["city"],
            "country": d["country"],
            "title": d["title"],
            "summary": d["summary"],
            "recommendations": d["recommendations"],
            "component": d["component"],
            **({"policy_areas": d["policy_areas"]} if d["policy_areas"] else {}),
            "source": source,
        }
