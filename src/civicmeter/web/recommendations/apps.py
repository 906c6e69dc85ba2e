from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "civicmeter.web.recommendations"
    label = "recommendations"

    def ready(self) -> None:
        from civicmeter.web.cityhome.panels import Panel, register

        from .panel import recommendations_context

        register(
            Panel(
                key="recommendations",
                order=40,
                template="recommendations/_city_panel.html",
                context=recommendations_context,
            )
        )
