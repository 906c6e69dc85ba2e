"""The review cycle of an assessment as a state machine, so illegal moves are refused in one place.

draft -> (city submits) -> submitted -> (reviewer decides criteria; asks for more evidence and
returns it) -> returned -> (city responds, resubmits) -> submitted ... -> validated. A decision is
allowed on a submitted or validated assessment (a re-review keeps the history); sending back needs
an open request for more evidence; validating needs none; resubmitting needs a response to every
open request.
"""

from __future__ import annotations

from collections.abc import Iterable

DRAFT, SUBMITTED, RETURNED, VALIDATED = "draft", "submitted", "returned", "validated"
SUBMIT, DECIDE, RETURN, VALIDATE = "submit", "decide", "return", "validate"

TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMIT): SUBMITTED,
    (RETURNED, SUBMIT): SUBMITTED,
    (SUBMITTED, DECIDE): SUBMITTED,
    (VALIDATED, DECIDE): VALIDATED,
    (SUBMITTED, RETURN): RETURNED,
    (VALIDATED, RETURN): RETURNED,
    (SUBMITTED, VALIDATE): VALIDATED,
}


class IllegalTransition(ValueError):
    """A move the cycle does not allow from this state; ``reason`` says which rule refused it
    (``state``, ``no_request``, ``open_requests`` or ``unanswered``) and ``criteria`` which ones."""

    def __init__(self, state: str, action: str, reason: str, criteria: tuple[str, ...] = ()):
        self.state, self.action, self.reason, self.criteria = state, action, reason, criteria
        named = f": {', '.join(criteria)}" if criteria else ""
        super().__init__(f"cannot {action} an assessment that is {state} ({reason}{named})")


def next_state(
    state: str,
    action: str,
    *,
    open_requests: Iterable[str] = (),
    unanswered: Iterable[str] = (),
) -> str:
    """The state after ``action``, or :class:`IllegalTransition`.

    ``open_requests``: criteria whose latest decision asks for more evidence; ``unanswered``: those
    of them the city has not responded to since.
    """
    target = TRANSITIONS.get((state, action))
    if target is None:
        raise IllegalTransition(state, action, "state")
    open_requests, unanswered = tuple(open_requests), tuple(unanswered)
    if action == RETURN and not open_requests:
        raise IllegalTransition(state, action, "no_request")
    if action == VALIDATE and open_requests:
        raise IllegalTransition(state, action, "open_requests", open_requests)
    if action == SUBMIT and state == RETURNED and unanswered:
        raise IllegalTransition(state, action, "unanswered", unanswered)
    return target
