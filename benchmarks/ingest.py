"""Benchmark: USPTO grant XML ingest, against the raw lxml parse rate and a naive baseline.

Builds large weekly-style bulk files by repeating the 421 real grants of
``shared/data/uspto-grant-xml-pvdb`` with fresh publication numbers, then measures in the
same run:

* ipops ``ingest_files`` end to end (parse on all cores, enrich, Parquet, commit):
  grants/s and peak memory of the process tree, at each size;
* the same with ``texts=True`` (``ingest --texts``: claim texts and government interest);
* the raw lxml parse rate of the same bytes (``etree.fromstring`` per document, one core);
* a naive baseline: ``xml.etree`` parse of whole documents into pandas, then Parquet.

Usage::

    python benchmarks/ingest.py                        # 10k, 50k, 200k grants (naive at 50k)
    python benchmarks/ingest.py --sizes 2000 --baseline-size 2000   # quick look
    python benchmarks/ingest.py --sizes 100000 --baseline-size 0 --contenders raw,ipops,ipops-texts

Each ipops line also gives its rate as a share of the raw lxml rate of the same run (the
issue-13 goal: at least 60 %).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from ipops.corpus.formats import uspto_xml
from ipops.corpus.ingest import LoadTarget, ingest_files
from ipops.corpus.store import CorpusStore
from ipops.registry.db import make_engine, upgrade

DATA = Path(
    os.environ.get("IPOPS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
SAMPLES = DATA / "uspto-grant-xml-pvdb" / "xml"
PUBLICATION_NUMBER = re.compile(
    rb"(<publication-reference>.*?<doc-number>)([^<]+)(</doc-number>)", re.S
)


# -- input ------------------------------------------------------------------------------


def real_grants() -> list[bytes]:
    grants = []
    for path in sorted(SAMPLES.glob("ipg*.xml")):
        grants.extend(d for d in uspto_xml.iter_raw_documents(path) if b"<us-patent-grant" in d)
    if not grants:
        raise SystemExit(f"no real grants under {SAMPLES}: set IPOPS_SHARED_DATA")
    return grants


def build_input(grants: list[bytes], count: int, path: Path) -> int:
    """A bulk file of ``count`` grants with fresh numbers; returns its size in bytes."""
    with path.open("wb") as out:
        for i in range(count):
            number = f"{20_000_000 + i:08d}".encode()
            out.write(
                PUBLICATION_NUMBER.sub(rb"\g<1>" + number + rb"\g<3>", grants[i % len(grants)], 1)
            )
    return path.stat().st_size


# -- measuring --------------------------------------------------------------------------


class PeakMemory:
    """Samples the memory (PSS) of this process and all its descendants."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            time.sleep(self.interval)


def tree_rss(pid: int) -> int:
    """Proportional set size of the process tree: pages shared after fork count once."""
    total = 0
    for p in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found.append(child)
            found.extend(descendants(child))
    return found


def timed(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    with PeakMemory() as memory:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return seconds, memory.peak, result


# -- the three contenders ---------------------------------------------------------------


def raw_lxml_parse(path: Path) -> int:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    count = 0
    for document in uspto_xml.iter_raw_documents(path):
        etree.fromstring(document, parser)
        count += 1
    return count


def ipops_ingest(path: Path, workdir: Path, *, texts: bool = False) -> int:
    workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workdir / 'registry.sqlite'}"
    upgrade(url)
    target = LoadTarget(CorpusStore(workdir / "corpus"), make_engine(url), workdir / "rejects")
    options = {"texts": True} if texts else {}  # a tree before --texts takes no such keyword
    report = ingest_files(target, [path], fmt="uspto-xml", **options)
    return report.records_read - report.records_rejected


def naive_baseline(path: Path, out: Path) -> int:
    """The straightforward way: ElementTree per document, lists of dicts, pandas, Parquet."""
    patents, inventors, parties, classes, citations = [], [], [], [], []
    for document in _naive_documents(path):
        root = ET.fromstring(document)
        biblio = root.find("us-bibliographic-data-grant")
        if biblio is None:
            continue
        number = biblio.findtext("publication-reference/document-id/doc-number")
        patents.append(
            {
                "number": number,
                "title": biblio.findtext("invention-title"),
                "date": biblio.findtext("publication-reference/document-id/date"),
                "filing": biblio.findtext("application-reference/document-id/date"),
                "claims": biblio.findtext("number-of-claims"),
            }
        )
        for person in biblio.iter("addressbook"):
            row = {
                "number": number,
                "last": person.findtext("last-name"),
                "first": person.findtext("first-name"),
                "org": person.findtext("orgname"),
                "city": person.findtext("address/city"),
                "country": person.findtext("address/country"),
            }
            (parties if row["org"] else inventors).append(row)
        for ipc in biblio.iter("classification-ipcr"):
            classes.append(
                {
                    "number": number,
                    "section": ipc.findtext("section"),
                    "class": ipc.findtext("class"),
                    "subclass": ipc.findtext("subclass"),
                    "group": ipc.findtext("main-group"),
                }
            )
        for cit in list(biblio.iter("citation")) + list(biblio.iter("us-citation")):
            citations.append(
                {
                    "number": number,
                    "cited": cit.findtext("patcit/document-id/doc-number"),
                    "country": cit.findtext("patcit/document-id/country"),
                    "npl": cit.findtext("nplcit/othercit"),
                }
            )
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("patents", patents),
        ("inventors", inventors),
        ("parties", parties),
        ("classifications", classes),
        ("citations", citations),
    ):
        pd.DataFrame(rows).to_parquet(out / f"{name}.parquet")
    return len(patents)


def _naive_documents(path: Path) -> Iterator[bytes]:
    """Split on '<?xml' the simple way; ElementTree cannot take the DOCTYPE lines' DTD."""
    text = path.read_bytes()
    for part in text.split(b"<?xml")[1:]:
        yield b"<?xml" + part


# -- main -------------------------------------------------------------------------------

CONTENDERS = {
    "raw": "raw lxml parse (1 core)",
    "ipops": f"ipops ingest ({os.cpu_count()} cores)",
    "ipops-texts": f"ipops ingest --texts ({os.cpu_count()} cores)",
    "ipops-before": "ipops ingest, --before-src tree",
    "naive": "naive ElementTree+pandas",
}


def measure_one(contender: str, source: Path, workdir: Path) -> None:
    """Run one contender in this (fresh) process and print its figures as JSON."""
    runners: dict[str, Callable[[], int]] = {
        "raw": lambda: raw_lxml_parse(source),
        "ipops": lambda: ipops_ingest(source, workdir / "ws"),
        "ipops-before": lambda: ipops_ingest(source, workdir / "ws"),
        "ipops-texts": lambda: ipops_ingest(source, workdir / "ws", texts=True),
        "naive": lambda: naive_baseline(source, workdir / "naive"),
    }
    seconds, peak, count = timed(runners[contender])
    print(json.dumps({"count": count, "seconds": seconds, "peak": peak}))


def run_contender(
    contender: str, source: Path, workdir: Path, before_src: Path | None = None
) -> dict[str, float]:
    """Each contender runs in its own process so that no memory is carried over.

    ``ipops-before`` imports ipops from ``before_src`` (another checkout's ``src``), so an
    older tree is measured in the same run, on the same input.
    """
    scratch = workdir / f"run-{contender}"
    command = [
        sys.executable,
        __file__,
        "--one",
        contender,
        "--source",
        str(source),
        "--workdir",
        str(scratch),
    ]
    env = dict(os.environ)
    if contender == "ipops-before":
        if before_src is None:
            raise SystemExit("ipops-before needs --before-src")
        env["PYTHONPATH"] = str(before_src)
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    shutil.rmtree(scratch, ignore_errors=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000")
    parser.add_argument("--baseline-size", type=int, default=50_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--before-src",
        type=Path,
        default=None,
        help="another tree's src folder: adds the contender ipops-before (e.g. git worktree "
        "add --detach /tmp/before <commit>; --before-src /tmp/before/src)",
    )
    parser.add_argument(
        "--contenders",
        default="raw,ipops,ipops-texts",
        help="which to run at every size (raw first: the others are given as its share)",
    )
    parser.add_argument("--one", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ipops-bench-ingest-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.one:
        measure_one(args.one, args.source, workdir)
        return
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {args.baseline_size} - {0})
    grants = real_grants()
    print(f"{len(grants)} real grants as templates; cores: {os.cpu_count()}; workdir {workdir}")
    chosen = [name for name in args.contenders.split(",") if name]
    unknown = set(chosen) - set(CONTENDERS)
    if unknown:
        raise SystemExit(f"unknown contender(s) {sorted(unknown)}; use {sorted(CONTENDERS)}")
    table = []
    for size in sizes:
        source = workdir / f"ipg-bench-{size}.xml"
        gigabytes = build_input(grants, size, source) / 1e9
        contenders = chosen[:1] + (["ipops-before"] if args.before_src else []) + chosen[1:]
        contenders += ["naive"] if size == args.baseline_size else []
        raw_rate = None
        for contender in contenders:
            result = run_contender(contender, source, workdir, args.before_src)
            rate = result["count"] / result["seconds"]
            mib = result["peak"] / 2**20
            raw_rate = rate if contender == "raw" else raw_rate
            share = (
                f"  {rate / raw_rate:6.1%} of raw lxml" if raw_rate and contender != "raw" else ""
            )
            print(
                f"  {size:>8,} {CONTENDERS[contender]:<30} {rate:>8,.0f} grants/s  "
                f"peak {mib:,.0f} MiB{share}",
                flush=True,
            )
            table.append((CONTENDERS[contender], size, gigabytes, result["seconds"], rate, mib))
        source.unlink()
    print()
    print(f"{'what':<32}{'grants':>9}{'GB':>7}{'seconds':>9}{'grants/s':>10}{'peak MiB':>10}")
    for what, size, gigabytes, seconds, rate, mib in table:
        print(f"{what:<32}{size:>9,}{gigabytes:>7.2f}{seconds:>9.1f}{rate:>10,.0f}{mib:>10,.0f}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
