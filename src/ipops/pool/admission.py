"""Admission of patents by expert review: who may review what, and the committee's rule.

Each submitted patent goes to at least two experts, never to one recommended by the
submitting member. The committee decides on the experts' recorded opinions: at least
``quorum`` opinions, and the majority rule says how many must find the patent essential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ipops.errors import Conflict, ValidationError

MIN_EXPERTS = 2


class Majority(StrEnum):
    SIMPLE = "simple"  # more than half
    TWO_THIRDS = "two_thirds"  # at least two thirds
    UNANIMOUS = "unanimous"


class PatentStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ADMITTED = "admitted"
    REJECTED = "rejected"


class Opinion(StrEnum):
    ESSENTIAL = "essential"
    NOT_ESSENTIAL = "not_essential"


class LeaveReason(StrEnum):
    EXPIRED = "expired"
    LAPSED = "lapsed"
    INVALIDATED = "invalidated"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Vote:
    expert: str
    opinion: Opinion


@dataclass(frozen=True)
class Decision:
    admitted: bool
    essential: int
    not_essential: int
    rule: str

    @property
    def reason(self) -> str:
        verdict = "essential" if self.admitted else "not essential"
        return (
            f"{self.essential} of {self.essential + self.not_essential} experts found it "
            f"essential; under the {self.rule} rule the committee finds it {verdict}"
        )


def check_assignment(
    *, expert: str, expert_member_id: int | None, submitting_member_id: int, member_name: str
) -> None:
    """Refuse an expert recommended by the member that submitted the patent."""
    if expert_member_id == submitting_member_id:
        raise Conflict(
            f"expert {expert} was recommended by {member_name}, the member that submitted "
            "this patent; choose an expert recommended by another member",
            field="expert",
        )


def needed(rule: Majority, cast: int) -> int:
    """Essential opinions needed among ``cast`` for admission."""
    if rule is Majority.SIMPLE:
        return cast // 2 + 1
    if rule is Majority.TWO_THIRDS:
        return -(-cast * 2 // 3)
    return cast


def decide(votes: Sequence[Vote], *, assigned: int, quorum: int, rule: Majority) -> Decision:
    if assigned < MIN_EXPERTS:
        raise ValidationError(
            f"assign at least {MIN_EXPERTS} experts before deciding ({assigned} assigned)",
            field="experts",
        )
    if len(votes) < max(quorum, MIN_EXPERTS):
        raise ValidationError(
            f"{len(votes)} opinions recorded; the quorum is {max(quorum, MIN_EXPERTS)}",
            field="opinions",
        )
    essential = sum(1 for v in votes if v.opinion is Opinion.ESSENTIAL)
    admitted = essential >= needed(rule, len(votes))
    return Decision(admitted, essential, len(votes) - essential, str(rule))
