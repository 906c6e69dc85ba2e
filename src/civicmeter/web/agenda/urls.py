from django.urls import path

from . import views

app_name = "agenda"
base = "p/<slug:programme>/cities/<slug:city>/agenda/"
urlpatterns = [
    path(base, views.board, name="board"),
    path(base + "timeline/", views.timeline, name="timeline"),
    path(base + "add/", views.add, name="add"),
    path(base + "<int:action>/", views.edit, name="edit"),
    path(base + "<int:action>/status/", views.set_status, name="status"),
    path(base + "agenda.csv", views.export, name="export"),
    path(base + "import/", views.import_csv, name="import"),
    path(base + "agenda.pdf", views.council_pdf, name="pdf"),
]
