"""The demo's public side: every demo city agrees to publish its profile, and the closed 2018 wave
is published, so the public pages have content from the first start.

Through the same services an admin and a city team use (``disclosure_set``, ``wave_publish``), as
the system actor at the time the OECD published its 2018 results.
"""

from __future__ import annotations

from datetime import UTC, datetime

from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes import services
from civicmeter.web.programmes.models import City, CityDisclosure, Programme, Wave

PUBLISHED_WAVES = ("2018",)
PUBLISHED_ON = datetime(2019, 1, 15, tzinfo=UTC)


def publish_demo(programme: Programme) -> list[Wave]:
    """Record each demo city's consent to publish its profile facts and publish the demo's closed
    survey waves named in ``PUBLISHED_WAVES``; returns the waves published now."""
    actor = SYSTEM.as_of(PUBLISHED_ON)
    agreed = set(CityDisclosure.objects.values_list("city_id", flat=True))
    for city in City.objects.filter(synthetic=True).exclude(pk__in=agreed):
        services.disclosure_set(
            actor=actor,
            programme=programme,
            city=city,
            profile_fields=list(CityDisclosure.PROFILE_FIELDS),
            private_texts=[],
        )
    done = []
    for wave in programme.waves.filter(code__in=PUBLISHED_WAVES, status=Wave.Status.CLOSED):
        done.append(services.wave_publish(actor=actor, wave=wave))
    return done
