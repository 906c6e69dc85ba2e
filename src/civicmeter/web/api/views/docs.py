"""Swagger UI for the OpenAPI schema, served from our own static files under the strict CSP.

drf-spectacular's split view serves the start-up script as a file (no inline script); our template
only replaces its inline ``<style>`` with a stylesheet and names the page's language.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "Civicmeter API"
