from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "civicmeter.web.assessment"
    label = "assessment"

    def ready(self) -> None:
        from civicmeter.web.cityhome.panels import Panel, register

        from .panel import roadmap_panel

        register(
            Panel(key="roadmap", order=30, template="assessment/_city_panel.html", context=roadmap_panel)
        )
