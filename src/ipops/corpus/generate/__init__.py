"""A realistic synthetic patent corpus: deterministic for a seed, streamed in chunks.

``generate_corpus(patents=N, seed=S)`` yields ``Chunk`` objects in filing-date order, ready for
the loader. Every row is marked ``generated`` (and patents ``source = "generated"``). It models:

* Offices and types: Chinese inventions (CN1…A/B) and utility models (CN2…U), US, JP, DE and
  KR patents, by domestic and foreign applicants; grants and applications not (yet) granted.
* Technology: a configurable share of air-conditioning patents (F24F, F25B, F04C, F25D, H02P,
  F28F, F28D) among eleven other fields; IPC symbols in canonical form, CPC for US patents.
* Applicants: invented companies and universities (澜珩科技股份有限公司, Zelquill Inc. …; no
  real organisation is named), a long tail of small firms, some individuals; Chinese
  addresses for Chinese applicants.
* Inventors: teams of 1–15 (1: 30%, 2: 25%, 3: 18% …), ~7% of patents with inventors in two
  countries, placed at real GeoNames cities (the applicant's city, or a draw weighted by
  population within the country) with coordinates.
* Citations: 5–50 backward citations to earlier patents of the corpus (filed at least
  ``PRIOR_ART_GAP_DAYS`` before the citing one, so already published), chosen by preferential
  attachment with a Pareto "fitness" and ageing, so forward citations are heavy-tailed; plus
  non-patent literature.
* Dates and events: publication ~18 months after priority, grant 2–4 years after filing
  (utility models within a year), annual-fee lapses with a hazard rising with age, some
  restorations, expiry at the end of term, invalidations, transfers, licences and pledges.
  ``legal_status`` is what ``events.derive_status`` gives for the patent's events as of the
  snapshot date (31 December of ``end_year``); ``pending`` for an application filed within the
  last five years and not granted, ``unknown`` for an older one.

``publication_date`` is the first publication for CN and DE (whose A and B documents share the
``patent_id``) and the grant for US, JP and KR grants (whose grant numbers are their own).
``family_id`` is unique per patent: the other members of a family lie outside the corpus.

Determinism: the same arguments give identical rows. A patent's index fixes its office, dates,
number and field through a counter-based hash of (seed, index), so a citation can name any
earlier patent without keeping it; the rest of a patent is drawn from a generator seeded by
(seed, chunk number). State kept for the whole corpus: four numpy arrays (~17 bytes a patent).

Modules: ``params`` (shares, rates, the shapes of the tables), ``vocabulary`` (the data
tables only), ``places``, ``people``, ``applicants``, ``skeleton`` (the hashed facts of each
patent), ``chunk`` (one chunk's rows), ``rows``, ``texts`` and ``history`` (legal events).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ipops.corpus.generate.applicants import _Applicants
from ipops.corpus.generate.chunk import _ChunkBuilder
from ipops.corpus.generate.params import SOURCE, TEAM_SIZE_SHARES
from ipops.corpus.generate.skeleton import _Settings, _Skeleton
from ipops.corpus.generate.vocabulary import AC_SUBCLASSES
from ipops.corpus.records import Chunk
from ipops.corpus.schema import SCHEMAS, TABLE_NAMES
from ipops.errors import ValidationError

__all__ = ["AC_SUBCLASSES", "SOURCE", "TEAM_SIZE_SHARES", "generate_corpus"]


def generate_corpus(
    *,
    patents: int,
    seed: int,
    chunk_size: int = 10_000,
    start_year: int = 2005,
    end_year: int = 2024,
    ac_share: float = 0.30,
    cn_share: float = 0.70,
) -> Iterator[Chunk]:
    """Chunks of a synthetic corpus of ``patents`` patents filed in ``start_year``…``end_year``.

    ``ac_share`` is the share of air-conditioning patents, ``cn_share`` of Chinese ones.
    """
    if patents < 0:
        raise ValidationError("must be 0 or more", field="patents")
    if chunk_size < 1:
        raise ValidationError("must be 1 or more", field="chunk_size")
    if end_year < start_year:
        raise ValidationError(f"must not be before start_year {start_year}", field="end_year")
    settings = _Settings.make(patents, seed, start_year, end_year, ac_share, cn_share)
    skeleton = _Skeleton(settings)
    applicants = _Applicants()
    for number, start in enumerate(range(0, patents, chunk_size)):
        rng = np.random.default_rng([seed & 0xFFFFFFFF, number])
        index = np.arange(start, min(start + chunk_size, patents), dtype=np.int64)
        yield _flagged(_with_term_data(_ChunkBuilder(skeleton, applicants, rng, index).build()))


def _with_term_data(chunk: Chunk) -> Chunk:
    """Priority claims, US term adjustment and the citing universe, from the patents' rows.

    A patent whose priority date precedes its filing claims one priority at home (the
    applicant's country) with a number in the reserved range (``9`` + its own number); a
    granted US patent gets ``number mod 397`` days of adjustment two times in three;
    every generated patent's references are generated, so each is a citing document.
    """
    for table in TABLE_NAMES:
        chunk.rows.setdefault(table, [])
    home = {
        row["patent_id"]: row["country"]
        for row in chunk.rows["parties"]
        if row["sequence"] == 0 and row.get("country")
    }
    for patent in chunk.rows["patents"]:
        patent_id, office = patent["patent_id"], patent["office"]
        digits = int("".join(c for c in patent["number"] if c.isdigit()) or 0)
        if patent["priority_date"] and patent["priority_date"] < patent["filing_date"]:
            chunk.rows["priority_claims"].append(
                {
                    "patent_id": patent_id,
                    "sequence": 0,
                    "country": home.get(patent_id, office),
                    "number": f"9{patent['number']}",
                    "date": patent["priority_date"],
                    "kind": "national",
                }
            )
        if office == "US" and patent["grant_date"] is not None:
            adjustment = digits % 397 if digits % 3 else None
            chunk.rows["terms"].append(
                {"patent_id": patent_id, "adjustment_days": adjustment, "disclaimer": False}
            )
        chunk.rows["citing_documents"].append(
            {
                "patent_id": patent_id,
                "office": office,
                "publication_date": patent["publication_date"],
                "source": SOURCE,
            }
        )
    return chunk


def _flagged(chunk: Chunk) -> Chunk:
    """Every row of every table that has the column is marked ``generated``."""
    for table, rows in chunk.rows.items():
        if "generated" in SCHEMAS[table].names:
            for row in rows:
                row["generated"] = True
    return chunk
