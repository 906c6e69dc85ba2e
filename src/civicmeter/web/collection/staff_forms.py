"""Forms programme staff use on the wave dashboard."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicmeter.web.programmes.models import City


class InviteForm(forms.Form):
    city = forms.ModelChoiceField(queryset=City.objects.all(), label=_("City"), to_field_name="slug")
    email = forms.EmailField(label=_("Respondent's e-mail"))


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should the city change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Responses file (CSV or XLSX)"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("The export layout, or a KoboToolbox / ODK Central export of the same form."),
    )
    city_column = forms.CharField(
        label=_("Column naming the city"),
        initial="city",
        max_length=100,
        help_text=_(
            "Its code (e.g. baltimore-us). For a KoboToolbox export where each city answered "
            "from its own account, use _submitted_by."
        ),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV files)"),
        required=False,
        choices=[
            ("", _("UTF-8 (the default; UTF-16 is recognised by itself)")),
            ("cp1252", _("cp1252: Windows, older Excel in English, Spanish or French")),
            ("latin-1", _("latin-1: ISO-8859-1")),
            ("mac_roman", _("mac_roman: older Mac spreadsheets")),
            ("cp1250", _("cp1250: Windows, Central European")),
        ],
        help_text=_("Only when the import says the file is not UTF-8: choose the encoding it names."),
    )
    allow_closed = forms.BooleanField(
        label=_("Also import into a closed wave and into validated responses"),
        required=False,
        help_text=_("Answers there are final: tick this only to correct them on purpose."),
    )
