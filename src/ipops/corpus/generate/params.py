"""Parameters of the generator: shares, rates and dates, and the shapes of its data tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SOURCE = "generated"
PUBLICATION_LAG_DAYS = 548  # 18 months after priority
PRIOR_ART_GAP_DAYS = PUBLICATION_LAG_DAYS + 31 + 31  # a cited patent is published before
TEAM_SIZE_SHARES: tuple[float, ...] = (
    0.30, 0.25, 0.18, 0.10, 0.06, 0.04, 0.025, 0.015, 0.01, 0.007, 0.005, 0.003, 0.002, 0.002,
    0.001,
)  # fmt: skip
INTERNATIONAL_TEAM_SHARE = 0.07  # of all patents
SMALL_FIRMS = 20_000  # per country and field
SMALL_FIRMS_CACHED = 50_000
INVENTOR_AT_APPLICANT_CITY = 0.6
WITHIN_FIELD_CITATIONS = 0.75
MIN_FIELD_POOL = 50  # fewer earlier patents in the field: cite across fields
CITATION_AGEING_DAYS = 6 * 365.25
ATTACHMENT_OFFSET = 1.0  # (citations received + offset) ** exponent: sublinear attachment
ATTACHMENT_EXPONENT = 0.5
FITNESS_PARETO_ALPHA = 2.5
FITNESS_CAP = 10.0
FILING_GROWTH_PER_YEAR = 1.08
US_GRANT_WEEKDAY = 1  # Tuesday: the USPTO issues patents on Tuesdays
US_APPLICATION_WEEKDAY = 3  # Thursday: pre-grant publications appear on Thursdays
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Generated publication numbers come from ranges no office assigns (docs/corpus.md,
# "Generated data"): CN 9xxxxxxxx (CNIPA numbers start 1 inventions, 2 utility models,
# 3 designs), US grants 900,000,000 and up (the USPTO passed 12 million in 2024), US
# applications YYYY9xxxxxx (fewer than 500,000 a year), JP grants 9xxxxxxx (8 digits; JP is
# at 7 digits), JP applications YYYY9xxxxx, DE 10YYYY9xxxxx (type digit 9 is unused),
# KR grants 99xxxxxxx (KR registrations start 10, 20, 30 or 40), KR applications
# 10YYYY9xxxxxx.
RESERVED_NUMBERS = "docs/corpus.md#generated-data"
_T = TypeVar("_T")


# =========================================================================== vocabulary


@dataclass(frozen=True)
class _Category:
    """An office and a patent type, with what differs between them."""

    office: str
    patent_type: str
    application_type: str
    grant_rate: float
    application_kind: str
    grant_kind: str
    own_grant_number: bool  # the grant has its own number (US, JP, KR), unlike CN and DE
    term_years: int
    claims_median: float
    citations_median: float
    npl_mean: float
    examiner_share: float
    domestic_family_share: float  # domestic applicants' share with foreign family members
    lapse_hazard: tuple[float, float]  # a + b * age (years), per year
    origins: tuple[tuple[str, float], ...]  # applicants' countries


@dataclass(frozen=True)
class _Field:
    """A technology field: IPC subclasses and groups, words for titles and names."""

    key: str
    share: float  # among fields other than air conditioning
    ipc: tuple[tuple[str, float, tuple[str, ...]], ...]  # subclass, weight, groups
    objects: tuple[tuple[str, str], ...]  # (Chinese, English)
    modifiers: tuple[tuple[str, str], ...]
    method: tuple[str, str]
    goals: tuple[tuple[str, str], ...]
    industries: tuple[tuple[str, str], ...]
    journals_zh: tuple[str, ...]
    journals_en: tuple[str, ...]
    cpc_extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class _OrgSpec:
    name_zh: str
    name_en: str
    country: str
    geonameid: int
    university: bool
    fields: tuple[tuple[str, float], ...]
    street_zh: str | None = None


def _org(
    name_zh: str, name_en: str, country: str, geonameid: int, fields: str, street: str = ""
) -> _OrgSpec:
    """An organisation; ``fields`` is "key:weight key:weight"; universities end in 大学/学院."""
    weights = tuple((key, float(w)) for key, w in (p.split(":") for p in fields.split()))
    university = name_zh.endswith(("大学", "学院", "研究院", "协会"))
    return _OrgSpec(name_zh, name_en, country, geonameid, university, weights, street or None)
