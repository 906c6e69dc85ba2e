from django.urls import path

from . import views

app_name = "goals"
_city = "p/<slug:programme>/cities/<slug:city>/goals/"
urlpatterns = [
    path(_city, views.manage, name="manage"),
    path(f"{_city}settings/", views.settings_set, name="settings"),
    path(f"{_city}add/", views.goal_add, name="goal_add"),
    path(f"{_city}indicators/add/", views.indicator_add, name="indicator_add"),
    path(f"{_city}indicators/<slug:code>/", views.indicator, name="indicator"),
    path(f"{_city}indicators/<slug:code>/outcomes/", views.take_outcomes, name="take_outcomes"),
    path(f"{_city}indicators/<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path(f"{_city}indicators/<slug:code>/values/<int:pk>/delete/", views.value_delete, name="value_delete"),
    path(f"{_city}values/add/", views.value_add, name="value_add"),
    path(f"{_city}values/import/", views.values_import, name="import"),
    path(f"{_city}values.csv", views.values_export, name="export"),
    path("cities/<slug:city>/goals/", views.public, name="public"),
]
