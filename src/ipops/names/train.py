"""Learning the pairwise model on one labelled benchmark; scoring it on others.

``fit_model`` labels each candidate pair of normalised names of a benchmark (same when
the majority true organisation of both forms is the same), fits a logistic regression
(scikit-learn, balanced classes) on the ``compare.FEATURES`` and then picks the threshold
that gives the best pairwise F1 of the whole resolution on that benchmark among those
with pairwise precision ≥ ``MIN_PRECISION``. ``score_resolution`` reports pairwise and
B-cubed scores of ``resolve_names`` on a benchmark.

    python -m ipops.names.train BENCHMARK.csv [--folds 3] [--train-fold 0] [--write]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from ipops.names.compare import (
    FEATURES,
    MODEL_FILE,
    PairwiseModel,
    candidate_pairs,
    comparable,
    features,
)
from ipops.names.evaluate import (
    BCubedScores,
    Mention,
    PairwiseScores,
    bcubed_scores,
    load_assignee_benchmark,
    pairwise_scores,
    split_by_entity,
)
from ipops.names.normalize import normalize_name
from ipops.names.resolve import resolve_names

MIN_PRECISION = 0.997
THRESHOLDS = tuple(round(0.3 + 0.025 * step, 3) for step in range(28))


@dataclass(frozen=True, slots=True)
class Scores:
    pairwise: PairwiseScores
    bcubed: BCubedScores


def score_resolution(
    mentions: Sequence[Mention],
    *,
    model: PairwiseModel | None = None,
    threshold: float | None = None,
) -> Scores:
    """Pairwise and B-cubed scores of ``resolve_names`` on labelled mentions."""
    resolution = resolve_names((m.name for m in mentions), model=model, threshold=threshold)
    predicted = [
        resolution.by_name[m.name].entity_id if m.name.strip() else f"blank:{m.mention_id}"
        for m in mentions
    ]
    truth = [m.unique_id for m in mentions]
    return Scores(pairwise_scores(predicted, truth), bcubed_scores(predicted, truth))


def _examples(mentions: Sequence[Mention]) -> tuple[np.ndarray, np.ndarray]:
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        if mention.name.strip():
            labels[normalize_name(mention.name)][mention.unique_id] += 1
    counts = {form: sum(ids.values()) for form, ids in labels.items()}
    owner = {form: ids.most_common(1)[0][0] for form, ids in labels.items()}
    latin = sorted(form for form in labels if form.isascii() and len(form) >= 3)
    rows, targets = [], []
    for i, j, cosine in candidate_pairs(latin):
        a, b = latin[i], latin[j]
        if not comparable(a, b):
            continue
        rows.append(features(a, b, counts[a], counts[b], cosine))
        targets.append(owner[a] == owner[b])
    return np.array(rows, dtype=float), np.array(targets, dtype=bool)


def fit_model(mentions: Sequence[Mention], *, trained_on: str) -> PairwiseModel:
    """The pairwise model and threshold learned on ``mentions`` (see the module)."""
    x, y = _examples(mentions)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(class_weight="balanced", max_iter=2000, C=1.0)
    regression.fit((x - mean) / scale, y)
    model = PairwiseModel(
        features=FEATURES,
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in regression.coef_[0]),
        intercept=float(regression.intercept_[0]),
        threshold=0.5,
        trained_on=trained_on,
    )
    best = (-1.0, 0.5)
    for threshold in THRESHOLDS:
        scores = score_resolution(mentions, model=model, threshold=threshold).pairwise
        if scores.precision >= MIN_PRECISION and scores.f1 > best[0]:
            best = (scores.f1, threshold)
    return replace(model, threshold=best[1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Learn the pairwise name model.")
    parser.add_argument("benchmark", type=Path)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--train-fold", type=int, default=0)
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.name}")
    args = parser.parse_args()
    parts = split_by_entity(load_assignee_benchmark(args.benchmark), args.folds)
    label = f"{args.benchmark.name} fold {args.train_fold} of {args.folds} (by unique_id)"
    model = fit_model(parts[args.train_fold], trained_on=label)
    print(model.to_json())
    for index, part in enumerate(parts):
        scores = score_resolution(part, model=model)
        p, b = scores.pairwise, scores.bcubed
        print(
            f"fold {index}{' (train)' if index == args.train_fold else ''}: "
            f"pairwise P {p.precision:.4f} R {p.recall:.4f} F1 {p.f1:.4f}  "
            f"B3 P {b.precision:.4f} R {b.recall:.4f} F1 {b.f1:.4f}"
        )
    if args.write:
        MODEL_FILE.write_text(model.to_json() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
