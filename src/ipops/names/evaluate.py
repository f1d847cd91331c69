"""Pairwise precision, recall and F1 of a name clustering against a labelled benchmark.

Two mentions form a pair when they share a label. With the predicted clustering P and the
true clustering T, the true positive pairs are the pairs inside each cell of the
contingency table of P × T: TP = Σ C(n_ij, 2). Precision = TP / Σ_P C(n, 2) and recall =
TP / Σ_T C(n, 2); counting per cluster keeps this linear in the number of mentions.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    mentions: int
    predicted_entities: int
    true_entities: int
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        """1.0 when nothing was put together: no pair is wrong."""
        return self.true_positive_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """1.0 when the truth has no pair to find."""
        return self.true_positive_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(counts: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> PairwiseScores:
    """Scores of ``predicted`` labels against ``truth`` labels, one of each per mention."""
    if len(predicted) != len(truth):
        raise ValueError(f"{len(predicted)} predicted labels for {len(truth)} true labels")
    predicted_counts = Counter(predicted)
    true_counts = Counter(truth)
    return PairwiseScores(
        mentions=len(truth),
        predicted_entities=len(predicted_counts),
        true_entities=len(true_counts),
        true_positive_pairs=_pairs(Counter(zip(predicted, truth, strict=True))),
        predicted_pairs=_pairs(predicted_counts),
        true_pairs=_pairs(true_counts),
    )


@dataclass(frozen=True, slots=True)
class Mention:
    mention_id: str
    unique_id: str
    name: str


def load_assignee_benchmark(path: Path, *, deduplicate: bool = True) -> list[Mention]:
    """The PatentsView assignee benchmark CSV (mention_id, unique_id, organization).

    The NBER subset repeats some rows whole (206,416 distinct mentions in 216,847 rows);
    ``deduplicate`` keeps the first row of each mention_id.
    """
    mentions: list[Mention] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as source:
        for row in csv.DictReader(source):
            mention_id = row["mention_id"]
            if deduplicate and mention_id in seen:
                continue
            seen.add(mention_id)
            mentions.append(Mention(mention_id, row["unique_id"], row["organization"] or ""))
    return mentions


@dataclass(frozen=True, slots=True)
class BCubedScores:
    """B-cubed precision and recall (Bagga and Baldwin 1998), averaged over mentions.

    For mention m with predicted cluster P(m) and true cluster T(m): precision(m) =
    |P(m) ∩ T(m)| / |P(m)|, recall(m) = |P(m) ∩ T(m)| / |T(m)|; computed per cell of the
    contingency table, so linear in the number of mentions.
    """

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed_scores(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> BCubedScores:
    """B-cubed scores of ``predicted`` labels against ``truth`` labels, one per mention."""
    if len(predicted) != len(truth):
        raise ValueError(f"{len(predicted)} predicted labels for {len(truth)} true labels")
    if not truth:
        return BCubedScores(1.0, 1.0)
    predicted_counts = Counter(predicted)
    true_counts = Counter(truth)
    cells = Counter(zip(predicted, truth, strict=True))
    precision = sum(n * n / predicted_counts[p] for (p, _), n in cells.items())
    recall = sum(n * n / true_counts[t] for (_, t), n in cells.items())
    return BCubedScores(precision / len(truth), recall / len(truth))


def split_by_entity(mentions: Sequence[Mention], folds: int) -> list[list[Mention]]:
    """Mentions in ``folds`` disjoint benchmarks, each true organisation in exactly one.

    The fold of an organisation is the SHA-1 of its unique_id modulo ``folds``, so no
    organisation's spellings are seen both when learning and when reporting.
    """
    parts: list[list[Mention]] = [[] for _ in range(folds)]
    for mention in mentions:
        digest = hashlib.sha1(mention.unique_id.encode(), usedforsecurity=False).digest()
        parts[int.from_bytes(digest[:4], "big") % folds].append(mention)
    return parts
