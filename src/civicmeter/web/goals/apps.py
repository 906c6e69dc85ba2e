from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "civicmeter.web.goals"
    label = "goals"

    def ready(self) -> None:
        from civicmeter.web.cityhome.panels import Panel, register

        from .panels import goals_context, progress_context

        register(Panel(key="goals", order=60, template="goals/_city_panel.html", context=goals_context))
        register(
            Panel(key="progress", order=70, template="goals/_progress_panel.html", context=progress_context)
        )
