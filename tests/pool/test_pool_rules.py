"""Pure rules: pricing, report checks, the dispute state machine, the committee's rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from ipops.errors import Conflict, InvalidTransition, ValidationError
from ipops.pool import admission, disputes, royalties
from ipops.pool.admission import Majority, Opinion, Vote
from ipops.pool.royalties import Rate, RateKind, Terms

PERIOD = (date(2025, 3, 1), date(2025, 3, 31))
RATES = royalties.parse_rates({"split-ac": {"unit": "3.00"}, "chiller": {"percent": "0.5"}})


def test_rates_combine_regional_compliant_and_early_discounts() -> None:
    terms = Terms(
        rates=RATES,
        regional={"IN": Decimal("0.5")},
        compliant_discount=Decimal("0.1"),
        early_discount=Decimal("0.08"),
    )
    # 3.00 CNY = 300 fen = 300,000,000 micro-fen; x 0.5 x 0.9 x 0.92
    rate = royalties.effective_rate_micro(
        terms, "split-ac", "IN", good_standing=True, back_royalty=False
    )
    assert rate == 124_200_000
    assert royalties.line_royalty_fen(1_000, rate) == 124_200  # 1,242.00 CNY
    # back royalties: full rate, regional factor only
    back = royalties.effective_rate_micro(
        terms, "split-ac", "IN", good_standing=True, back_royalty=True
    )
    assert back == 150_000_000
    # 0.5 % of net sales = 5,000 millionths
    pct = royalties.effective_rate_micro(
        terms, "chiller", "US", good_standing=False, back_royalty=False
    )
    assert pct == 4_600
    assert royalties.line_royalty_fen(10_000_000, pct) == 46_000


def test_royalty_is_due_where_a_patent_is_in_force_in_sale_or_manufacture() -> None:
    assert royalties.trigger_country("CN", "US", {"US", "CN"}) == "US"
    assert royalties.trigger_country("CN", "BR", {"CN"}) == "CN"
    assert royalties.trigger_country("TH", "BR", {"CN"}) is None


def test_the_annual_cap_scales_lines_down_exactly() -> None:
    assert royalties.capped([100, 200, 300], None) == [100, 200, 300]
    assert royalties.capped([100, 200, 300], 1_000) == [100, 200, 300]
    assert royalties.capped([100, 200, 300], 301) == [50, 100, 151]
    assert royalties.capped([100, 200], 0) == [0, 0]


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (
            {"category": "vrf", "made_in": "CN", "sold_in": "US", "units": 1},
            "row 1.category",
            "unknown product category",
        ),
        (
            {"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": -5},
            "row 1.units",
            "negative units",
        ),
        (
            {"category": "split-ac", "made_in": "CN", "sold_in": "UK", "units": 5},
            "row 1.sold_in",
            "not an ISO 3166",
        ),
        (
            {"category": "split-ac", "made_in": "CN", "sold_in": "US", "units": 2.5},
            "row 1.units",
            "float",
        ),
        (
            {"category": "chiller", "made_in": "CN", "sold_in": "US", "net_sales": 10.5},
            "row 1.net_sales",
            "float",
        ),
        (
            {"category": "chiller", "made_in": "CN", "sold_in": "US", "net_sales": "10.555"},
            "row 1.net_sales",
            "fen",
        ),
        (
            {
                "category": "split-ac",
                "made_in": "CN",
                "sold_in": "US",
                "units": 1,
                "sold_on": "2025-04-01",
            },
            "row 1.sold_on",
            "outside",
        ),
    ],
)
def test_a_bad_report_row_is_rejected_with_row_and_reason(
    row: dict[str, object], field: str, reason: str
) -> None:
    with pytest.raises(ValidationError, match=reason) as caught:
        royalties.parse_report_lines([row], rates=RATES, period=PERIOD)
    assert caught.value.field == field


def test_good_rows_parse() -> None:
    lines = royalties.parse_report_lines(
        [
            {"category": "split-ac", "made_in": "cn", "sold_in": "US", "units": "1200"},
            {"category": "chiller", "made_in": "CN", "sold_in": "DE", "net_sales": "1000.50"},
        ],
        rates=RATES,
        period=PERIOD,
    )
    assert [(line.made_in, line.base) for line in lines] == [("CN", 1200), ("CN", 100_050)]


def test_rates_refuse_floats_and_unknown_kinds() -> None:
    with pytest.raises(ValidationError, match="float"):
        royalties.parse_rates({"x": {"unit": 3.0}})
    with pytest.raises(ValidationError, match="unknown rate kind"):
        royalties.parse_rates({"x": {"flat": "3"}})
    assert Rate(RateKind.UNIT, Decimal("3.00")).as_dict() == {"kind": "unit", "value": "3.00"}


def test_a_disallowed_status_change_names_the_allowed_ones() -> None:
    with pytest.raises(InvalidTransition, match="allowed: closed"):
        disputes.check_transition(disputes.CaseStatus.SETTLED, disputes.CaseStatus.LITIGATED)
    with pytest.raises(InvalidTransition, match="none"):
        disputes.check_transition(disputes.CaseStatus.CLOSED, disputes.CaseStatus.OPENED)


class CaseMachine(RuleBasedStateMachine):
    """Any sequence of requested changes: allowed ones happen, others are refused."""

    def __init__(self) -> None:
        super().__init__()
        self.status = disputes.CaseStatus.OPENED
        self.history = [self.status]

    @rule(wanted=st.sampled_from(list(disputes.CaseStatus)))
    def request(self, wanted: disputes.CaseStatus) -> None:
        allowed = disputes.allowed(self.status)
        if wanted in allowed:
            self.status = disputes.check_transition(self.status, wanted)
            self.history.append(self.status)
        else:
            with pytest.raises(InvalidTransition):
                disputes.check_transition(self.status, wanted)

    @invariant()
    def closed_is_final_and_settled_only_closes(self) -> None:
        if disputes.CaseStatus.CLOSED in self.history:
            assert self.history[-1] is disputes.CaseStatus.CLOSED
        assert self.history[0] is disputes.CaseStatus.OPENED


TestCaseMachine = CaseMachine.TestCase


def test_the_committee_rules() -> None:
    votes = [
        Vote("a", Opinion.ESSENTIAL),
        Vote("b", Opinion.ESSENTIAL),
        Vote("c", Opinion.NOT_ESSENTIAL),
    ]
    assert admission.decide(votes, assigned=3, quorum=2, rule=Majority.SIMPLE).admitted
    assert admission.decide(votes, assigned=3, quorum=2, rule=Majority.TWO_THIRDS).admitted
    assert not admission.decide(votes, assigned=3, quorum=2, rule=Majority.UNANIMOUS).admitted
    tie = votes[1:]
    assert not admission.decide(tie, assigned=2, quorum=2, rule=Majority.SIMPLE).admitted
    with pytest.raises(ValidationError, match="quorum is 3"):
        admission.decide(tie, assigned=3, quorum=3, rule=Majority.SIMPLE)
    with pytest.raises(ValidationError, match="at least 2 experts"):
        admission.decide(votes[:1], assigned=1, quorum=2, rule=Majority.SIMPLE)


def test_an_expert_of_the_submitting_member_is_refused_with_the_reason() -> None:
    with pytest.raises(Conflict, match="recommended by 格力"):
        admission.check_assignment(
            expert="王工", expert_member_id=1, submitting_member_id=1, member_name="格力"
        )
    admission.check_assignment(
        expert="王工", expert_member_id=2, submitting_member_id=1, member_name="格力"
    )
