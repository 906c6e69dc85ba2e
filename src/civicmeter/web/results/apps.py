from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "civicmeter.web.results"
    label = "results"
