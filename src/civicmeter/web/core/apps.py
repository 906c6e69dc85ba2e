from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicmeter.web.core"
    label = "core"
    verbose_name = "Civicmeter core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
