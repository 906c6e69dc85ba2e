"""The background task that sends one recorded e-mail (retries are scheduled by the service)."""

from __future__ import annotations

from django_tasks import task

from .services import delivery_attempt


@task()
def deliver(delivery_id: int) -> str:
    return delivery_attempt(delivery_id).status
