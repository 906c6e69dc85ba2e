"""URL map: public pages at the root, sign-in under /accounts/, programme work under /p/."""

from django.contrib import admin
from django.urls import include, path

#: The apps whose URL maps start at the root, in the order Django tries them: each names its own
#: prefixes (public pages, ``p/<programme>/...``, ``responses/...``).
ROOT_APPS = (
    "explorer",
    "collection",
    "results",
    "wellbeing",
    "mail",
    "cityhome",
    "recommendations",
    "agenda",
    "goals",
    "assessment",
)

urlpatterns = [
    path("accounts/", include("civicmeter.web.accounts.urls")),
    *(path("", include(f"civicmeter.web.{app}.urls")) for app in ROOT_APPS),
    path("api/", include("civicmeter.web.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
