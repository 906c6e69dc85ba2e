"""How a page shows a service's refusal, in one place so every page answers alike.

Services refuse in two ways: ``ValidationError`` for a rule of the use case (a closed wave, a stale
version, a missing note) and ``PermissionDenied`` for a user who may not act. A view that redirects
after a POST shows the first as error messages on the next page; where the object must stay hidden
from such a user, the second is the same 404 as an object that does not exist (the policy's "not
yours" answer). A page that shows its form again instead puts the refusal on the form. Each view
used to spell this out in its own ``try``/``except``.

    with shown_refusal(request):
        run = services.scores_compute(actor=request.user, wave=wave)
        messages.success(request, ...)  # reached only when the service did not refuse
        return redirect(...)            # (optional) where the page differs after a refusal
    return render(...)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


@contextmanager
def shown_refusal(
    request, *, each: bool = False, prefix: str = "", hidden: str | None = None
) -> Iterator[None]:
    """Run the ``with`` body; a ``ValidationError`` it raises stops the body and becomes error messages.

    ``each``: one message per problem (a list the user works through) rather than all in one line.
    ``prefix``: put before the message, e.g. the criterion it is about (``"C3: "``).
    ``hidden``: a ``PermissionDenied`` becomes ``Http404(hidden)``, the answer for an object the user
    may not know about; without it the refusal goes on to Django's 403.
    """
    try:
        yield
    except PermissionDenied:
        if hidden is None:
            raise
        raise Http404(hidden) from None
    except ValidationError as exc:
        for text in exc.messages if each else [" ".join(exc.messages)]:
            messages.error(request, prefix + text)


@contextmanager
def refusal_on_form(form, field: str | None = None) -> Iterator[None]:
    """Run the ``with`` body; a ``ValidationError`` it raises stops the body and becomes the form's
    errors above its fields (or under ``field``, when the refusal is about that one value), for a
    page that shows the form again with what was typed."""
    try:
        yield
    except ValidationError as exc:
        form.add_error(field, exc)


def valid_data(form) -> dict:
    """The form's cleaned data; when it is not valid, a ``ValidationError`` with one message per
    problem led by its field's label, so that inside ``shown_refusal`` a page that does not show the
    form again answers a bad form as it answers a refused service."""
    if form.is_valid():
        return form.cleaned_data
    problems = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        problems += [f"{label}: {error}" if label else error for error in errors]
    raise ValidationError(problems)
