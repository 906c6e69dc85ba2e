from django.apps import AppConfig


class CityhomeConfig(AppConfig):
    name = "civicmeter.web.cityhome"
    label = "cityhome"

    def ready(self) -> None:
        from .panels import Panel, register
        from .score_panel import scores_context

        register(
            Panel(key="scores", order=10, template="cityhome/_scores_panel.html", context=scores_context)
        )
