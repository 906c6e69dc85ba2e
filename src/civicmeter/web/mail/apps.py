from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "civicmeter.web.mail"
    label = "mail"
    verbose_name = "E-mail deliveries"
