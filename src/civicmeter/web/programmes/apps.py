from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "civicmeter.web.programmes"
    label = "programmes"
