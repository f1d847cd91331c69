"""Benchmark: assignee name harmonisation on the PatentsView NBER assignee benchmark.

Measures in the same run, over the 206,416 distinct mentions of
``shared/data/pv-evaluation-benchmarks/assignee/nber-subset-assignees-benchmark.csv``:

* ipops ``normalize_name`` + ``entity_id_for`` (one entity per normalised name);
* a naive baseline: lower-case and strip the raw name, one entity per result;

and prints pairwise precision, recall and F1 against the benchmark's unique_id, the number
of predicted and true entities, the run time of each (normalisation caches cold) and the
peak memory of each (tracemalloc, in a second, traced pass). ``--ablation`` adds the
scores of ipops without each of its rules in turn.

Usage::

    python benchmarks/names.py [--csv PATH] [--all-rows] [--ablation]
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from ipops.names.evaluate import Mention, PairwiseScores, load_assignee_benchmark, pairwise_scores
from ipops.names.harmonize import (
    TEXT_RULES,
    WORD_RULES,
    entity_id_for,
    normalize_name,
    normalize_with,
)

DATA = Path(
    os.environ.get("IPOPS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
BENCHMARK = DATA / "pv-evaluation-benchmarks" / "assignee" / "nber-subset-assignees-benchmark.csv"


def ipops_entity(name: str) -> str:
    return entity_id_for(normalize_name(name))


def naive_entity(name: str) -> str:
    return name.lower().strip()


def measure(
    label: Callable[[str], str], mentions: list[Mention]
) -> tuple[PairwiseScores, float, int]:
    """Scores, seconds and peak traced bytes of labelling every mention."""
    started = time.perf_counter()
    predicted = [label(mention.name) for mention in mentions]
    seconds = time.perf_counter() - started
    tracemalloc.start()
    [label(mention.name) for mention in mentions]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return pairwise_scores(predicted, [m.unique_id for m in mentions]), seconds, peak


def report(title: str, scores: PairwiseScores, seconds: float, peak: int) -> None:
    print(
        f"{title:<10} P {scores.precision:.4f}  R {scores.recall:.4f}  F1 {scores.f1:.4f}  "
        f"entities {scores.predicted_entities:,} (true {scores.true_entities:,})  "
        f"{seconds:.2f} s  peak {peak / 2**20:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=BENCHMARK)
    parser.add_argument(
        "--all-rows", action="store_true", help="keep the rows the file repeats whole"
    )
    parser.add_argument("--ablation", action="store_true", help="score without each rule")
    args = parser.parse_args()
    started = time.perf_counter()
    mentions = load_assignee_benchmark(args.csv, deduplicate=not args.all_rows)
    print(f"{len(mentions):,} mentions loaded in {time.perf_counter() - started:.2f} s")
    report("ipops", *measure(ipops_entity, mentions))
    report("baseline", *measure(naive_entity, mentions))
    if args.ablation:
        ablation(mentions)


def ablation(mentions: list[Mention]) -> None:
    truth = [mention.unique_id for mention in mentions]
    for rule in (*TEXT_RULES, *WORD_RULES):
        skip = frozenset({rule})
        scores = pairwise_scores([normalize_with(m.name, skip) for m in mentions], truth)
        print(
            f"without {rule:<24} P {scores.precision:.4f}  R {scores.recall:.4f}  "
            f"F1 {scores.f1:.4f}  entities {scores.predicted_entities:,}"
        )


if __name__ == "__main__":
    main()
