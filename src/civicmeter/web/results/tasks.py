"""Scoring in the background: a wave is rescored after its responses change, with no button pressed.

Why a task: scoring a wave (with its rank intervals) takes seconds, far too long for the request
that submits, validates, returns or reviews one response. ``results.signals`` queues
:func:`score_wave` once per wave when such a transaction commits; the worker started by
``civicmeter serve`` runs it. A queued task that finds the latest run already newer than every
change does nothing, so a burst of submissions (an import) costs one scoring; and
:func:`rescoring_waiting` lets ``signals`` skip queueing when a rescoring of the wave is already
queued and not started (the demo imports city by city: one task per wave, not one per city).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django_tasks import task
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

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


def rescoring_waiting(wave_id: int) -> bool:
    """Is a ``score_wave(wave_id)`` queued and not yet claimed by a worker?

    Then a new change needs no task of its own: the worker claims a task (and commits the claim)
    before running it, so a task still waiting now starts after this change committed and sees it.
    A task already running may have read the answers before the change: it does not count, and the
    change queues a new one. Only the database backend has a queue to look at.
    """
    backend = score_wave.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, backend_name=backend.alias, task_path=score_wave.module_path
    ).values_list("args_kwargs", flat=True)
    return any(entry.get("args") == [wave_id] for entry in waiting)


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
