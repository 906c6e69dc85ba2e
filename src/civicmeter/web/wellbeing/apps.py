from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "civicmeter.web.wellbeing"
    label = "wellbeing"
