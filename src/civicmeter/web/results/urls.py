from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("p/<slug:programme>/waves/<str:code>/results/", views.wave_results, name="wave"),
    path("p/<slug:programme>/waves/<str:code>/results/compute/", views.compute, name="compute"),
    path("p/<slug:programme>/waves/<str:code>/results.csv", views.export, name="export"),
    path("p/<slug:programme>/waves/<str:code>/results/<slug:city>/", views.city_score, name="city"),
]
