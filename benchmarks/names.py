"""Benchmark: organisation-name resolution of 200,000 mentions against exact-string matching.

Measures in the same run, over the first ``--mentions`` (default 200,000) distinct mentions
of ``shared/data/pv-evaluation-benchmarks/assignee/nber-subset-assignees-benchmark.csv``:

* ipops ``resolve_names`` (normalisation, alias table, Chinese rules and the scored
  comparison, caches cold);
* the baseline: exact-string matching, one entity per distinct raw name;

and prints for each the wall time, the peak traced memory (tracemalloc, in a second pass)
and pairwise and B-cubed precision, recall and F1 against the benchmark's unique_id, then
the process's peak resident memory. Goal: ipops under 60 s and 2 GiB.

Usage::

    python benchmarks/names.py [--csv PATH] [--mentions N] [--ablation]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from ipops.names.chinese import core_and_place, pinyin_key
from ipops.names.evaluate import Mention, bcubed_scores, load_assignee_benchmark, pairwise_scores
from ipops.names.harmonize import harmonize_name
from ipops.names.normalize import TEXT_RULES, WORD_RULES, normalize_name, normalize_with
from ipops.names.resolve import resolve_names

DATA = Path(
    os.environ.get("IPOPS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
BENCHMARK = DATA / "pv-evaluation-benchmarks" / "assignee" / "nber-subset-assignees-benchmark.csv"

Labeller = Callable[[Sequence[str]], list[str]]


def ipops_labels(names: Sequence[str]) -> list[str]:
    resolution = resolve_names(names)
    return [resolution.by_name[name].entity_id if name.strip() else "" for name in names]


def exact_labels(names: Sequence[str]) -> list[str]:
    return list(names)


def _cold() -> None:
    for cached in (normalize_name, harmonize_name, core_and_place, pinyin_key):
        cached.cache_clear()


def measure(title: str, label: Labeller, mentions: list[Mention]) -> float:
    """Print the scores, time and traced peak of one labeller; return the seconds."""
    names = [mention.name for mention in mentions]
    truth = [mention.unique_id for mention in mentions]
    _cold()
    started = time.perf_counter()
    predicted = label(names)
    seconds = time.perf_counter() - started
    _cold()
    tracemalloc.start()
    label(names)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    pairs, cubed = pairwise_scores(predicted, truth), bcubed_scores(predicted, truth)
    print(
        f"{title:<8} {seconds:7.2f} s  peak {peak / 2**20:7.1f} MiB  "
        f"pairwise P {pairs.precision:.4f} R {pairs.recall:.4f} F1 {pairs.f1:.4f}  "
        f"B3 P {cubed.precision:.4f} R {cubed.recall:.4f} F1 {cubed.f1:.4f}  "
        f"entities {pairs.predicted_entities:,} (true {pairs.true_entities:,})"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--csv", type=Path, default=BENCHMARK)
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--ablation", action="store_true", help="score without each rule")
    args = parser.parse_args()
    started = time.perf_counter()
    mentions = load_assignee_benchmark(args.csv)[: args.mentions]
    distinct = len({mention.name for mention in mentions})
    print(
        f"{len(mentions):,} mentions ({distinct:,} distinct names) loaded in "
        f"{time.perf_counter() - started:.2f} s"
    )
    ipops = measure("ipops", ipops_labels, mentions)
    exact = measure("exact", exact_labels, mentions)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"ipops / exact time: {ipops / max(exact, 1e-9):,.0f}x; process peak RSS {rss:,.0f} MiB")
    print(f"goal: < 60 s and < 2,048 MiB -> {'met' if ipops < 60 and rss < 2048 else 'NOT met'}")
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
