"""The token page's form: a new token's name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_NAME


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=MAX_NAME,
        help_text=_("What the token is for, e.g. “nightly import script”."),
    )
