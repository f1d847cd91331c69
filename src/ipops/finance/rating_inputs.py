"""The rating's optional inputs of the enterprise itself (pure): R&D intensity and
credit-bureau flags, how they adjust the score, and the card's list of financial inputs.

Two adjustments rest on the enterprise's own optional inputs; each is used when present
and shown as absent otherwise (never read as 0, never read as clean):

* R&D intensity (R&D spend / revenue of the last year): up to ``RD_POINTS`` (5) points,
  ``RD_POINTS x min(1, intensity / required)``, ``required`` the 高新技术企业 threshold of
  the enterprise's revenue — 5 % up to CNY 50 million, 4 % up to 200 million, 3 % above
  (《高新技术企业认定管理办法》, 国科发火〔2016〕32号, art. 11(5)). A bonus, so an enterprise
  that did not report is not docked; absent without R&D spend or without revenue.
* Credit-bureau flags (``enterprises.BureauFlag``): points off per flag,
  ``BUREAU_PENALTIES``: 征信逾期 10, 欠税 10, 被执行人 15, 失信被执行人 20; a 失信被执行人
  (dishonest judgement debtor) is also kept out of investment grade (capped at 59.9):
  financing restrictions on the list are a joint punishment (《关于对失信被执行人实施联合
  惩戒的合作备忘录》, 发改财金〔2016〕141号). Absent when the bureau was not checked. The
  point values are this platform's choice, documented here and in ``docs/finance.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ipops.finance.enterprises import BUREAU_LABELS as LABELS

RD_POINTS = 5
# (revenue up to, in fen; required R&D intensity): 高新技术企业认定管理办法 art. 11(5)
RD_REQUIRED: tuple[tuple[int | None, float], ...] = (
    (50_000_000_00, 0.05),
    (200_000_000_00, 0.04),
    (None, 0.03),
)
BUREAU_PENALTIES: dict[str, int] = {
    "pboc_overdue": 10,
    "tax_arrears": 10,
    "enforcement": 15,
    "dishonest_debtor": 20,
}
BUREAU_CAPPED = "dishonest_debtor"

# from the enterprise's own inputs (``financial_features``); None: absent
FINANCIAL_FEATURES: tuple[str, ...] = ("rd_intensity", "rd_required", "bureau_flags")


@dataclass(frozen=True)
class Adjustment:
    """Points added (R&D intensity) or taken off (bureau flags); ``points`` None: absent."""

    name: str  # rd_intensity | bureau_flags
    raw: str
    points: float | None


def rd_required(revenue_fen: int) -> float:
    """The 高新技术企业 R&D-intensity threshold of a revenue (``RD_REQUIRED``)."""
    for up_to, required in RD_REQUIRED:
        if up_to is None or revenue_fen <= up_to:
            return required
    raise AssertionError("RD_REQUIRED ends with an open band")


def financial_features(
    *, rd_spend_fen: int | None, revenue_fen: int | None, bureau_flags: list[str] | None
) -> dict[str, Any]:
    """The rating's features from the enterprise's own inputs (None: absent)."""
    intensity = (
        None if rd_spend_fen is None or not revenue_fen else round(rd_spend_fen / revenue_fen, 6)
    )
    return {
        "rd_intensity": intensity,
        "rd_required": None if not revenue_fen else rd_required(revenue_fen),
        "bureau_flags": None if bureau_flags is None else sorted(bureau_flags),
    }


def rd_points(f: Mapping[str, Any]) -> float | None:
    intensity, required = f.get("rd_intensity"), f.get("rd_required")
    if intensity is None or not required:
        return None
    return RD_POINTS * min(1.0, max(0.0, float(intensity)) / float(required))


def bureau_penalty(f: Mapping[str, Any]) -> int | None:
    flags = f.get("bureau_flags")
    return None if flags is None else sum(BUREAU_PENALTIES[flag] for flag in set(flags))


def adjustments(f: Mapping[str, Any]) -> tuple[Adjustment, ...]:
    rd, penalty = rd_points(f), bureau_penalty(f)
    flags = f.get("bureau_flags")
    rd_words = (
        "absent: no R&D spend or no revenue given"
        if rd is None
        else f"R&D intensity {float(f['rd_intensity']):.2%} "
        f"(required {float(f['rd_required']):.0%})"
    )
    if flags is None:
        bureau_words = "absent: credit bureau not checked"
    elif not flags:
        bureau_words = "checked: no adverse record"
    else:
        bureau_words = ", ".join(f"{flag} {LABELS.get(flag, '')}".strip() for flag in flags)
    return (
        Adjustment("rd_intensity", rd_words, None if rd is None else round(rd, 2)),
        Adjustment("bureau_flags", bureau_words, None if penalty is None else -penalty),
    )


def financial_inputs(
    *,
    total_assets_fen: int | None,
    equity_fen: int | None,
    revenue_fen: int | None,
    rd_spend_fen: int | None = None,
    bureau_flags: list[str] | None = None,
    bureau_checked_on: str | None = None,
) -> list[dict[str, Any]]:
    """The optional financial inputs, each with its value and how it is used — or that it is
    absent and so not used. Total assets and equity feed the probability of default; R&D
    intensity and the credit-bureau flags adjust the score (see the module's docstring)."""

    def money(fen: int | None) -> str | None:
        return None if fen is None else f"{fen / 100:.2f}"

    ratio = (
        None
        if total_assets_fen in (None, 0) or equity_fen is None
        else round(equity_fen / total_assets_fen, 4)
    )
    found = financial_features(
        rd_spend_fen=rd_spend_fen, revenue_fen=revenue_fen, bureau_flags=bureau_flags
    )
    flags = found["bureau_flags"]
    bureau = (
        None
        if flags is None
        else {
            "flags": [{"code": flag, "label": LABELS.get(flag, flag)} for flag in flags],
            "checked_on": bureau_checked_on,
        }
    )
    rows = [
        ("total_assets", money(total_assets_fen), "PD model: ln(total assets)"),
        ("equity", money(equity_fen), "PD model: equity ratio and its interaction"),
        ("equity_ratio", ratio, "PD model: equity ratio x ln(1 + patents)"),
        ("revenue", money(revenue_fen), "rating: the denominator of R&D intensity"),
        ("rd_spend", money(rd_spend_fen), "rating: the numerator of R&D intensity"),
        (
            "rd_intensity",
            found["rd_intensity"],
            f"rating: up to +{RD_POINTS} points, full at the 高新技术企业 threshold "
            + (
                "of the revenue (5 %, 4 % or 3 %)"
                if found["rd_required"] is None
                else f"of {found['rd_required']:.0%}"
            ),
        ),
        (
            "credit_bureau_flags",
            bureau,
            "rating: points off per flag; 失信被执行人 keeps it below investment grade",
        ),
    ]
    return [
        {
            "name": name,
            "value": value,
            "used": value is not None,
            "how": how if value is not None else f"absent: not used ({how})",
        }
        for name, value, how in rows
    ]
