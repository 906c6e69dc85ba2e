"""URL map: public pages at the root, sign-in under /accounts/, programme work under /p/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("civicmeter.web.explorer.urls")),
    path("accounts/", include("civicmeter.web.accounts.urls")),
    path("", include("civicmeter.web.collection.urls")),
    path("", include("civicmeter.web.results.urls")),
    path("", include("civicmeter.web.wellbeing.urls")),
    path("", include("civicmeter.web.mail.urls")),
    path("", include("civicmeter.web.cityhome.urls")),
    path("", include("civicmeter.web.recommendations.urls")),
    path("", include("civicmeter.web.agenda.urls")),
    path("", include("civicmeter.web.goals.urls")),
    path("", include("civicmeter.web.assessment.urls")),
    path("api/", include("civicmeter.web.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
