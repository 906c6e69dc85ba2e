"""Account forms."""

from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.template.loader import render_to_string


class InvitationSignupForm(UserCreationForm):
    """Username and password (twice, checked by Django's validators); the e-mail is the invitation's."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the mail goes through the background worker like every other e-mail."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from civicmeter.web.mail.models import Delivery
        from civicmeter.web.mail.services import mail_queue

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        mail_queue(kind=Delivery.Kind.PASSWORD_RESET, recipients=[to_email], subject=subject, body=body)
