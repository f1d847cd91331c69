"""The loan lifecycle as a state machine, in the manner of Apache Fineract.

States: ``submitted`` (submitted and pending approval), ``approved``, ``rejected``,
``withdrawn`` (by the applicant), ``active`` (disbursed), ``closed`` (obligations met),
``written_off`` (closed, written off). Actions and undo events:

=================  =================  =================
action             from               to
=================  =================  =================
approve            submitted          approved
reject             submitted          rejected
withdraw           submitted          withdrawn
undo_approval      approved           submitted
disburse           approved           active
undo_disbursal     active             approved   (only before any repayment)
repay_in_full      active             closed     (applied by a repayment, not by hand)
write_off          active             written_off
undo_write_off     written_off        active
=================  =================  =================

An active loan has an **arrears** sub-state: the days past due of its oldest unsettled
instalment, bucketed as ``current``, ``1-30``, ``31-60``, ``61-90`` and ``90+``.
"""

from __future__ import annotations

from enum import StrEnum

from ipops.errors import InvalidTransition


class LoanState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ACTIVE = "active"
    CLOSED = "closed"
    WRITTEN_OFF = "written_off"


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    UNDO_APPROVAL = "undo_approval"
    DISBURSE = "disburse"
    UNDO_DISBURSAL = "undo_disbursal"
    REPAY_IN_FULL = "repay_in_full"
    WRITE_OFF = "write_off"
    UNDO_WRITE_OFF = "undo_write_off"


TRANSITIONS: dict[tuple[LoanState, Action], LoanState] = {
    (LoanState.SUBMITTED, Action.APPROVE): LoanState.APPROVED,
    (LoanState.SUBMITTED, Action.REJECT): LoanState.REJECTED,
    (LoanState.SUBMITTED, Action.WITHDRAW): LoanState.WITHDRAWN,
    (LoanState.APPROVED, Action.UNDO_APPROVAL): LoanState.SUBMITTED,
    (LoanState.APPROVED, Action.DISBURSE): LoanState.ACTIVE,
    (LoanState.ACTIVE, Action.UNDO_DISBURSAL): LoanState.APPROVED,
    (LoanState.ACTIVE, Action.REPAY_IN_FULL): LoanState.CLOSED,
    (LoanState.ACTIVE, Action.WRITE_OFF): LoanState.WRITTEN_OFF,
    (LoanState.WRITTEN_OFF, Action.UNDO_WRITE_OFF): LoanState.ACTIVE,
}

# What a user (bank officer or applicant) can ask for by name; repay_in_full follows payments.
MANUAL_ACTIONS: frozenset[Action] = frozenset(Action) - {Action.REPAY_IN_FULL}
OPEN_STATES: frozenset[LoanState] = frozenset(
    {LoanState.SUBMITTED, LoanState.APPROVED, LoanState.ACTIVE}
)
ARREARS_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("current", 0, 0),
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


def allowed_actions(state: LoanState) -> list[Action]:
    return [action for (source, action) in TRANSITIONS if source is state]


def parse_action(text: str) -> Action:
    try:
        return Action(text)
    except ValueError:
        allowed = ", ".join(a.value for a in Action if a in MANUAL_ACTIONS)
        raise InvalidTransition(
            f"no action {text!r}; actions are {allowed}", field="action"
        ) from None


def next_state(state: LoanState, action: Action) -> LoanState:
    """The state after ``action``; ``InvalidTransition`` naming the allowed actions."""
    found = TRANSITIONS.get((state, action))
    if found is None:
        manual = [a.value for a in allowed_actions(state) if a in MANUAL_ACTIONS]
        allowed = ", ".join(manual) or "none (a final state)"
        raise InvalidTransition(
            f"cannot {action.value} a loan that is {state.value}; allowed: {allowed}",
            field="action",
        )
    return found


def arrears_bucket(days_past_due: int) -> str:
    for name, low, high in ARREARS_BUCKETS:
        if days_past_due >= low and (high is None or days_past_due <= high):
            return name
    raise ValueError(days_past_due)


def open_steps(state: LoanState) -> frozenset[str]:
    """The steps a loan in ``state`` takes besides its actions: a pledge is registered once
    approved (until closed), repayments are taken while active; plus its manual actions."""
    steps = {a.value for a in allowed_actions(state) if a in MANUAL_ACTIONS}
    if state in (LoanState.APPROVED, LoanState.ACTIVE):
        steps.add("pledge")
    if state is LoanState.ACTIVE:
        steps.add("repay")
    return frozenset(steps)
