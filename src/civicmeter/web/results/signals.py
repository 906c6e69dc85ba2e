"""Queue a background rescoring (``results.tasks.score_wave``) when a scored response changes.

What changes scores: a status change (submit, validate, return), a change to a response that is
being scored (an import into a submitted or validated response) and a reviewer's criterion outcome.
Each wave is queued at most once per transaction, after it commits, so the task sees the change,
and not at all when a rescoring of the wave is already waiting in the queue (``tasks.rescoring_waiting``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from civicmeter.web.collection.models import CriterionReview, Response

from .selectors import SCORED_STATUSES


def queue_rescoring(wave_id: int) -> None:
    """Queue ``score_wave(wave_id)`` when the current transaction commits, once per wave.

    A wave already waiting in this transaction's commit callbacks is not added again (an import
    saves many responses in one transaction); a rolled-back transaction queues nothing; a wave
    whose rescoring is queued and not started is not queued again.
    """
    connection = transaction.get_connection()
    if any(getattr(entry[1], "rescores_wave", None) == wave_id for entry in connection.run_on_commit):
        return

    def enqueue() -> None:
        from .tasks import rescoring_waiting, score_wave

        if not rescoring_waiting(wave_id):
            score_wave.enqueue(wave_id)

    enqueue.rescores_wave = wave_id
    transaction.on_commit(enqueue, robust=True)


@receiver(post_save, sender=Response, dispatch_uid="results-rescore-response")
def response_saved(sender, instance: Response, created: bool, update_fields=None, **kwargs) -> None:
    status_changed = update_fields is not None and "status" in update_fields
    if status_changed or (not created and instance.status in SCORED_STATUSES):
        queue_rescoring(instance.wave_id)


@receiver(post_save, sender=CriterionReview, dispatch_uid="results-rescore-review")
def review_saved(sender, instance: CriterionReview, created: bool, **kwargs) -> None:
    queue_rescoring(instance.response.wave_id)
