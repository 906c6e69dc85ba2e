"""Startup problems as Django system checks, each with an ID listed in docs/reference/errors.md."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"


@register(Tags.staticfiles)
def check_assets_built(app_configs, **kwargs):
    if (VENDOR_DIR / "htmx.min.js").exists():
        return []
    return [
        Error(
            "Front-end assets are not built (static/vendor/htmx.min.js is missing).",
            hint="Run `make setup` (it runs `npm ci` and copies the assets).",
            id="civicmeter.E001",
        )
    ]


@register()
def check_content_files(app_configs, **kwargs):
    """Every shipped instrument must load; a broken file would only surface when a page opens."""
    from civicmeter.web.programmes.instrument_cache import shipped_instrument_problems

    return [
        Error(
            f"Shipped instrument {name} does not load: {problem}",
            hint="Run `civicmeter instrument validate` on the file and fix the cells it names.",
            id="civicmeter.E002",
        )
        for name, problem in shipped_instrument_problems()
    ]


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend") and not settings.DEBUG:
        return [
            Warning(
                "Invitation e-mails are printed to the console, not sent.",
                hint="Set EMAIL_BACKEND and EMAIL_HOST for production.",
                id="civicmeter.W001",
            )
        ]
    return []
