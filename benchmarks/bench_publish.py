"""``civicmeter publish`` for 1,000 cities: the time to write the static site, beside a baseline.

Builds a published wave of 1,000 synthetic cities (names ``Bench City 0001``..., countries and
coordinates spread over the continents, answers drawn by the demo's calibrated generator, scored
with rank intervals and published through the services) in an SQLite database of its own under a
temporary ``CIVICMETER_HOME``, then times the command a user runs, end to end:

* ours: ``civicmeter publish --wave bench --out DIR --no-pdf`` (every language, one process per
  core; snapshot charts drawn by the browser, the map and findings drawn on the server);
* baseline: the same command with ``--workers 1``, each page rendered one after another as a
  crawler mirroring the live site would.

Goal (issue 11): ours under 60 s. PDFs are timed apart on 20 cities and extrapolated, since one
WeasyPrint document takes about as long as all the HTML pages of a city. ``CIVICMETER_BENCH_CITIES``
changes the number of cities (e.g. 200 for a quick look), ``CIVICMETER_BENCH_LANGUAGES`` the
languages (e.g. "en").
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CITIES = int(os.environ.get("CIVICMETER_BENCH_CITIES", "1000"))
#: ``--language`` options (e.g. "en" for one language); every language by default.
LANGUAGES = os.environ.get("CIVICMETER_BENCH_LANGUAGES", "").split()
GOAL_SECONDS = 60.0
PDF_SAMPLE = 20
BIN = Path(sys.executable).parent
COUNTRIES = ("US", "DE", "FR", "ES", "IT", "GB", "BR", "MX", "JP", "IN", "ZA", "AU", "CA", "PT", "PL", "KE")


def _environment(home: Path) -> dict[str, str]:
    return dict(
        os.environ,
        CIVICMETER_HOME=str(home),
        DATABASE_URL=f"sqlite:///{home / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="civicmeter.web.settings",
        CIVICMETER_LOCAL_HTTP="1",
        SECRET_KEY=secrets.token_urlsafe(50),  # a throwaway installation
    )


def _populate(cities: int) -> None:
    """The programme, the 1,000 cities and their validated answers, scored and published."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicmeter.demo.answers import synthetic_answers
    from civicmeter.testing import SURVEY_FILE
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.collection.models import Answer, Response
    from civicmeter.web.programmes import services
    from civicmeter.web.programmes.instrument_cache import instrument_for
    from civicmeter.web.programmes.models import City, Programme, Wave
    from civicmeter.web.results.services import scores_compute

    programme = Programme.objects.create(name="Bench programme", slug="bench")
    content = SURVEY_FILE.read_bytes()
    row = services.instrument_register(actor=SYSTEM, filename=SURVEY_FILE.name, content=content)
    wave = Wave.objects.create(programme=programme, code="bench", instrument=row, status=Wave.Status.CLOSED)
    instrument = instrument_for(row)
    made = City.objects.bulk_create(
        City(
            slug=f"bench-city-{i:04d}-{COUNTRIES[i % len(COUNTRIES)].lower()}",
            name=f"Bench City {i:04d}",
            country=COUNTRIES[i % len(COUNTRIES)],
            population=50_000 + 7_919 * i,
            population_year=2020,
            latitude=-50 + (i * 37) % 110,
            longitude=-170 + (i * 53) % 340,
            synthetic=True,
        )
        for i in range(cities)
    )
    responses = Response.objects.bulk_create(
        Response(wave=wave, city=city, status=Response.Status.VALIDATED, synthetic=True) for city in made
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=q, value=v)
        for i, response in enumerate(responses)
        for q, v in synthetic_answers(instrument, city_slug=response.city.slug, wave="2020", seed=i).items()
    )
    scores_compute(actor=SYSTEM, wave=wave)
    services.wave_publish(actor=SYSTEM, wave=wave)


def _publish(env: dict[str, str], out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "civicmeter"), "publish", "--wave", "bench", "--out", str(out), *extra],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _pdf_seconds(env: dict[str, str]) -> float:
    """Seconds per snapshot PDF, over ``PDF_SAMPLE`` cities in one language."""
    code = (
        "import django, time; django.setup()\n"
        "from django.test import Client, override_settings\n"
        "from civicmeter.web.programmes.models import City\n"
        f"slugs = list(City.objects.order_by('slug').values_list('slug', flat=True)[:{PDF_SAMPLE + 1}])\n"
        "with override_settings(ALLOWED_HOSTS=['testserver'], SECURE_SSL_REDIRECT=False):\n"
        "    client = Client()\n"
        "    client.get(f'/cities/{slugs[0]}/snapshot.pdf?wave=bench')\n"
        "    started = time.perf_counter()\n"
        "    for slug in slugs[1:]:\n"
        "        assert client.get(f'/cities/{slug}/snapshot.pdf?wave=bench').status_code == 200\n"
        f"    print((time.perf_counter() - started) / {PDF_SAMPLE})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="civicmeter-bench-publish-") as tmp:
        home = Path(tmp)
        env = _environment(home)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", f"from benchmarks.bench_publish import _populate; _populate({CITIES})"],
            env=env, check=True, cwd=Path(__file__).resolve().parents[1],
        )
        print(f"set-up: {CITIES} published cities in {time.perf_counter() - started:.0f} s")
        chosen = [option for code in LANGUAGES for option in ("--language", code)]
        ours = _publish(env, home / "site", "--no-pdf", *chosen)
        pages = sum(1 for _ in (home / "site").rglob("*.html"))
        baseline = _publish(env, home / "site-baseline", "--no-pdf", "--workers", "1", *chosen)
        per_pdf = _pdf_seconds(env)
    status = "ok" if ours < GOAL_SECONDS else "FAIL"
    print(f"{'':34}{'seconds':>10}")
    label = f"civicmeter publish ({pages} pages)"
    print(f"{label:34}{ours:10.1f}   goal < {GOAL_SECONDS:.0f} s  {status}")
    print(f"{'baseline: one page at a time':34}{baseline:10.1f}   ({baseline / ours:.1f}x ours)")
    print(f"{'snapshot PDFs (per PDF, measured)':34}{per_pdf:10.2f}   "
          f"1 language x {CITIES} cities ~ {per_pdf * CITIES:.0f} s on one core")
    return 0 if ours < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
