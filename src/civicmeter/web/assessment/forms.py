"""Forms of the assessment pages: parse and bound input only; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicmeter.web.collection.models import CriterionReview

from .services import CriterionEntry, NewEvidence


class CriterionForm(forms.Form):
    """One criterion as the city fills it in: ticks, explanation, and optionally one new piece of
    evidence (a file or a link) and a reply to the reviewer, saved together."""

    items = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    text = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("How your city meets this criterion"),
        help_text=_("A few sentences: what exists, since when, and where the evidence shows it."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        required=False, label=_("Add a document"), help_text=_("PDF, office document, image or CSV.")
    )
    url = forms.CharField(required=False, max_length=1000, label=_("Or add a link"))
    label = forms.CharField(required=False, max_length=200, label=_("What the evidence is"))
    dated = forms.DateField(
        required=False,
        label=_("Date the record shows"),
        help_text=_("For minutes, reports and updates: the date of the meeting or publication."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reply = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Your answer to the reviewer"),
    )

    def __init__(self, *args, criterion=None, lang="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.code, i.text(lang)) for i in criterion.items]
        self.fields["items"].label = _("Checklist")
        self.criterion = criterion

    def entry(self) -> CriterionEntry:
        """The valid form as the service's one argument."""
        data = self.cleaned_data
        evidence = NewEvidence(upload=data["file"], url=data["url"], label=data["label"], dated=data["dated"])
        return CriterionEntry(
            self.criterion.code,
            data["items"],
            data["text"],
            version=data["version"],
            evidence=evidence,
            reply=data["reply"],
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=CriterionReview.Outcome.choices, widget=forms.RadioSelect, label=_("Decision")
    )
    note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Comment to the city"),
        help_text=_("Required when you ask for more evidence: say what is missing."),
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, label=_("Reviewer"))

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
