from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civicmeter.web.api"
    label = "api"
