"""WSGI entry point for production servers (e.g. ``gunicorn civicmeter.web.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicmeter.web.settings")
application = get_wsgi_application()
