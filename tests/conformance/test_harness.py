"""Checks of the conformance harness itself: case files are canonical, values render as documented, and the
pending list keeps its reasons. Run with: .venv/bin/pytest tests/conformance/test_harness.py"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from cassandra import cqltypes

import casefile
import caselists
import render

CASES = sorted((Path(__file__).parent / "cases").glob("*.test"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_file_is_canonical_and_recorded(path: Path) -> None:
    cf = casefile.parse(path)
    assert casefile.format_file(cf) == path.read_text(encoding="utf-8")
    assert cf.recorded_with and cf.recorded_with.startswith("Apache Cassandra ")
    assert all(case.expected for case in cf.cases)


def test_suite_has_enough_cases() -> None:
    assert sum(len(casefile.parse(p).cases) for p in CASES) >= 500


@pytest.mark.parametrize(
    ("typ", "data", "text"),
    [
        (cqltypes.Int32Type, b"\x80\x00\x00\x00", "-2147483648"),
        (cqltypes.Int32Type, b"", "empty"),
        (cqltypes.Int32Type, None, "null"),
        (cqltypes.UTF8Type, b"it's\n", "'it''s\\n'"),
        (cqltypes.UTF8Type, b"", "''"),
        (cqltypes.FloatType, struct.pack(">f", 1.1), "1.1"),
        (cqltypes.FloatType, struct.pack(">f", float("nan")), "NaN"),
        (cqltypes.DoubleType, struct.pack(">d", float("-inf")), "-Infinity"),
        (cqltypes.DoubleType, struct.pack(">d", -0.0), "-0.0"),
        (cqltypes.DecimalType, b"\x00\x00\x00\x02\x04\xe2", "12.50"),
        (cqltypes.DateType, struct.pack(">q", 1704164645678), "2024-01-02T03:04:05.678Z"),
        (cqltypes.SimpleDateType, struct.pack(">I", 2**31), "1970-01-01"),
        (cqltypes.TimeType, struct.pack(">q", 6), "00:00:00.000000006"),
        (cqltypes.DurationType, b"\x02\x04\x06", "1mo2d3ns"),
        (cqltypes.BytesType, b"\xca\xfe", "0xcafe"),
        (cqltypes.Int32Type, b"\x01", "<bad int 0x01: expected 4 bytes>"),
    ],
)
def test_value_rendering(typ: type, data: bytes | None, text: str) -> None:
    assert render.value(typ, data) == text


def test_vector_rendering() -> None:
    floats = cqltypes.lookup_casstype("org.apache.cassandra.db.marshal.VectorType(FloatType,2)")
    texts = cqltypes.lookup_casstype("org.apache.cassandra.db.marshal.VectorType(UTF8Type,2)")
    lists = cqltypes.lookup_casstype(
        "org.apache.cassandra.db.marshal.VectorType("
        "org.apache.cassandra.db.marshal.FrozenType(org.apache.cassandra.db.marshal.ListType(Int32Type)),1)"
    )
    assert render.value(floats, struct.pack(">ff", 1.5, -2.0)) == "[1.5, -2.0]"
    assert render.value(texts, b"\x01a\x00") == "['a', '']"
    assert render.type_name(lists) == "vector<frozen<list<int>>, 1>"
    assert render.value(lists, b"\x0c" + struct.pack(">iii", 1, 4, 7)) == "[[7]]"
    counters = cqltypes.lookup_casstype("org.apache.cassandra.db.marshal.VectorType(CounterColumnType,1)")
    assert render.value(counters, b"\x08" + struct.pack(">q", -3)) == "[-3]"
    assert render.value(texts, b"\x05a") == "<bad vector<text, 2> 0x0561: truncated element>"


def test_pending_update_keeps_reasons(tmp_path: Path) -> None:
    path = tmp_path / "pending.txt"
    path.write_text("# header\n\n## reason A\nf:a1\nf:a2\n\n## reason B\nf:b1\ng:untouched\n")
    cl = caselists.load(path)
    notes = caselists.update(cl, failing=["f:a2", "f:new"], ran={"f:a1", "f:a2", "f:b1", "f:new"})
    caselists.save(cl)
    assert caselists.load(path).reasons() == {
        "f:a2": "reason A",
        "g:untouched": "reason B",
        "f:new": caselists.UNTRIAGED,
    }
    assert any("f:a1" in n and "reason A" in n for n in notes)
    assert any("f:b1" in n and "reason B" in n for n in notes)


def test_pending_update_reports_emptied_group(tmp_path: Path) -> None:
    path = tmp_path / "pending.txt"
    path.write_text("## gone\nf:x\n")
    cl = caselists.load(path)
    notes = caselists.update(cl, failing=[], ran={"f:x"})
    assert cl.groups == []
    assert "group emptied, reason removed: gone" in notes
