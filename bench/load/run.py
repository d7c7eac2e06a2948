"""Load benchmark: cqld (on disk and in memory) against a real Cassandra on this machine, driven
by latte (a third-party CQL load generator) with the same workloads, interleaved.

For each workload the data is loaded once per target; then the measured runs go round the
targets in turn, `--repetitions` times, so that a change in the machine's load hits every target
alike. Each run reports latte's throughput and latency percentiles and the server's CPU time over
the run (from /proc). Results: a Markdown table and the raw numbers in bench/results/, named with
the time and the commit, with the machine's load average before and after.

    make bench-load                       # the whole run (about an hour)
    .venv/bin/python bench/load/run.py --quick   # a smoke run of a few seconds a workload
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = Path(__file__).parent / "workloads"
CASSANDRA_SH = ROOT / "tools" / "cassandra" / "cassandra.sh"
LATTE_LOGS = ROOT / "build" / "latte-logs"
LISTENING = re.compile(rb"listening on ([0-9.]+):(\d+)")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Workload:
    name: str  # also the .rn file's name
    params: dict[str, int]
    connections: tuple[int, ...] = (1, 4)
    fixed_rate: int | None = None  # cycles/s of the run that measures CPU per request


def workloads(quick: bool) -> list[Workload]:
    rows = 20_000 if quick else 1_000_000
    return [
        Workload("kv_write", {}, fixed_rate=5_000),
        Workload("kv_read", {"rows": rows}, fixed_rate=5_000),
        Workload("range_scan", {"partitions": 2 if quick else 10}, connections=(1,)),
        Workload("index_read", {"rows": rows // 10}, connections=(1,)),
    ]


# --- servers ------------------------------------------------------------------------------------


class Server:
    name: str
    host = "127.0.0.1"
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def rss_bytes(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        raise NotImplementedError


class Cqld(Server):
    def __init__(self, name: str, binary: Path, *args: str) -> None:
        self.name = name
        self.data = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
        self.log = self.data / "cqld.log"
        command = [str(binary), "--port", "0", *args]
        if "--memory" not in args:
            command += ["--data-dir", str(self.data / "data")]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = LISTENING.search(self.log.read_bytes())
            if match:
                self.port = int(match.group(2))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"{name} did not start:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)
        shutil.rmtree(self.data, ignore_errors=True)


class Cassandra(Server):
    """The node tools/cassandra/ runs, started here and stopped afterwards."""

    def __init__(self, name: str, port: int, commitlog_sync: str) -> None:
        self.name = name
        self.port = port
        self.env = {**os.environ, "CASSANDRA_PORT": str(port), "CASSANDRA_COMMITLOG_SYNC": commitlog_sync}
        subprocess.run([str(CASSANDRA_SH), "start"], env=self.env, check=True)
        self.pid = int((ROOT / "tools" / "cassandra" / "run" / str(port) / "cassandra.pid").read_text())

    def stop(self) -> None:
        subprocess.run([str(CASSANDRA_SH), "stop"], env=self.env, check=False)


# --- latte --------------------------------------------------------------------------------------


@dataclass
class Run:
    workload: str
    target: str
    connections: int
    concurrency: int
    rate: int | None
    throughput: float  # requests/s
    p50_ms: float
    p99_ms: float
    p999_ms: float
    errors: int
    requests: int
    server_cpu_s: float
    server_rss: int
    load_avg: str = field(default="")


def latte(latte_bin: Path, command: str, workload: Workload, server: Server, *extra: str) -> None:
    args = [str(latte_bin.resolve()), command, str(WORKLOADS / f"{workload.name}.rn"), f"{server.host}:{server.port}"]
    for key, value in workload.params.items():
        args += ["-P", f"{key}={value}"]
    # latte leaves a log file in its working directory: keep it out of the source tree.
    LATTE_LOGS.mkdir(parents=True, exist_ok=True)
    subprocess.run(args + list(extra), check=True, stdout=subprocess.DEVNULL, cwd=LATTE_LOGS)


def percentile_ms(stats: dict, wanted: float) -> float:
    """Reads one percentile out of latte's report (the values are in milliseconds)."""
    latency = stats.get("request_latency") or stats["cycle_latency"]
    for entry, value in zip(report_percentiles, latency["percentiles"]):
        if abs(entry - wanted) < 1e-6:
            return value["value"] if isinstance(value, dict) else value
    raise KeyError(wanted)


report_percentiles: list[float] = []


def measure(latte_bin: Path, workload: Workload, server: Server, connections: int, concurrency: int,
            duration: str, rate: int | None) -> Run:
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        extra = ["-c", str(connections), "-p", str(concurrency), "-d", duration, "-w", "2s", "-o", str(report)]
        if rate:
            extra += ["-r", str(rate)]
        cpu_before = server.cpu_seconds()
        latte(latte_bin, "run", workload, server, *extra)
        cpu = server.cpu_seconds() - cpu_before
        data = json.loads(report.read_text())
    report_percentiles[:] = data["percentiles"]
    stats = data["result"]
    return Run(
        workload=workload.name, target=server.name, connections=connections, concurrency=concurrency, rate=rate,
        throughput=stats["req_throughput"]["value"], p50_ms=percentile_ms(stats, 50), p99_ms=percentile_ms(stats, 99),
        p999_ms=percentile_ms(stats, 99.9), errors=stats["error_count"], requests=stats["request_count"],
        server_cpu_s=cpu, server_rss=server.rss_bytes(), load_avg=load_average(),
    )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- the run ------------------------------------------------------------------------------------


def start_targets(args: argparse.Namespace, commitlog_sync: str) -> list[Server]:
    cqld_sync = ["--commitlog-sync", commitlog_sync]
    servers: list[Server] = [Cqld(f"cqld-disk-{commitlog_sync}", args.cqld, *cqld_sync)]
    if commitlog_sync == "periodic":
        servers.append(Cqld("cqld-memory", args.cqld, "--memory"))
    if not args.no_cassandra:
        servers.append(Cassandra(f"cassandra-{commitlog_sync}", args.cassandra_port, commitlog_sync))
    return servers


def run_workloads(args: argparse.Namespace, servers: list[Server], chosen: list[Workload],
                  profiles: list[str]) -> list[Run]:
    runs: list[Run] = []
    for workload in chosen:
        for server in servers:
            print(f"== {workload.name}: schema and data on {server.name}", flush=True)
            latte(args.latte, "schema", workload, server)
            latte(args.latte, "load", workload, server, "-q")
        for repetition in range(args.repetitions):
            for connections in workload.connections:
                for server in servers:
                    run = measure(args.latte, workload, server, connections, 128, args.duration, None)
                    print(f"   {run.target} c={connections} #{repetition + 1}: {run.throughput:,.0f} req/s, "
                          f"p99 {run.p99_ms:.2f} ms, load {run.load_avg}", flush=True)
                    runs.append(run)
            if workload.fixed_rate and not args.quick:
                for server in servers:
                    runs.append(measure(args.latte, workload, server, 1, 128, args.duration, workload.fixed_rate))
        if args.profile:
            for server in servers:
                if isinstance(server, Cqld):
                    profiles.append(profile(args, workload, server))
    return runs


# --- profiles -----------------------------------------------------------------------------------


def profile(args: argparse.Namespace, workload: Workload, server: Server) -> str:
    """One more run of the workload (one connection, concurrency 128) with `perf record` sampling
    the server's threads; returns the top symbols by self time, as `perf report` prints them."""
    with tempfile.TemporaryDirectory() as out:
        data = Path(out) / "perf.data"
        seconds = max(1, int(float(args.duration.rstrip("s"))))
        recorder = subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock", "-F", "999", "-p", str(server.pid),
                                     "-o", str(data), "--", "sleep", str(seconds + 2)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run = measure(args.latte, workload, server, 1, 128, args.duration, None)
        recorder.wait()
        report = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", "dso,symbol",
                                 "--percent-limit", "1"], capture_output=True, text=True).stdout
    rows = [line for line in report.splitlines() if line.strip() and not line.startswith("#")][:args.profile_symbols]
    return (f"### {workload.name} on {server.name}: {run.throughput:,.0f} req/s while sampled\n\n"
            "```\n" + "\n".join(rows) + "\n```\n")


def median_run(runs: list[Run], key: str) -> float:
    return statistics.median(getattr(r, key) for r in runs)


def reference(target: str) -> str | None:
    """The Cassandra a target is compared with: the one with the same commit log mode."""
    if target.startswith("cassandra"):
        return None
    return "cassandra-periodic" if target == "cqld-memory" else "cassandra-" + target.rsplit("-", 1)[-1]


def table(runs: list[Run]) -> str:
    groups: dict[tuple, list[Run]] = {}
    for r in runs:
        groups.setdefault((r.workload, r.connections, r.rate, r.target), []).append(r)
    lines = ["| workload | conns | rate | target | req/s (median) | p50 ms | p99 ms | p99.9 ms | "
             "server CPU s per 100k req | server RSS MiB (max) | errors | runs | vs Cassandra: req/s, p99 |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for (workload, conns, rate, target), group in groups.items():
        cassandra = groups.get((workload, conns, rate, reference(target)))
        throughput = median_run(group, "throughput")
        p99 = median_run(group, "p99_ms")
        cpu = statistics.median(r.server_cpu_s / max(r.requests, 1) * 100_000 for r in group)
        ratio = ""
        if cassandra:
            ratio = (f"{throughput / median_run(cassandra, 'throughput'):.2f}x, "
                     f"{median_run(cassandra, 'p99_ms') / max(p99, 1e-9):.2f}x lower")
        lines.append(f"| {workload} | {conns} | {rate or 'max'} | {target} | {throughput:,.0f} | "
                     f"{median_run(group, 'p50_ms'):.2f} | {p99:.2f} | {median_run(group, 'p999_ms'):.2f} | "
                     f"{cpu:.2f} | {max(r.server_rss for r in group) / 2**20:,.0f} | "
                     f"{sum(r.errors for r in group)} | {len(group)} | {ratio} |")
    return "\n".join(lines)


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latte", type=Path, default=ROOT / "build" / "tools" / "latte" / "bin" / "latte")
    parser.add_argument("--cqld", type=Path, default=ROOT / ".venv" / "bin" / "cqld")
    parser.add_argument("--cassandra-port", type=int, default=19062)
    parser.add_argument("--no-cassandra", action="store_true", help="cqld only (no ratios)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--duration", default="30s")
    parser.add_argument("--workloads", default="kv_write,kv_read,range_scan,index_read")
    parser.add_argument("--batch", action="store_true", help="also the writes with commitlog_sync batch")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small data, 3 s runs, 1 repetition")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--profile", action="store_true",
                        help="after each workload, a run of each cqld sampled by perf record (top symbols in *-profile.md)")
    parser.add_argument("--profile-symbols", type=int, default=25, help="symbols kept per profile")
    args = parser.parse_args()
    if args.quick:
        args.repetitions, args.duration = 1, "3s"
    if not args.latte.exists():
        print(f"latte not found at {args.latte} (make bench-load installs it)", file=sys.stderr)
        return 2
    chosen = [w for w in workloads(args.quick) if w.name in args.workloads.split(",")]
    # latte writes a log file per command into the current directory unless told otherwise.
    logs = tempfile.TemporaryDirectory(prefix="latte-logs-")
    os.environ["LATTE_LOG_DIR"] = logs.name
    started = datetime.now(timezone.utc)
    load_before = load_average()
    runs: list[Run] = []
    profiles: list[str] = []
    if args.profile and not shutil.which("perf"):
        print("--profile needs perf (Debian's linux-perf)", file=sys.stderr)
        return 2
    modes = ["periodic", "batch"] if args.batch else ["periodic"]
    for mode in modes:
        servers = start_targets(args, mode)
        try:
            mode_workloads = chosen if mode == "periodic" else [w for w in chosen if w.name == "kv_write"]
            runs += run_workloads(args, servers, mode_workloads, profiles)
        finally:
            for server in servers:
                server.stop()
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    name = f"load-{stamp}-{commit()}" + ("-quick" if args.quick else "")
    args.output.mkdir(parents=True, exist_ok=True)
    summary = (f"# Load benchmark {stamp}, commit {commit()}\n\n"
               f"latte 0.29, concurrency 128, {args.repetitions} interleaved repetition(s) of {args.duration}; "
               f"machine: {os.cpu_count()} cores, load average before {load_before}, after {load_average()}.\n\n"
               f"{table(runs)}\n")
    (args.output / f"{name}.md").write_text(summary)
    (args.output / f"{name}.json").write_text(json.dumps([r.__dict__ for r in runs], indent=1))
    if profiles:
        (args.output / f"{name}-profile.md").write_text(
            f"# Profiles of cqld, load benchmark {stamp}, commit {commit()}\n\n"
            "`perf record -e cpu-clock -F 999` on the server's process during one run per workload and target "
            "(one connection, concurrency 128); self time by shared object and symbol, entries of at least 1%.\n\n"
            + "\n".join(profiles))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
