"""The scored comparison of two normalised names: blocking, features and a pairwise model.

Blocking: every distinct normalised Latin-script name is a vector of its character
3-grams (spaces dropped, so "hewlett packard" meets "hewlettpackard"; term frequency
without IDF, so a score does not depend on the rest of the collection); the candidates of
a name are its ``NEIGHBOURS`` nearest names by cosine above ``MIN_COSINE`` (sparse
products in chunks, so memory stays linear in the names).

Comparison: ``features`` describes a candidate pair by string similarity (cosine,
difflib ratio, shared words, containment, acronym), by what tells organisations apart
(differing numbers, a different first word) and by frequency (a rare spelling a small
edit away from a much more frequent one is usually a typo of it). A logistic regression
over those features (``PairwiseModel``) gives the probability that the two names are one
organisation; its coefficients and its threshold ship as ``data/pairwise_model.json``,
learned on one fold of the NBER assignee benchmark (``ipops.names.evaluate``) and reported
on the others (docs/names.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from ipops.names.distance import edit_distance

MODEL_FILE = Path(__file__).with_name("data") / "pairwise_model.json"
NEIGHBOURS = 8
MIN_COSINE = 0.5
CHUNK = 2048

FEATURES: tuple[str, ...] = (
    "cosine",
    "ratio",
    "word_jaccard",
    "extra_words",
    "acronym",
    "same_compact",
    "numbers_differ",
    "first_word_differs",
    "edits",
    "typo",
    "typo_of_dominant",
    "dominance",
    "rarity",
)
MAX_EDITS = 4
INNER_LEGAL_WORDS = frozenset({"corporation", "corp", "company", "co", "incorporated", "inc"})


@dataclass(frozen=True, slots=True)
class PairwiseModel:
    """Standardised logistic regression: P(same) = σ(b + Σ w_i (x_i − μ_i) / σ_i)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    trained_on: str

    def probability(self, values: Sequence[float]) -> float:
        z = self.intercept + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.coef, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "mean": list(self.mean),
                "scale": list(self.scale),
                "coef": list(self.coef),
                "intercept": self.intercept,
                "threshold": self.threshold,
                "trained_on": self.trained_on,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> PairwiseModel:
        data = json.loads(text)
        return cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            trained_on=str(data["trained_on"]),
        )


@lru_cache(maxsize=1)
def shipped_model() -> PairwiseModel:
    """The model shipped with ipops (``data/pairwise_model.json``)."""
    return PairwiseModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))


def _numbers(words: Sequence[str]) -> frozenset[str]:
    return frozenset(word for word in words if any(char.isdigit() for char in word))


def _acronym(short: str, long_words: Sequence[str]) -> bool:
    initials = "".join(word[0] for word in long_words if word not in ("of", "and", "for"))
    return len(short) >= 2 and " " not in short and len(initials) >= 2 and short == initials


def _extra_words(shorter: Sequence[str], longer: Sequence[str]) -> int:
    """Words of the longer name with no equal or one-edit word in the shorter one."""
    return sum(
        1
        for word in longer
        if word not in shorter and not any(_one_edit(word, other) for other in shorter)
    )


def _one_edit(word: str, other: str) -> bool:
    return abs(len(word) - len(other)) <= 1 and edit_distance(word, other, 1) <= 1


def _unmatched(words: Sequence[str], others: Sequence[str]) -> int:
    """Words with no equal or one-edit word in ``others``; inner legal forms do not count
    ("general dynamics corp pomona division" spells "general dynamics pomona division")."""
    return sum(
        1
        for word in words
        if word not in others
        and word not in INNER_LEGAL_WORDS
        and not (len(word) >= 4 and any(_one_edit(word, other) for other in others))
    )


def comparable(a: str, b: str) -> bool:
    """Whether the model may join ``a`` and ``b``: one spelling of the same words.

    Every word of each name is in the other, or one edit (a typo) from one of its words;
    or the names differ only in spacing, or one is the acronym of the other. A name with a
    word more (General Electric Canada, University of South Florida) is another
    organisation to the model however similar it looks: joining those is for links.
    """
    words_a, words_b = a.split(), b.split()
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    shorter, longer = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    if _acronym(" ".join(shorter), longer):
        return True
    if _numbers(words_a) != _numbers(words_b):
        return False
    return _unmatched(words_a, words_b) == 0 and _unmatched(words_b, words_a) == 0


def features(a: str, b: str, count_a: int, count_b: int, cosine: float) -> tuple[float, ...]:
    """The ``FEATURES`` of normalised names ``a`` and ``b`` seen ``count_*`` times."""
    words_a, words_b = a.split(), b.split()
    set_a, set_b = set(words_a), set(words_b)
    compact_a, compact_b = a.replace(" ", ""), b.replace(" ", "")
    shorter, longer = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    edits = edit_distance(compact_a, compact_b)
    typo = edits <= 2 and min(len(compact_a), len(compact_b)) >= 6
    dominance = abs(math.log1p(count_a) - math.log1p(count_b))
    return (
        cosine,
        SequenceMatcher(None, compact_a, compact_b).ratio(),
        len(set_a & set_b) / len(set_a | set_b),
        float(_extra_words(shorter, longer)),
        float(_acronym(" ".join(shorter), longer)),
        float(compact_a == compact_b),
        float(_numbers(words_a) != _numbers(words_b)),
        float(words_a[0] != words_b[0]),
        float(edits),
        float(typo),
        float(typo and dominance >= math.log(5)),
        dominance,
        math.log1p(min(count_a, count_b)),
    )


def candidate_pairs(names: Sequence[str]) -> list[tuple[int, int, float]]:
    """(i, j, cosine) with i < j: each name's nearest names by character 3-gram TF-IDF."""
    if len(names) < 2:
        return []
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(3, 3), sublinear_tf=True, use_idf=False
    )
    matrix = vectorizer.fit_transform([f" {name.replace(' ', '')} " for name in names])
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    pairs: dict[tuple[int, int], float] = {}
    transposed = matrix.T.tocsc()
    for start in range(0, len(names), CHUNK):
        block = (matrix[start : start + CHUNK] @ transposed).tocsr()
        for row in range(block.shape[0]):
            i = start + row
            lo, hi = block.indptr[row], block.indptr[row + 1]
            columns, values = block.indices[lo:hi], block.data[lo:hi]
            keep = values >= MIN_COSINE
            columns, values = columns[keep], values[keep]
            if len(values) > NEIGHBOURS + 1:
                top = np.argpartition(-values, NEIGHBOURS + 1)[: NEIGHBOURS + 1]
                columns, values = columns[top], values[top]
            for j, value in zip(columns.tolist(), values.tolist(), strict=True):
                if j != i:
                    pairs[(min(i, j), max(i, j))] = min(1.0, float(value))
    return [(i, j, cosine) for (i, j), cosine in sorted(pairs.items())]
