#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora, and the prepare target's fixed schema (schema.cql).

Seeds come from what real clients send: the CQL statements of the conformance cases
(tests/conformance/cases) and the requests of the recorded driver sessions
(shared/reference/clients/trace-*.log). Run by `make fuzz` and `make fuzz-smoke`:

    seeds.py OUT_DIR            seeds into OUT_DIR/<target>/
    seeds.py --schema FILE      the DDL of every case file, each in a keyspace of its own
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = ROOT / "tests" / "conformance" / "cases"
TRACE_DIRS = [ROOT.parent / "shared" / "reference" / "clients", ROOT / "shared" / "reference" / "clients"]
sys.path.insert(0, str(ROOT / "tests" / "conformance"))
import casefile  # noqa: E402

REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}"
DDL = re.compile(r"^\s*(CREATE|ALTER|DROP)\s+(TABLE|TYPE|INDEX|CUSTOM\s+INDEX|COLUMNFAMILY)\b", re.I)

OPCODES = {"STARTUP": 0x01, "AUTH_RESPONSE": 0x0F, "OPTIONS": 0x05, "QUERY": 0x07, "PREPARE": 0x09,
           "EXECUTE": 0x0A, "BATCH": 0x0D, "REGISTER": 0x0B}
# The request target's first byte indexes this order (request_fuzz.cc).
REQUEST_ORDER = ["STARTUP", "AUTH_RESPONSE", "OPTIONS", "QUERY", "PREPARE", "EXECUTE", "BATCH", "REGISTER"]


def short(n: int) -> bytes:
    return struct.pack(">H", n)


def string(s: str) -> bytes:
    b = s.encode()
    return short(len(b)) + b


def long_string(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">i", len(b)) + b


def string_map(m: dict[str, str]) -> bytes:
    return short(len(m)) + b"".join(string(k) + string(v) for k, v in m.items())


def string_list(items: list[str]) -> bytes:
    return short(len(items)) + b"".join(string(i) for i in items)


def query_params(consistency: int = 1, flags: int = 0, values: list[bytes] | None = None) -> bytes:
    out = short(consistency)
    if values:
        flags |= 0x01
    out += bytes([flags])
    if values:
        out += short(len(values)) + b"".join(struct.pack(">i", len(v)) + v for v in values)
    if flags & 0x04:
        out += struct.pack(">i", 100)
    return out


def frame(opcode: str, body: bytes, stream: int = 0, version: int = 4, flags: int = 0) -> bytes:
    return struct.pack(">BBhBi", version, flags, stream, OPCODES[opcode], len(body)) + body


def startup() -> bytes:
    return string_map({"CQL_VERSION": "3.4.5"})


def case_files() -> list[casefile.CaseFile]:
    return [casefile.parse(p) for p in sorted(CASES.glob("*.test"))]


def keyspace_for(cf: casefile.CaseFile) -> str:
    return "ks_" + cf.path.stem


def statements(cf: casefile.CaseFile) -> list[str]:
    ks = keyspace_for(cf)
    return [c.statement.replace("{ks}", ks) for c in cf.cases]


def schema_script() -> str:
    lines = ["-- The fixed schema of the prepare fuzz target: the tables, types and indexes of every",
             "-- conformance case file, each in a keyspace of its own. Written by seeds.py --schema.", ""]
    for cf in case_files():
        ks = keyspace_for(cf)
        lines.append(f"CREATE KEYSPACE {ks} WITH replication = {REPLICATION};")
        lines.append(f"USE {ks};")
        lines += [s.rstrip(";") + ";" for s in statements(cf) if DDL.match(s)]
        lines.append("")
    return "\n".join(lines)


def parse_trace_line(line: str):
    """('conn4', opcode, stream, version, payload) for a request line of a trace, else None."""
    m = re.match(r"^(\S+) v=0x([0-9a-f]+) flags=0x([0-9a-f]+) stream=(-?\d+) (\w+) ?(.*)$", line)
    if not m or m.group(5) not in OPCODES:
        return None
    conn, version, _flags, stream, opcode, rest = m.groups()
    return conn, opcode, int(stream), int(version, 16), rest


def trace_body(opcode: str, rest: str) -> bytes:
    if opcode == "STARTUP":
        return string_map(json.loads(rest))
    if opcode == "REGISTER":
        return string_list(json.loads(rest))
    if opcode == "QUERY":
        m = re.match(r"^(.*) cl=(\d+) flags=0x([0-9a-f]+)", rest)
        text = ast.literal_eval(m.group(1)) if m else rest
        flags = int(m.group(3), 16) if m else 0
        return long_string(text) + query_params(int(m.group(2)) if m else 1, flags & 0x04)
    return b""


def trace_connections() -> list[list[bytes]]:
    connections: dict[str, list[bytes]] = {}
    for d in TRACE_DIRS:
        for path in sorted(d.glob("trace-*.log")):
            for line in path.read_text().splitlines():
                parsed = parse_trace_line(line)
                if parsed:
                    conn, opcode, stream, version, rest = parsed
                    body = trace_body(opcode, rest)
                    connections.setdefault(f"{path.name}:{conn}", []).append(
                        (opcode, frame(opcode, body, stream, version), body))
        if connections:
            break
    return list(connections.values())


def case_sessions(cf: casefile.CaseFile, chunk: int = 25) -> list[bytes]:
    """Whole connections running a case file: STARTUP, its keyspace and DDL, then a chunk of its
    other statements (a few dozen statements keep each execution of the session target short)."""
    ks = keyspace_for(cf)
    texts = statements(cf)
    ddl = [t for t in texts if DDL.match(t)]
    rest = [t for t in texts if not DDL.match(t)] or [""]
    sessions = []
    for start in range(0, len(rest), chunk):
        out = frame("STARTUP", startup(), 0)
        out += frame("REGISTER", string_list(["SCHEMA_CHANGE"]), 1)
        setup = [f"CREATE KEYSPACE {ks} WITH replication = {REPLICATION}", f"USE {ks}"] + ddl
        for i, text in enumerate(setup + rest[start:start + chunk]):
            if text:
                out += frame("QUERY", long_string(text) + query_params(), 2 + i)
        sessions.append(out)
    return sessions


def prepared_session() -> bytes:
    """PREPARE, EXECUTE with values and paging, and a BATCH of prepared and text statements."""
    ks = "ks_fuzz"
    out = frame("STARTUP", startup())
    for text in [f"CREATE KEYSPACE {ks} WITH replication = {REPLICATION}", f"USE {ks}",
                 "CREATE TABLE t (p int, c int, v text, PRIMARY KEY (p, c))"]:
        out += frame("QUERY", long_string(text) + query_params(), 1)
    insert = "INSERT INTO t (p, c, v) VALUES (?, ?, ?)"
    out += frame("PREPARE", long_string(insert), 2)
    insert_id = hashlib.md5((ks + insert).encode()).digest()
    values = [struct.pack(">i", 1), struct.pack(">i", 2), b"x"]
    out += frame("EXECUTE", short(16) + insert_id + query_params(values=values), 3)
    batch = bytes([0]) + short(2)
    batch += bytes([1]) + short(16) + insert_id + short(3) + b"".join(struct.pack(">i", len(v)) + v for v in values)
    batch += bytes([0]) + long_string("INSERT INTO t (p, c, v) VALUES (1, 3, 'y')") + short(0)
    batch += short(1) + bytes([0])
    out += frame("BATCH", batch, 4)
    select = "SELECT * FROM t WHERE p = ?"
    out += frame("PREPARE", long_string(select), 5)
    select_id = hashlib.md5((ks + select).encode()).digest()
    out += frame("EXECUTE", short(16) + select_id + query_params(flags=0x04, values=[struct.pack(">i", 1)]), 6)
    return out


def write(out: Path, target: str, name: str, data: bytes) -> None:
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def write_seeds(out: Path) -> None:
    files = case_files()
    for cf in files:
        ks = keyspace_for(cf)
        for i, text in enumerate(statements(cf)):
            name = f"{cf.path.stem}-{i:04d}"
            write(out, "parser", name, text.encode())
            write(out, "prepare", name, f"{ks}\n{text}".encode())
            write(out, "request", name, bytes([REQUEST_ORDER.index("QUERY"), 0, 0]) + long_string(text) + query_params())
            write(out, "request", name + "-prepare", bytes([REQUEST_ORDER.index("PREPARE"), 0, 0]) + long_string(text))
        for i, session in enumerate(case_sessions(cf)):
            write(out, "session", f"{cf.path.stem}-{i:02d}", session)
            write(out, "frame", f"{cf.path.stem}-{i:02d}", session)
    for d in TRACE_DIRS:
        cqlengine = d / "cqlengine-statements.txt"
        if cqlengine.exists():
            for i, line in enumerate(cqlengine.read_text().splitlines()):
                if line.strip() and not line.startswith("#"):
                    write(out, "parser", f"cqlengine-{i:04d}", line.encode())
            break
    for n, connection in enumerate(trace_connections()):
        stream = b"".join(f for _, f, _ in connection)
        write(out, "frame", f"trace-{n:02d}", stream)
        write(out, "session", f"trace-{n:02d}", stream)
        for i, (opcode, _, body) in enumerate(connection):
            write(out, "request", f"trace-{n:02d}-{i:03d}", bytes([REQUEST_ORDER.index(opcode), 0, 0]) + body)
    prepared = prepared_session()
    write(out, "session", "prepared", prepared)
    write(out, "frame", "prepared", prepared)
    for target in ("value", "storage"):
        write(out, target, "empty", b"")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--schema", type=Path)
    args = parser.parse_args()
    if args.schema:
        args.schema.write_text(schema_script())
    if args.out:
        write_seeds(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
