"""Whether each indicator of a patent could be computed, and if not, why (pure rules).

An unavailable indicator is never read as 0: ``scoring`` leaves it out of its degree and
shares its weight among the degree's available indicators (the explanation says so). The
reason is worked out from the patent's row of the indicators table alone, so the CLI, the
pages and the API say the same thing; every reason has English and Chinese words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

REASONS: dict[str, tuple[str, str]] = {
    "no_citing_universe": ("no citing universe loaded", "未载入施引文献范围"),
    "filed_after_universe": (
        "filed after the citing universe ends",
        "申请日晚于施引文献范围的截止日",
    ),
    "no_forward_citations": ("not cited: no citing classes to measure", "未被引证，无法计算"),
    "no_citing_classes": ("citing documents have no classes loaded", "施引文献无分类号数据"),
    "no_citation_data": ("no citation data for this source", "该数据来源无引证数据"),
    "no_cited_classes": (
        "no cited patent with known classes",
        "无已知分类号的被引专利",
    ),
    "no_classes": ("no classification", "无分类号"),
    "no_claims_text": ("no claims text", "无权利要求数据"),
    "no_family_data": ("no family data", "无同族数据"),
    "not_granted": ("not granted", "未授权"),
    "no_dates": ("no filing or grant date", "无申请日或授权日"),
    "no_legal_events": (
        "no legal-status events loaded for this source",
        "该来源未载入法律状态事件",
    ),
    "reserved": ("not provided by any domain yet", "暂无数据来源"),
}

FAMILY_BASIS_LABELS: dict[str, tuple[str, str]] = {
    "families": ("loaded family table", "载入的同族表"),
    "priority_claims": ("own office and priority offices", "本国及优先权国家/地区"),
    "source": ("reported by the source (documents)", "数据来源报告（文献数）"),
    "corpus": ("corpus patents sharing the family id", "本库同族成员"),
}

_FORWARD = ("fwd_citations", "fwd_citations_5y", "breakthrough")


@dataclass(frozen=True)
class Availability:
    indicator: str
    available: bool
    reason: str | None  # a key of REASONS when not available

    @property
    def reason_en(self) -> str | None:
        return None if self.reason is None else REASONS[self.reason][0]

    @property
    def reason_zh(self) -> str | None:
        return None if self.reason is None else REASONS[self.reason][1]


def reason_of(row: Mapping[str, Any], name: str) -> str | None:
    """Why indicator ``name`` is null in ``row`` (None when it has a value)."""
    value = row.get("fwd_citations" if name == "breakthrough" else name)
    if value is not None:
        return None
    if name in _FORWARD or name == "generality":
        if row.get("fwd_universe") == "none" or row.get("fwd_universe") is None:
            return "no_citing_universe"
        if row.get("filed_after_universe"):
            return "filed_after_universe"
        if name == "generality":
            return "no_citing_classes" if row.get("fwd_citations") else "no_forward_citations"
        return "no_citing_universe"
    if name in ("backward_citations", "npl_citations"):
        return "no_citation_data"
    if name in ("originality", "radicalness"):
        if name == "radicalness" and not row.get("scope"):
            return "no_classes"
        if row.get("backward_citations") is None:
            return "no_citation_data"
        return "no_cited_classes"
    if name == "scope":
        return "no_classes"
    if name in ("claims", "independent_claims"):
        return "no_claims_text"
    if name == "family_size":
        return "no_family_data"
    if name == "grant_lag":
        return "not_granted" if row.get("doc_type") == "application" else "no_dates"
    if name == "remaining_term":
        return "no_dates"
    if name in ("licensed", "pledged"):
        return "no_legal_events"
    return "reserved"


def availability(row: Mapping[str, Any], name: str) -> Availability:
    reason = reason_of(row, name)
    return Availability(name, reason is None, reason)


@dataclass(frozen=True)
class CitingUniverse:
    """The documents forward citations are counted over, as shown with the value."""

    kind: str  # loaded | corpus | none
    start: date | None
    end: date | None
    documents: int | None = None
    undated: int | None = None  # documents without a publication date

    def describe(self, zh: bool = False) -> str:
        if self.kind == "none":
            return REASONS["no_citing_universe"][1 if zh else 0]
        if zh:
            origin = "载入的施引文献" if self.kind == "loaded" else "本库专利"
            text = f"{origin} {self.documents} 件，公开日 {self.start} 至 {self.end}"
            if self.undated:
                text += (
                    f"；其中 {self.undated} 件无公开日：计入被引总数，不计入窗口期被引数"
                    "（窗口期被引数为下限）"
                )
            return text
        origin = "loaded citing documents" if self.kind == "loaded" else "corpus patents"
        text = f"{self.documents} {origin}, published {self.start} to {self.end}"
        if self.undated:
            text += (
                f"; {self.undated} without a date: counted in forward citations, never within "
                "the window (the window's count is a lower bound)"
            )
        return text


def universe_of(row: Mapping[str, Any]) -> CitingUniverse:
    return CitingUniverse(
        kind=str(row.get("fwd_universe") or "none"),
        start=row.get("fwd_universe_start"),
        end=row.get("fwd_universe_end"),
        documents=row.get("fwd_universe_documents"),
        undated=row.get("fwd_universe_undated"),
    )
