from django.urls import path

from . import views

app_name = "cityhome"
urlpatterns = [
    path("p/<slug:programme>/cities/<slug:city>/", views.page, name="page"),
    path("p/<slug:programme>/cities/<slug:city>/scores/<str:code>/", views.explain, name="explain"),
]
