from django.urls import path

from . import views

app_name = "wellbeing"
run = "p/<slug:programme>/waves/<str:code>/analysis/<int:pk>/"
urlpatterns = [
    path("p/<slug:programme>/outcomes/", views.outcomes, name="outcomes"),
    path("p/<slug:programme>/outcomes/indicators/", views.indicators_add, name="indicators_add"),
    path("p/<slug:programme>/outcomes/imports/<int:pk>/", views.import_report, name="import"),
    path("p/<slug:programme>/waves/<str:code>/analysis/", views.analysis, name="analysis"),
    path(
        "p/<slug:programme>/waves/<str:code>/analysis/start/",
        views.analysis_begin,
        name="analysis_start",
    ),
    path(f"{run}progress/", views.analysis_progress, name="progress"),
    path(f"{run}report.html", views.analysis_report, name="report"),
    path(f"{run}<slug:name>.csv", views.analysis_table, name="table"),
]
