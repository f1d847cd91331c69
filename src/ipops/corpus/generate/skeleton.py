"""The skeleton of the generated corpus: each patent's office, kind, dates, number and
field from a counter-based hash of (seed, index), so a citation can name any earlier patent
without keeping it."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from ipops.corpus.generate.params import (
    _EPOCH_ORDINAL,
    ATTACHMENT_EXPONENT,
    ATTACHMENT_OFFSET,
    CITATION_AGEING_DAYS,
    FILING_GROWTH_PER_YEAR,
    FITNESS_CAP,
    FITNESS_PARETO_ALPHA,
    PUBLICATION_LAG_DAYS,
    US_APPLICATION_WEEKDAY,
    US_GRANT_WEEKDAY,
    BoolArray,
    FloatArray,
    IntArray,
)
from ipops.corpus.generate.vocabulary import (
    _CATEGORIES,
    _CN_SPLIT,
    _FIELDS,
    _FOREIGN_SPLIT,
    AC_FIELD,
    CN_INVENTION,
    CN_UTILITY,
    DE,
    JP,
    KR,
    ORIGINS,
    US,
)

# =========================================================================== skeleton

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


class _Hash:
    """Counter-based uniform numbers: the same (seed, stream, index) always gives the same u."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._keys: dict[str, np.uint64] = {}

    def uniform(self, stream: str, index: IntArray) -> FloatArray:
        x = index.astype(np.uint64) * _GOLDEN + self._key(stream)
        x ^= x >> np.uint64(30)
        x *= _MIX1
        x ^= x >> np.uint64(27)
        x *= _MIX2
        x ^= x >> np.uint64(31)
        return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53

    def _key(self, stream: str) -> np.uint64:
        if stream not in self._keys:
            digest = hashlib.blake2b(f"{self._seed}/{stream}".encode(), digest_size=8).digest()
            self._keys[stream] = np.uint64(int.from_bytes(digest, "little"))
        return self._keys[stream]


@dataclass(frozen=True)
class _Settings:
    patents: int
    seed: int
    start_year: int
    end_year: int
    first_day: int  # days since 1970-01-01
    last_filing_day: int
    snapshot_day: int
    ac_share: float
    cn_share: float

    @classmethod
    def make(
        cls, patents: int, seed: int, start_year: int, end_year: int, ac: float, cn: float
    ) -> _Settings:
        snapshot = _day(date(end_year, 12, 31))
        return cls(patents, seed, start_year, end_year, _day(date(start_year, 1, 1)),
                   snapshot - 31, snapshot, ac, cn)  # fmt: skip


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


def _year_of(days: IntArray) -> IntArray:
    return (days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970).astype(
        np.int64
    )


def _dates(days: IntArray) -> list[date]:
    return list(days.astype("datetime64[D]").astype(object))


def _on_weekday(days: IntArray, weekday: int) -> IntArray:
    """Each day moved forward to the next ``weekday`` (Monday 0), or kept if it is one."""
    current = (days + _EPOCH_ORDINAL - 1) % 7  # date.fromordinal(1) is a Monday
    shifted: IntArray = days + (weekday - current) % 7
    return shifted


def _date(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


@dataclass(frozen=True)
class _Facts:
    """What a patent's index fixes: office, applicant country, family, dates (vectorised)."""

    index: IntArray
    category: IntArray
    origin: IntArray  # index into ORIGINS
    filing: IntArray
    priority: IntArray
    publication: IntArray
    grant: IntArray  # the day it is or would be granted
    granted: BoolArray
    family_size: IntArray

    def record_day(self) -> IntArray:
        """Date of the document the patent_id names (see the module notes)."""
        own = np.array([c.own_grant_number for c in _CATEGORIES])[self.category]
        return np.where(own & self.granted, self.grant, self.publication)


class _Skeleton:
    """The corpus-wide state: filing day, field, fitness and citations received per patent."""

    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        self.hash = _Hash(settings.seed)
        everyone = np.arange(settings.patents, dtype=np.int64)
        self.filing_day = self._filing_days(everyone)
        self.field = self._fields(everyone)
        alpha = FITNESS_PARETO_ALPHA
        fitness = (1.0 - self.hash.uniform("fitness", everyone)) ** (-1.0 / alpha)
        self.fitness = np.minimum(fitness, FITNESS_CAP).astype(np.float32)
        self.cites_received = np.zeros(settings.patents, dtype=np.int32)
        self.field_members: list[npt.NDArray[np.int32]] = [
            np.flatnonzero(self.field == f).astype(np.int32) for f in range(len(_FIELDS))
        ]

    def _filing_days(self, index: IntArray) -> npt.NDArray[np.int32]:
        """Filing days in index order, more each year (a quantile of a growing density)."""
        s = self.settings
        years = np.arange(s.start_year, s.end_year + 1)
        weights = FILING_GROWTH_PER_YEAR ** (years - s.start_year).astype(np.float64)
        edges = [_day(date(int(y), 1, 1)) for y in years] + [s.last_filing_day + 1]
        cumulative = np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
        quantile = (index + self.hash.uniform("filing", index)) / max(s.patents, 1)
        days = np.floor(np.interp(quantile, cumulative, np.array(edges, dtype=np.float64)))
        return np.minimum(days, s.last_filing_day).astype(np.int32)

    def _fields(self, index: IntArray) -> npt.NDArray[np.int8]:
        others = np.cumsum([field.share for field in _FIELDS[1:]])
        other = 1 + np.searchsorted(others / others[-1], self.hash.uniform("field", index))
        is_ac = self.hash.uniform("ac", index) < self.settings.ac_share
        return np.where(is_ac, AC_FIELD, np.minimum(other, len(_FIELDS) - 1)).astype(np.int8)

    def facts(self, index: IntArray) -> _Facts:
        u = self.hash.uniform
        category = self._categories(index)
        origin = self._origins(index, category)
        filing = self.filing_day[index].astype(np.int64)
        family_size, priority = self._families(index, category, origin, filing)
        utility = category == CN_UTILITY
        snapshot = self.settings.snapshot_day
        lag_u = u("grant_lag", index)
        grant_lag = np.where(utility, 120 + lag_u * 240, 730 + lag_u * 730).astype(np.int64)
        # a utility model is granted (and first published) within the data: one whose grant
        # would fall after the snapshot gets a day spread over the time since its filing,
        # never a pile on the snapshot day
        spread = filing + 1 + (u("late", index) * (snapshot - filing - 1)).astype(np.int64)
        grant = filing + grant_lag
        grant = np.where(utility & (grant > snapshot), np.maximum(spread, filing), grant)
        us = category == US
        grant = np.where(us, _on_weekday(grant, US_GRANT_WEEKDAY), grant)
        rates = np.array([c.grant_rate for c in _CATEGORIES])[category]
        granted = (u("granted", index) < rates) & (grant <= snapshot)
        first_publication = (
            priority + PUBLICATION_LAG_DAYS + (u("pub", index) * 31).astype(np.int64)
        )
        first_publication = np.where(
            first_publication > snapshot, np.maximum(spread, filing), first_publication
        )
        first_publication = np.where(
            us, _on_weekday(first_publication, US_APPLICATION_WEEKDAY), first_publication
        )
        first_publication = np.where(
            first_publication > snapshot, first_publication - 7, first_publication
        )
        publication = np.where(utility, grant, first_publication)
        return _Facts(
            index=index,
            category=category,
            origin=origin,
            filing=filing,
            priority=priority,
            publication=publication,
            grant=grant,
            granted=granted,
            family_size=family_size,
        )

    def _categories(self, index: IntArray) -> IntArray:
        cn = self.settings.cn_share
        shares = [cn * s for s in _CN_SPLIT] + [(1 - cn) * s for s in _FOREIGN_SPLIT]
        cumulative = np.cumsum(shares) / sum(shares)
        position = np.searchsorted(cumulative, self.hash.uniform("category", index), side="right")
        return np.minimum(position, len(_CATEGORIES) - 1).astype(np.int64)

    def _origins(self, index: IntArray, category: IntArray) -> IntArray:
        table = np.zeros((len(_CATEGORIES), len(ORIGINS)))
        for row, cat in enumerate(_CATEGORIES):
            for country, share in cat.origins:
                table[row, ORIGINS.index(country)] = share
        cumulative = np.cumsum(table, axis=1) / table.sum(axis=1, keepdims=True)
        u = self.hash.uniform("origin", index)
        origin: IntArray = (u[:, None] >= cumulative[category]).sum(axis=1)
        return np.minimum(origin, len(ORIGINS) - 1)

    def _families(
        self, index: IntArray, category: IntArray, origin: IntArray, filing: IntArray
    ) -> tuple[IntArray, IntArray]:
        """Family sizes (members abroad) and priority dates (a year earlier at most)."""
        u = self.hash.uniform
        offices = np.array([ORIGINS.index(c.office) for c in _CATEGORIES])[category]
        foreign = origin != offices
        domestic_share = np.array([c.domestic_family_share for c in _CATEGORIES])[category]
        multi = u("family", index) < np.where(foreign, 1.0, domestic_share)
        extra = np.minimum(np.floor(-np.log1p(-u("family_size", index)) * 2.0), 18)
        family_size = np.where(multi, 2 + extra, 1).astype(np.int64)
        claims_priority = multi & (foreign | (u("priority", index) < 0.3))
        offset = (30 + u("priority_days", index) * 335).astype(np.int64)
        return family_size, filing - np.where(claims_priority, offset, 0)

    def _serial(self, stream: str, index: IntArray, span: int) -> IntArray:
        """Distinct serial numbers rising with the index: a block of ``span / N`` each."""
        stride = max(1, span // max(self.settings.patents, 1))
        return index * stride + (self.hash.uniform(stream, index) * stride).astype(np.int64)

    def _width(self, digits: int) -> int:
        """10**digits, or more when the corpus has more patents than that many serials."""
        return int(10 ** max(digits, len(str(max(self.settings.patents - 1, 1)))))

    def _reserved(self, head: IntArray, stream: str, index: IntArray, digits: int) -> IntArray:
        """``head`` followed by ``digits`` digits of which the first is 9: the top tenth of
        a yearly range that offices never reach (wider when the corpus needs more serials)."""
        span = self._width(digits - 1)
        return (head * 10 + 9) * span + self._serial(stream, index, span)

    def publication_numbers(self, facts: _Facts) -> IntArray:
        """Publication numbers in reserved ranges: CN91…/CN95…, US9xxxxxxxx or US2019 9…,
        JP9xxxxxxx or JP2015 9…, DE102015 9…, KR99… or KR102015 9…"""
        index, category, granted = facts.index, facts.category, facts.granted
        year = _year_of(np.where(category == DE, facts.filing, facts.publication))
        serial = self._serial
        # every generated publication number lies where no office numbers (RESERVED_NUMBERS)
        reserved = self._reserved
        choices = [
            (category == CN_INVENTION, 910_000_000 + serial("cn", index, 18_000_000)),
            (category == CN_UTILITY, 950_000_000 + serial("cn", index, 22_000_000)),
            ((category == US) & granted, 900_000_000 + serial("us", index, 50_000_000)),
            (category == US, reserved(year, "us", index, 7)),
            ((category == JP) & granted, 90_000_000 + serial("jp", index, 9_000_000)),
            (category == JP, reserved(year, "jp", index, 6)),
            (category == DE, reserved(10 * 10**4 + year, "de", index, 6)),
            ((category == KR) & granted, 990_000_000 + serial("kr", index, 9_000_000)),
            (category == KR, reserved(10 * 10**4 + year, "kr", index, 7)),
        ]
        return np.select([c for c, _ in choices], [n for _, n in choices]).astype(np.int64)

    def application_numbers(self, facts: _Facts) -> IntArray:
        """Application numbers: CN 2019 1 0123456 (+ check digit), US series + 6 digits …"""
        index, category, year = facts.index, facts.category, _year_of(facts.filing)
        six, seven = self._width(6), self._width(7)
        short = self._serial("application", index, six - 1)
        long = self._serial("application", index, seven - 1)
        choices = [
            (category == CN_INVENTION, (year * 10 + 1) * seven + long),
            (category == CN_UTILITY, (year * 10 + 2) * seven + long),
            (category == US, short),
            (category == JP, year * six + short),
            (category == DE, (10 * 10**4 + year) * six + self._serial("de", index, six - 1)),
            (category == KR, (10 * 10**4 + year) * seven + long),
        ]
        return np.select([c for c, _ in choices], [n for _, n in choices]).astype(np.int64)

    def citation_weights(self, prefix: int, day: float) -> FloatArray:
        """Attractiveness of patents [0, prefix): fitness x (citations + c)^b x ageing."""
        age = day - self.filing_day[:prefix].astype(np.float64)
        ageing = np.exp(-age / CITATION_AGEING_DAYS)
        received = self.cites_received[:prefix].astype(np.float64) + ATTACHMENT_OFFSET
        attachment = received**ATTACHMENT_EXPONENT
        weights: FloatArray = self.fitness[:prefix].astype(np.float64) * attachment * ageing
        return weights


def _kinds(facts: _Facts) -> list[str]:
    application = np.array([c.application_kind for c in _CATEGORIES])[facts.category]
    grant = np.array([c.grant_kind for c in _CATEGORIES])[facts.category]
    return list(np.where(facts.granted, grant, application).tolist())


def _offices(facts: _Facts) -> list[str]:
    return list(np.array([c.office for c in _CATEGORIES])[facts.category].tolist())


_US_SERIES = ((1998, "09"), (2002, "10"), (2005, "11"), (2008, "12"), (2011, "13"),
              (2014, "14"), (2016, "15"), (2018, "16"), (2020, "17"), (2022, "18"),
              (2025, "19"))  # fmt: skip


def _us_series_code(year: int) -> str:
    """USPTO application series code in use in ``year`` (roughly)."""
    position = bisect.bisect_right([first for first, _ in _US_SERIES], year)
    return _US_SERIES[max(position - 1, 0)][1]


def _cn_check_characters(numbers: IntArray) -> list[str]:
    """Check characters of CNIPA application numbers (digit weights 2…9, 2…5; mod 11; X = 10)."""
    width = len(str(int(numbers.max()))) if len(numbers) else 12
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (numbers[:, None] // powers) % 10
    check = (digits * (2 + np.arange(width) % 8)).sum(axis=1) % 11
    return ["X" if c == 10 else str(c) for c in check.tolist()]


def _application_id(
    category: int, number: int, year: int, check: str
) -> tuple[str, str, str | None]:
    """(application_id, number, series code) of an application."""
    office = _CATEGORIES[category].office
    if category in (CN_INVENTION, CN_UTILITY):
        return f"CN{number}{check}", f"{number}{check}", None
    if category == US:
        series = _us_series_code(year)
        text = f"{series}{number:06d}"
        return f"US{text}", text, series
    return f"{office}{number}", str(number), None
