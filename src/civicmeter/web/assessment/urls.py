from django.urls import path

from . import results_views, views

app_name = "assessment"
urlpatterns = [
    path("p/<slug:programme>/waves/<str:code>/cities/<slug:city>/assessment/", views.start, name="start"),
    path("assessments/", views.assigned, name="assigned"),
    path("assessments/<int:pk>/", views.overview, name="overview"),
    path("assessments/<int:pk>/criteria/<str:code>/", views.criterion, name="criterion"),
    path("assessments/<int:pk>/criteria/<str:code>/autosave/", views.autosave, name="autosave"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/review/", views.review, name="review"),
    path("assessments/<int:pk>/review/<str:code>/", views.decide, name="decide"),
    path("assessments/<int:pk>/return/", views.send_back, name="return"),
    path("assessments/<int:pk>/validate/", views.validate, name="validate"),
    path("assessments/<int:pk>/assign/", views.assign, name="assign"),
    path("assessments/<int:pk>/roadmap.<str:fmt>", results_views.roadmap_file, name="roadmap_file"),
    path("evidence/<uuid:key>/", views.evidence_file, name="evidence"),
    path("evidence/<uuid:key>/remove/", views.evidence_remove, name="evidence_remove"),
    path("p/<slug:programme>/waves/<str:code>/assessments/", views.wave_assessments, name="wave"),
    path("p/<slug:programme>/waves/<str:code>/assessments/results/", results_views.results, name="results"),
    path(
        "p/<slug:programme>/waves/<str:code>/assessments/results.csv",
        results_views.results_csv,
        name="results_csv",
    ),
]
