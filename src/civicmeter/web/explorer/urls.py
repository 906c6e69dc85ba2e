from django.urls import path

from . import snapshot_views, team, views, views_findings, views_map

app_name = "explorer"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views_map.city_map, name="map"),
    path("findings/", views_findings.findings_latest, name="findings_latest"),
    path("findings/<str:code>/", views_findings.findings, name="findings"),
    path("findings/<str:code>/findings.pdf", views_findings.findings_pdf, name="findings_pdf"),
    path("cities/", snapshot_views.city_list, name="cities"),
    path("cities/<slug:slug>/", snapshot_views.city_snapshot, name="snapshot"),
    path("cities/<slug:slug>/snapshot.pdf", snapshot_views.city_snapshot_pdf, name="snapshot_pdf"),
    path("compare/", snapshot_views.compare, name="compare"),
    path("p/<slug:programme>/cities/<slug:city>/snapshot/<str:code>/", team.preview, name="preview"),
    path("p/<slug:programme>/cities/<slug:city>/publication/", team.disclosure, name="disclosure"),
]
