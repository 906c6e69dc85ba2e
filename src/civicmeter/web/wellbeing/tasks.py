"""Background tasks (django-tasks): the database-backed worker runs them beside the web server."""

from __future__ import annotations

from django_tasks import task

from .services.runs import analysis_execute


@task()
def run_analysis(run_id: int) -> None:
    """Carry out a queued analysis run (progress and result are stored on the run)."""
    analysis_execute(run_id=run_id)
