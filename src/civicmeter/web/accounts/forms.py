"""Account forms."""

from django.contrib.auth.forms import UserCreationForm


class InvitationSignupForm(UserCreationForm):
    """Username and password (twice, checked by Django's validators); the e-mail is the invitation's."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)
