"""Pairwise precision, recall and F1 of a name clustering against a labelled benchmark.

Two mentions form a pair when they share a label. With the predicted clustering P and the
true clustering T, the true positive pairs are the pairs inside each cell of the
contingency table of P × T: TP = Σ C(n_ij, 2). Precision = TP / Σ_P C(n, 2) and recall =
TP / Σ_T C(n, 2); counting per cluster keeps this linear in the number of mentions.
"""

from __future__ import annotations

import csv
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
