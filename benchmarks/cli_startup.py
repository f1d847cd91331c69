"""Benchmark: how fast the `ipops` command line starts.

Measures in the same run, each the median wall time of ``--runs`` (default 5) fresh processes
and the largest peak resident memory among them (``os.wait4``'s resource usage of the child):

* ``ipops --help``, ``ipops corpus stats --help`` and ``ipops corpus stats`` on a small
  generated workspace (made once, in a temporary folder);
* the baselines: ``python -c "import typer"`` (the floor of any typer CLI) and the eager import
  of every command module (what ``ipops --help`` cost when ``ipops.cli.app`` imported them all).

Goal: ``ipops --help`` and ``ipops corpus stats`` well under a second.

Usage::

    python benchmarks/cli_startup.py [--runs N] [--patents N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

IPOPS = [sys.executable, "-m", "ipops.cli.app"]
EAGER_IMPORT = (
    "import ipops.cli.audit, ipops.cli.corpus, ipops.cli.demo, ipops.cli.finance, "
    "ipops.cli.geo, ipops.cli.names, ipops.cli.ops, ipops.cli.pool, ipops.cli.report, "
    "ipops.cli.serve, ipops.cli.users, ipops.cli.value"
)


def run_once(command: Sequence[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of one run of ``command``."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {child.returncode}")
    return elapsed, usage.ru_maxrss


def measure(command: Sequence[str], env: dict[str, str], runs: int) -> tuple[float, int]:
    results = [run_once(command, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--patents", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipops-cli-startup-") as home:
        env = {**os.environ, "IPOPS_HOME": str(Path(home) / "ws")}
        subprocess.run([*IPOPS, "init"], env=env, check=True, capture_output=True)
        generate = [*IPOPS, "corpus", "generate", "--patents", str(args.patents)]
        subprocess.run(generate, env=env, check=True, capture_output=True)
        cases = {
            "baseline: import typer": [sys.executable, "-c", "import typer"],
            "baseline: import every command module": [sys.executable, "-c", EAGER_IMPORT],
            "ipops --help": [*IPOPS, "--help"],
            "ipops corpus stats --help": [*IPOPS, "corpus", "stats", "--help"],
            "ipops corpus stats": [*IPOPS, "corpus", "stats"],
        }
        print(f"median of {args.runs} runs; peak resident memory of the largest run")
        for label, command in cases.items():
            seconds, peak_kib = measure(command, env, args.runs)
            print(f"{label:<40} {seconds:7.3f} s  {peak_kib / 1024:7.1f} MiB")


if __name__ == "__main__":
    main()
