"""The API against its OpenAPI schema: the schema validates with no warning, and Schemathesis sends
generated requests to every operation (a bounded number each) through the WSGI app: no server
error, every status, header and body as the schema says."""

from __future__ import annotations

from unittest import mock

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from civicmeter.testing import make_published_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.api import services


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/results/", "/api/v1/programmes/{programme}/waves/{code}/responses/import/"):
        assert f"  {path}:" in text


@pytest.fixture
def open_connection():
    """Requests through the WSGI app keep the test's database connection (and its transaction), as
    Django's test client does: the end of a request would otherwise close it (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(db, open_connection):
    world = make_published_world()
    return services.token_create(actor=SYSTEM, user=world.admin, name="schemathesis").key


def _schema():
    """The schema the API serves at /api/schema/, to run against the WSGI app (built here rather
    than fetched: collection runs before any test database exists)."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=20, suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_to_the_schema(case, admin_key):
    with mock.patch("rest_framework.throttling.AnonRateThrottle.THROTTLE_RATES", {"anon": "100000/minute"}):
        case.call_and_validate(headers={"Authorization": f"Token {admin_key}"})
