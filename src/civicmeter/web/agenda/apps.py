from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "civicmeter.web.agenda"
    label = "agenda"

    def ready(self) -> None:
        from civicmeter.web.cityhome.panels import Panel, register

        from .panel import agenda_context

        register(Panel(key="agenda", order=50, template="agenda/_city_panel.html", context=agenda_context))
