"""The process side of ``civicmeter publish``'s page workers.

Its own module, importing nothing of Django at load time: a fresh (spawned) worker loads this
module to find its start function before Django is set up, and the models can only be imported
after ``django.setup()``.
"""

from __future__ import annotations


def start() -> None:
    """Set Django up like the parent (the same settings module and environment)."""
    import django

    django.setup()


def render(job):
    """Render one job of pages (see ``static_site.render_pages``)."""
    from .static_site import render_chunk

    return render_chunk(job)
