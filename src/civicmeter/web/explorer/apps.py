from django.apps import AppConfig


class ExplorerConfig(AppConfig):
    name = "civicmeter.web.explorer"
    label = "explorer"

    def ready(self) -> None:
        from civicmeter.web.cityhome.panels import Panel, register

        from .team import panel_context

        register(Panel(key="snapshot", order=20, template="explorer/_team_panel.html", context=panel_context))
