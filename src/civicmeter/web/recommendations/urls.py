from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    path("p/<slug:programme>/recommendations/<str:kind>/", views.content_page, name="content"),
    path(
        "p/<slug:programme>/recommendations/<str:kind>/<str:version>.yaml",
        views.content_download,
        name="download",
    ),
    path("p/<slug:programme>/cases/", views.cases, name="cases"),
    path("p/<slug:programme>/cases/add/", views.case_add, name="case_add"),
]
