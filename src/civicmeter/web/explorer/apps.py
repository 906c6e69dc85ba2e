from django.apps import AppConfig


class ExplorerConfig(AppConfig):
    name = "civicmeter.web.explorer"
    label = "explorer"
