"""Scoring in the background: a wave is rescored after its responses change, with no button pressed.

Why a task: scoring a wave (with its rank intervals) takes seconds, far too long for the request
that submits, validates, returns or reviews one response. ``results.signals`` queues
:func:`score_wave` once per wave when such a transaction commits; the worker started by
``civicmeter serve`` runs it. A queued task that finds the latest run already newer than every
change does nothing, so a burst of submissions (an import) costs one scoring.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django_tasks import task

from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import Instrument, Wave

from . import selectors, services

logger = logging.getLogger(__name__)


def rescoring_due(wave: Wave) -> bool:
    """No run yet and something to score, or a change after the latest run."""
    recipe = selectors.DATA_USE if wave.instrument.kind == Instrument.Kind.ASSESSMENT else selectors.PSI
    run = selectors.latest_run(wave, recipe)
    if run is None:
        return Response.objects.filter(wave=wave, status__in=selectors.SCORED_STATUSES).exists()
    return selectors.scores_pending(run)


@task()
def score_wave(wave_id: int) -> None:
    """Rescore the wave if a response changed after its latest run (see the module docstring)."""
    wave = Wave.objects.select_related("instrument", "programme").filter(pk=wave_id).first()
    if wave is None or not rescoring_due(wave):
        return
    try:
        run = services.scores_compute(actor=SYSTEM, wave=wave)
    except ValidationError as exc:  # the wave cannot be scored as it stands: say why in the log
        logger.warning("Wave %s was not rescored: %s", wave, " ".join(exc.messages))
        return
    logger.info("Wave %s rescored in the background: run %s, %s cities", wave, run.pk, run.n)
