from django.urls import path

from . import views

app_name = "cityhome"
urlpatterns = [
    path("p/<slug:programme>/cities/<slug:city>/", views.page, name="page"),
]
