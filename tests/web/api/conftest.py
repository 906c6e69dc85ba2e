import pytest
from django.core.cache import cache

from civicmeter.web.explorer import published


@pytest.fixture(autouse=True)
def fresh_counts():
    """Each test starts with no anonymous-request count (the rate limit lives in the cache) and
    no public wave built by an earlier test."""
    cache.clear()
    published.clear_cache()
    yield
    cache.clear()
