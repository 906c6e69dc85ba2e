"""Start Django for CLI commands that need the database (imported lazily so domain commands stay fast)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicmeter.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from ._errors import user_errors

    with user_errors(ImproperlyConfigured):
        django.setup()
