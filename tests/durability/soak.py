"""A long soak of cqld (make soak): mixed load for SOAK_SECONDS (default 1800) on one data
directory, with cqld's resident memory, open descriptors and the latency of each kind of request
sampled every SOAK_SAMPLE_SECONDS (default 10). The report (one line per sample, and a summary)
goes to bench/results/soak-<time>-<commit>.json and .md.

The load, from SOAK_CONNECTIONS connections (default 16) with 4 requests in flight on each:
prepared upserts of single rows (half the requests), prepared point reads, slices of a wide
partition, deletes, and statements sent as text with their values inline (which pass through the
statement cache), over a key space large enough that the memtables flush and compaction runs.

It fails (exit status 1) if any request gets an error, if cqld exits, or if cqld's resident
memory at the end exceeds SOAK_RSS_GROWTH (default 1.5) times its level after the first fifth of
the run plus 64 MiB: memory that keeps growing under a steady load is a leak or an unbounded
cache.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from proc_stats import open_fds, rss_bytes  # noqa: E402
from wire import EXECUTE, PREPARE, RESULT, Connection, execute_body, long_string  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SECONDS = float(os.environ.get("SOAK_SECONDS", "1800"))
SAMPLE_SECONDS = float(os.environ.get("SOAK_SAMPLE_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "16"))
RSS_GROWTH = float(os.environ.get("SOAK_RSS_GROWTH", "1.5"))
IN_FLIGHT = 4
KEYS = 200_000
PARTITIONS = 2_000
MiB = 1 << 20

SCHEMA = [
    "CREATE KEYSPACE soak WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TABLE soak.kv (k int PRIMARY KEY, v blob, n bigint)",
    "CREATE TABLE soak.events (p int, c int, v text, PRIMARY KEY (p, c))",
]
PREPARED = {
    "upsert": "INSERT INTO soak.kv (k, v, n) VALUES (?, ?, ?)",
    "read": "SELECT v, n FROM soak.kv WHERE k = ?",
    "event": "INSERT INTO soak.events (p, c, v) VALUES (?, ?, ?)",
    "slice": "SELECT c, v FROM soak.events WHERE p = ? AND c >= ? LIMIT 50",
    "delete": "DELETE FROM soak.kv WHERE k = ?",
}
# (kind, share of requests)
MIX = [("upsert", 40), ("event", 10), ("read", 25), ("slice", 10), ("delete", 5), ("text", 10)]


def i32(v: int) -> bytes:
    return struct.pack(">i", v)


def start_cqld(data: Path) -> tuple[subprocess.Popen, str, int, Path]:
    binary = os.environ.get("CQLD", str(ROOT / ".venv" / "bin" / "cqld"))
    log = Path(tempfile.mkstemp(prefix="cqld-soak-", suffix=".log")[1])
    proc = subprocess.Popen([binary, "--data-dir", str(data), "--port", "0"], stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = re.search(rb"listening on ([0-9.]+):(\d+)", log.read_bytes())
        if match:
            return proc, match.group(1).decode(), int(match.group(2)), log
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"cqld did not start:\n{log.read_text(errors='replace')}")


class Stats:
    """Latencies of each kind of request since the last sample, and the errors seen."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
        self.errors: list[str] = []
        self.total = 0

    def take(self) -> dict[str, list[float]]:
        taken, self.latencies = self.latencies, {kind: [] for kind, _ in MIX}
        return taken


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def client(host: str, port: int, stats: Stats, deadline: float, rng: random.Random) -> None:
    conn = await Connection.open(host, port)
    ids = {}
    for name, cql in PREPARED.items():
        response = await conn.request(PREPARE, long_string(cql))
        ids[name] = response.prepared_id()
    kinds = [kind for kind, share in MIX for _ in range(share)]

    def request(kind: str):
        k = rng.randrange(KEYS)
        if kind == "upsert":
            return conn.request(EXECUTE, execute_body(ids["upsert"], [i32(k), os.urandom(rng.randrange(16, 2048)),
                                                                      struct.pack(">q", rng.randrange(1 << 40))]))
        if kind == "read":
            return conn.request(EXECUTE, execute_body(ids["read"], [i32(k)]))
        if kind == "event":
            return conn.request(EXECUTE, execute_body(ids["event"], [i32(k % PARTITIONS), i32(rng.randrange(1 << 30)),
                                                                     b"e" * rng.randrange(10, 400)]))
        if kind == "slice":
            return conn.request(EXECUTE, execute_body(ids["slice"], [i32(k % PARTITIONS), i32(rng.randrange(1 << 30))]))
        if kind == "delete":
            return conn.request(EXECUTE, execute_body(ids["delete"], [i32(k)]))
        return conn.query(f"UPDATE soak.kv SET n = {rng.randrange(1 << 40)} WHERE k = {k}")

    async def lane() -> None:
        while time.monotonic() < deadline:
            kind = rng.choice(kinds)
            began = time.perf_counter()
            response = await request(kind)
            stats.latencies[kind].append(time.perf_counter() - began)
            stats.total += 1
            if response.opcode != RESULT:
                stats.errors.append(f"{kind}: {response.error}")

    try:
        await asyncio.gather(*(lane() for _ in range(IN_FLIGHT)))
    finally:
        await conn.close()


async def sampler(pid: int, stats: Stats, deadline: float, samples: list[dict]) -> None:
    began = time.monotonic()
    last_total = 0
    while time.monotonic() < deadline:
        await asyncio.sleep(SAMPLE_SECONDS)
        taken = stats.take()
        sample = {
            "t_s": round(time.monotonic() - began, 1),
            "rss_mib": round(rss_bytes(pid) / MiB, 1),
            "fds": open_fds(pid),
            "requests_per_s": round((stats.total - last_total) / SAMPLE_SECONDS),
            "latency_ms": {kind: {"p50": round(percentile(v, 0.5) * 1000, 2), "p99": round(percentile(v, 0.99) * 1000, 2),
                                  "max": round(max(v, default=0) * 1000, 2)} for kind, v in taken.items()},
        }
        last_total = stats.total
        samples.append(sample)
        print(f"{sample['t_s']:7.0f}s rss {sample['rss_mib']:7.1f} MiB fds {sample['fds']:4d} "
              f"{sample['requests_per_s']:6d} req/s  read p99 {sample['latency_ms']['read']['p99']:.1f} ms  "
              f"upsert p99 {sample['latency_ms']['upsert']['p99']:.1f} ms  errors {len(stats.errors)}", flush=True)


def setup(host: str, port: int) -> None:
    async def run() -> None:
        conn = await Connection.open(host, port)
        for cql in SCHEMA:
            response = await conn.query(cql)
            assert response.opcode == RESULT, response.error
        await conn.close()

    asyncio.run(run())


def commit() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "unknown"


# The tree's commit when the soak starts: the one the binary under test was built from (unless
# CQLD names another), not wherever the tree has moved in the half hour since.
STARTED_AT_COMMIT = commit()


def write_report(samples: list[dict], stats: Stats, verdict: list[str]) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "bench" / "results" / f"soak-{stamp}-{STARTED_AT_COMMIT}"
    summary = {"seconds": SECONDS, "connections": CONNECTIONS, "in_flight_per_connection": IN_FLIGHT,
               "requests": stats.total, "errors": len(stats.errors), "first_errors": stats.errors[:10],
               "verdict": verdict or ["passed"], "samples": samples}
    out.with_suffix(".json").write_text(json.dumps(summary, indent=1) + "\n")
    rss = [s["rss_mib"] for s in samples]
    lines = [f"# cqld soak, {stamp}, commit {STARTED_AT_COMMIT}", "",
             f"{SECONDS:.0f} s of mixed load ({', '.join(f'{k} {s}%' for k, s in MIX)}) from {CONNECTIONS} "
             f"connections with {IN_FLIGHT} requests in flight each; {stats.total} requests, {len(stats.errors)} errors.",
             f"RSS: min {min(rss, default=0)} MiB, max {max(rss, default=0)} MiB, last {rss[-1] if rss else 0} MiB.",
             f"Verdict: {'; '.join(verdict) or 'passed'}.", "",
             "| t (s) | RSS (MiB) | fds | req/s | read p50/p99 (ms) | upsert p50/p99 (ms) | slice p99 (ms) | text p99 (ms) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in samples:
        lat = s["latency_ms"]
        lines.append(f"| {s['t_s']:.0f} | {s['rss_mib']} | {s['fds']} | {s['requests_per_s']} | "
                     f"{lat['read']['p50']}/{lat['read']['p99']} | {lat['upsert']['p50']}/{lat['upsert']['p99']} | "
                     f"{lat['slice']['p99']} | {lat['text']['p99']} |")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    return out


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cqld-soak-") as tmp:
        proc, host, port, log = start_cqld(Path(tmp) / "data")
        try:
            setup(host, port)
            stats, samples = Stats(), []
            deadline = time.monotonic() + SECONDS
            rng = random.Random(int(os.environ.get("SOAK_SEED", "1")))

            async def run() -> None:
                clients = [client(host, port, stats, deadline, random.Random(rng.random())) for _ in range(CONNECTIONS)]
                await asyncio.gather(sampler(proc.pid, stats, deadline, samples), *clients)

            verdict = []
            try:
                asyncio.run(run())
            except (ConnectionError, OSError, AssertionError) as e:
                verdict.append(f"the load stopped: {e!r}")
            if proc.poll() is not None:
                verdict.append(f"cqld exited with {proc.returncode}")
            if stats.errors:
                verdict.append(f"{len(stats.errors)} requests failed, first: {stats.errors[0]}")
            if len(samples) >= 5:
                settled = samples[len(samples) // 5]["rss_mib"]
                if samples[-1]["rss_mib"] > settled * RSS_GROWTH + 64:
                    verdict.append(f"RSS grew from {settled} MiB (after a fifth of the run) to {samples[-1]['rss_mib']} MiB")
            out = write_report(samples, stats, verdict)
            print(f"report: {out}.md, {out}.json")
            print("soak: " + ("; ".join(verdict) if verdict else "passed"))
            return 1 if verdict else 0
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=120)
            log.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
