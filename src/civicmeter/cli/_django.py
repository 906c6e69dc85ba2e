"""Start Django for CLI commands that need the database (imported lazily so domain commands stay fast)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicmeter.web.settings")
    import django

    django.setup()
