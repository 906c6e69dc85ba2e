"""The v1 URL map (``/api/v1/``): a DRF router for the read endpoints, plain paths for the rest."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import staff

WAVE = "programmes/<slug:programme>/waves/<str:code>/"

router = DefaultRouter()
urlpatterns = [
    path(f"{WAVE}responses/import/", staff.ResponsesImportView.as_view(), name="responses_import"),
    path(f"{WAVE}score/", staff.ScoreView.as_view(), name="wave_score"),
    path(
        "programmes/<slug:programme>/outcomes/import/",
        staff.OutcomesImportView.as_view(),
        name="outcomes_import",
    ),
    *router.urls,
]
