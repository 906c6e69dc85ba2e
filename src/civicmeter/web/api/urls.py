"""``/api/``: the OpenAPI schema and its docs, the v1 endpoints, and the API token page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from .views import docs, tokens

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerDocsView.as_view(), name="docs"),
    path("tokens/", tokens.tokens_page, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("v1/", include("civicmeter.web.api.routes")),
]
