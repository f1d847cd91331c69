"""Benchmark: the REST API under load — a realistic search/detail mix against bare health.

In one run:

1. builds (once; cached under ``--workdir``) a workspace with a generated corpus of
   ``--patents`` patents and an analyst user;
2. starts ``ipops serve`` on 127.0.0.1 as a subprocess and gets a token;
3. drives ``GET /api/v1/health`` for ``--health-seconds`` (the framework's ceiling on this
   machine), then the mix for ``--seconds``: patent detail by numbers drawn from the corpus
   and searches by title words, IPC prefixes (F24F ...), party names and filing-year ranges
   drawn from the corpus, with ``--concurrency`` keep-alive clients;
4. prints requests/s, p50/p95/p99 latency and errors for both (and per kind of request),
   the slowest requests, and the server's peak memory (VmHWM).

Goal (the issue): mix >= 50% of health throughput, p99 < 200 ms, no errors.

The load clients are a few lines of asyncio speaking HTTP/1.1 over keep-alive
connections: httpx spends ~2 ms of CPU a request, which on two cores made the client, not
the server, the bottleneck (420 vs 1,460 health requests/s measured here). They only ever
connect to 127.0.0.1, and stop at the deadline or after ``--max-requests``.

Usage::

    python benchmarks/api_load.py                        # 100k patents, 60 s; cache in /tmp
    python benchmarks/api_load.py --seconds 20 --workdir /data/bench   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from ipops.corpus.store import CorpusStore

LOOPBACK = "127.0.0.1"
API = "/api/v1"
USERNAME = "loadbench"
PAGE_SIZE = 20
REQUEST_TIMEOUT = 30.0
STARTUP_TIMEOUT = 120.0
MIX: tuple[tuple[str, float], ...] = (
    ("detail", 0.40),
    ("search_title", 0.15),
    ("search_ipc", 0.15),
    ("search_party", 0.10),
    ("search_ipc_years", 0.10),
    ("search_years", 0.05),
    ("search_title_ipc", 0.05),
)
CJK_STOP = set("一种及其的具有用于和与该")


@dataclass(frozen=True)
class Options:
    workdir: Path
    patents: int
    seed: int
    seconds: float
    health_seconds: float
    warmup_seconds: float
    concurrency: int
    max_requests: int
    requests: int
    json_out: Path | None


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ipops-bench-api"
    )
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the mix run")
    parser.add_argument("--health-seconds", type=float, default=15.0)
    parser.add_argument("--warmup-seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="per phase")
    parser.add_argument(
        "--requests",
        type=int,
        default=20_000,
        help="length of the request list the mix cycles through (more: fewer repeats, "
        "so fewer answers from the server's search cache)",
    )
    parser.add_argument("--json", dest="json_out", type=Path, help="also write results here")
    args = parser.parse_args(argv)
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency must be between 1 and 256")
    return Options(
        workdir=args.workdir.resolve(),
        patents=args.patents,
        seed=args.seed,
        seconds=min(args.seconds, 3600.0),
        health_seconds=min(args.health_seconds, 3600.0),
        warmup_seconds=min(args.warmup_seconds, 60.0),
        concurrency=args.concurrency,
        max_requests=args.max_requests,
        requests=max(100, args.requests),
        json_out=args.json_out,
    )


# -- the workspace -----------------------------------------------------------------------


def ipops(args: Sequence[str], env: dict[str, str], stdin: str | None = None) -> str:
    """Run an ``ipops`` command of this interpreter's install; its stdout."""
    command = [sys.executable, "-m", "ipops.cli.app", *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`ipops {' '.join(args)}` failed:\n{done.stderr.strip()}")
    return done.stdout


def workspace_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPOPS_")}
    return env | {"IPOPS_HOME": str(home), "COLUMNS": "120"}


def prepare_workspace(options: Options) -> tuple[Path, str]:
    """The cached workspace (generated corpus, one analyst) and the analyst's password."""
    home = options.workdir / f"workspace-{options.patents}-{options.seed}"
    env = workspace_env(home)
    if not (home / "ipops-workspace.json").exists():
        ipops(["init"], env)
    started = time.perf_counter()
    report = json.loads(
        ipops(
            [
                "corpus",
                "generate",
                f"--patents={options.patents}",
                f"--seed={options.seed}",
                "--json",
            ],
            env,
        )
    )
    if report["status"] == "committed":
        print(f"generated {options.patents:,} patents in {time.perf_counter() - started:.0f} s")
    secret_file = home / "loadbench-password.txt"
    if not secret_file.exists():
        password = f"Load-{secrets.token_urlsafe(12)}-7"
        ipops(["users", "add", USERNAME, "--role", "analyst", "--password-stdin"], env, password)
        secret_file.write_text(password)
    return home, secret_file.read_text().strip()


# -- what to ask for ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """Search terms and numbers drawn from the corpus, weighted as they occur in it."""

    words: list[tuple[str, int]]
    ipcs: list[tuple[str, int]]
    parties: list[tuple[str, int]]
    numbers: list[str]
    first_year: int
    last_year: int


def _rows(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return list(con.execute(sql).fetchall())


def draw_sample(home: Path) -> Sample:
    with CorpusStore(home / "corpus").connect() as con:
        titles = [t for (t,) in _rows(con, "SELECT title FROM patents USING SAMPLE 20000 ROWS")]
        ipcs = _rows(
            con,
            "SELECT subclass, count(*) FROM classifications WHERE scheme = 'IPC' "
            "AND subclass IS NOT NULL GROUP BY ALL ORDER BY 2 DESC LIMIT 80",
        )
        parties = _rows(
            con,
            "SELECT mode(name), count(DISTINCT patent_id) FROM parties "
            "WHERE entity_id IS NOT NULL GROUP BY entity_id ORDER BY 2 DESC LIMIT 300",
        )
        numbers = [
            f"{office}{number}{kind or ''}"
            for office, number, kind in _rows(
                con, "SELECT office, number, kind FROM patents USING SAMPLE 5000 ROWS"
            )
        ]
        first, last = _rows(
            con, "SELECT min(year(filing_date)), max(year(filing_date)) FROM patents"
        )[0]
    return Sample(_title_words(titles), ipcs, parties, numbers, int(first), int(last))


def _title_words(titles: list[str | None]) -> list[tuple[str, int]]:
    """Frequent English words (4+ letters) and Chinese two-character terms of the titles."""
    counts: Counter[str] = Counter()
    for title in filter(None, titles):
        counts.update(w for w in re.findall(r"[a-z]{4,}", title.lower()) if w != "thereof")
        cjk = re.sub(r"[^\u4e00-\u9fff]", " ", title)
        for run in cjk.split():
            counts.update(
                run[i : i + 2] for i in range(len(run) - 1) if not CJK_STOP & set(run[i : i + 2])
            )
    return counts.most_common(300)


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


class RequestMaker:
    """Request paths of the mix, reproducible from the seed."""

    def __init__(self, sample: Sample, seed: int) -> None:
        self.sample = sample
        self.rng = random.Random(seed)

    def make(self, count: int) -> list[tuple[str, str]]:
        kinds = self.rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=count)
        return [(kind, self.path(kind)) for kind in kinds]

    def path(self, kind: str) -> str:
        if kind == "detail":
            return f"{API}/corpus/patents/{self.rng.choice(self.sample.numbers)}"
        params: dict[str, Any] = {}
        if "title" in kind:
            params["q"] = _weighted(self.rng, self.sample.words)
        if "ipc" in kind:
            params["ipc"] = _weighted(self.rng, self.sample.ipcs)
        if "party" in kind:
            params["party"] = self._party()
        if "years" in kind:
            params |= self._years()
        params["page"] = self.rng.choices([1, 2, 3, 4], weights=[80, 12, 5, 3])[0]
        params["page_size"] = PAGE_SIZE
        return f"{API}/corpus/patents?{urlencode(params)}"

    def _party(self) -> str:
        name = _weighted(self.rng, self.sample.parties)
        if self.rng.random() < 0.3:  # a fragment: "格力电器", "Daikin"
            return name[:4] if re.match(r"[\u4e00-\u9fff]", name) else name.split()[0]
        return name

    def _years(self) -> dict[str, int]:
        first = self.rng.randint(self.sample.first_year, self.sample.last_year)
        return {"year_from": first, "year_to": min(first + self.rng.randint(0, 4), 2200)}


# -- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(home: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable,
        "-m",
        "ipops.cli.app",
        "serve",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=workspace_env(home), stdout=out, stderr=out)
    try:
        _wait_healthy(server, port, log)
        yield server
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_healthy(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"ipops serve exited ({server.returncode}); see {log}")
        try:
            if httpx.get(f"http://{LOOPBACK}:{port}{API}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"ipops serve did not answer within {STARTUP_TIMEOUT:.0f} s; see {log}")


def get_token(port: int, password: str) -> str:
    response = httpx.post(
        f"http://{LOOPBACK}:{port}{API}/auth/token",
        json={"username": USERNAME, "password": password, "name": "api-load benchmark"},
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["token"])


def peak_memory_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), read before it exits."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match[1]) / 1024 if match else None


# -- the load ----------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0

    def record(self, kind: str, path: str, status: int, seconds: float) -> None:
        self.latencies[kind].append(seconds)
        if not 200 <= status < 300:
            self.errors[f"{kind} {status}"] += 1
        if len(self.slowest) < 10 or seconds > self.slowest[-1][0]:
            self.slowest = sorted([*self.slowest, (seconds, path)], reverse=True)[:10]


class Client:
    """One keep-alive HTTP/1.1 connection to the server on 127.0.0.1."""

    def __init__(self, port: int, token: str | None) -> None:
        self.port = port
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.headers = f"Host: {LOOPBACK}:{port}\r\n{auth}Accept: application/json\r\n\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(LOOPBACK, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\n{self.headers}".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        if "transfer-encoding: chunked" in head:
            await self._read_chunked(self.reader)
        else:
            length = re.search(r"content-length: *(\d+)", head)
            await self.reader.readexactly(int(length[1]) if length else 0)
        if "connection: close" in head:
            await self.close()
        return status

    @staticmethod
    async def _read_chunked(reader: asyncio.StreamReader) -> None:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(
    port: int,
    token: str | None,
    requests: list[tuple[str, str]],
    *,
    seconds: float,
    concurrency: int,
    max_requests: int,
) -> Results:
    """Send ``requests`` (cycling) from ``concurrency`` clients until time or count run out."""
    results = Results()
    budget = iter(range(max_requests))
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(offset: int) -> None:
        client = Client(port, token)
        index = offset
        try:
            while time.perf_counter() < deadline and next(budget, None) is not None:
                kind, path = requests[index % len(requests)]
                index += concurrency
                sent = time.perf_counter()
                try:
                    status = await asyncio.wait_for(client.get(path), REQUEST_TIMEOUT)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                    status = 599
                    await client.close()
                results.record(kind, path, status, time.perf_counter() - sent)
        finally:
            await client.close()

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    results.seconds = time.perf_counter() - started
    return results


# -- the report --------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds if seconds else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies, default=0.0) * 1000,
        "errors": errors,
    }


def _kind_summary(results: Results, kind: str) -> dict[str, float]:
    errors = sum(n for name, n in results.errors.items() if name.startswith(f"{kind} "))
    return summary(results.latencies[kind], errors, results.seconds)


def report(health: Results, mix: Results, options: Options, memory: float | None) -> dict[str, Any]:
    every = [x for values in mix.latencies.values() for x in values]
    result: dict[str, Any] = {
        "patents": options.patents,
        "concurrency": options.concurrency,
        "health": summary(health.latencies["health"], sum(health.errors.values()), health.seconds),
        "mix": summary(every, sum(mix.errors.values()), mix.seconds),
        "by_kind": {kind: _kind_summary(mix, kind) for kind in sorted(mix.latencies)},
        "errors": dict(mix.errors + health.errors),
        "slowest": [{"ms": round(s * 1000, 1), "path": p} for s, p in mix.slowest],
        "server_peak_memory_mb": memory,
        "request_list": options.requests,
    }
    ratio = result["mix"]["rps"] / result["health"]["rps"] if result["health"]["rps"] else 0.0
    result["goal"] = {
        "mix_vs_health": round(ratio, 3),
        "throughput_ok": ratio >= 0.5,
        "p99_ok": result["mix"]["p99_ms"] < 200,
        "no_errors": not result["errors"],
    }
    return result


def print_report(result: dict[str, Any]) -> None:
    header = f"{'':<18}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print(
        f"\n{result['patents']:,} patents, {result['concurrency']} concurrent clients, "
        f"the mix cycling through {result['request_list']:,} requests"
    )
    print(header + f"{'max ms':>9}{'errors':>8}")
    rows = [("health", result["health"]), ("mix", result["mix"])]
    rows += [(f"  {k}", v) for k, v in result["by_kind"].items()]
    for name, s in rows:
        print(
            f"{name:<18}{s['requests']:>9,}{s['rps']:>9,.0f}{s['p50_ms']:>9.1f}"
            f"{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}{s['max_ms']:>9.0f}{s['errors']:>8}"
        )
    goal = result["goal"]
    memory = result["server_peak_memory_mb"]
    print(f"\nserver peak memory: {memory:,.0f} MB" if memory else "\nserver peak memory: n/a")
    print(
        f"goal: mix/health {goal['mix_vs_health']:.0%} (>= 50%: {_ok(goal['throughput_ok'])}), "
        f"p99 < 200 ms: {_ok(goal['p99_ok'])}, no errors: {_ok(goal['no_errors'])}"
    )
    if result["errors"]:
        print("errors:", ", ".join(f"{k}: {n}" for k, n in result["errors"].items()))
    print("slowest requests:")
    for slow in result["slowest"][:5]:
        print(f"  {slow['ms']:>8.1f} ms  {slow['path']}")


def _ok(flag: bool) -> str:
    return "yes" if flag else "NO"


# -- main --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    options.workdir.mkdir(parents=True, exist_ok=True)
    home, password = prepare_workspace(options)
    sample = draw_sample(home)
    requests = RequestMaker(sample, options.seed).make(options.requests)
    health_requests = [("health", f"{API}/health")]
    port = free_port()
    load = {"concurrency": options.concurrency, "max_requests": options.max_requests}
    with running_server(home, port, options.workdir / "server.log") as server:
        token = get_token(port, password)
        asyncio.run(drive(port, token, requests[::-1], seconds=options.warmup_seconds, **load))
        health = asyncio.run(
            drive(port, None, health_requests, seconds=options.health_seconds, **load)
        )
        mix = asyncio.run(drive(port, token, requests, seconds=options.seconds, **load))
        memory = peak_memory_mb(server.pid)
    result = report(health, mix, options, memory)
    print_report(result)
    if options.json_out:
        options.json_out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
