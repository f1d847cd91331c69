"""The lifecycle of a dispute case: an enum and a transition table."""

from __future__ import annotations

from enum import StrEnum

from ipops.errors import InvalidTransition


class CaseKind(StrEnum):
    LITIGATION = "litigation"  # foreign litigation against a member
    NEGOTIATION = "negotiation"  # collective negotiation with a foreign licensor or licensee
    MEDIATION = "mediation"  # mediation between parties


class CaseStatus(StrEnum):
    OPENED = "opened"
    NEGOTIATING = "negotiating"
    IN_MEDIATION = "in_mediation"
    SETTLED = "settled"
    LITIGATED = "litigated"
    CLOSED = "closed"


S = CaseStatus
TRANSITIONS: dict[CaseStatus, tuple[CaseStatus, ...]] = {
    S.OPENED: (S.NEGOTIATING, S.IN_MEDIATION, S.LITIGATED, S.CLOSED),
    S.NEGOTIATING: (S.IN_MEDIATION, S.SETTLED, S.LITIGATED, S.CLOSED),
    S.IN_MEDIATION: (S.NEGOTIATING, S.SETTLED, S.LITIGATED, S.CLOSED),
    S.LITIGATED: (S.NEGOTIATING, S.IN_MEDIATION, S.SETTLED, S.CLOSED),
    S.SETTLED: (S.CLOSED,),
    S.CLOSED: (),
}


def allowed(current: CaseStatus) -> tuple[CaseStatus, ...]:
    return TRANSITIONS[current]


def check_transition(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    """``target`` when the table allows it; else ``InvalidTransition`` naming what is allowed."""
    if target in TRANSITIONS[current]:
        return target
    options = ", ".join(TRANSITIONS[current]) or "none (the case is closed)"
    raise InvalidTransition(
        f"a case that is {current} cannot become {target}; allowed: {options}", field="status"
    )
