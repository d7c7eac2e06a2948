"""Reading and writing case files (the format is described in README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CASE_PREFIX = "=== "
EXPECTED_PREFIX = "---"
RECORDED_WITH = "# recorded-with:"
_NAME = re.compile(r"^[a-z0-9_][a-z0-9_.-]*$")
_FLAG = re.compile(r"^(unordered|code-only|fetch=[1-9][0-9]*|as=[^\s:]+:\S+)$")


class FormatError(Exception):
    pass


@dataclass
class Case:
    name: str
    flags: list[str]
    statement: str
    expected: list[str] | None  # first line is the kind ("rows", "void", "error Code: msg", ...)
    comments: list[str] = field(default_factory=list)  # comment lines just above the case

    @property
    def unordered(self) -> bool:
        return "unordered" in self.flags

    @property
    def code_only(self) -> bool:
        return "code-only" in self.flags

    @property
    def login(self) -> tuple[str, str] | None:
        """The role and password of an `as=ROLE:PASSWORD` flag: the case runs on a session logged in as it."""
        for f in self.flags:
            if f.startswith("as="):
                role, password = f[3:].split(":", 1)
                return role, password
        return None

    @property
    def fetch_size(self) -> int | None:
        for f in self.flags:
            if f.startswith("fetch="):
                return int(f.split("=", 1)[1])
        return None


@dataclass
class CaseFile:
    path: Path
    header: list[str]  # comment lines before the first case
    cases: list[Case]
    trailer: list[str]  # comment lines after the last case

    @property
    def recorded_with(self) -> str | None:
        for line in self.header:
            if line.startswith(RECORDED_WITH):
                return line[len(RECORDED_WITH) :].strip()
        return None

    def set_recorded_with(self, version: str) -> None:
        line = f"{RECORDED_WITH} {version}"
        for i, old in enumerate(self.header):
            if old.startswith(RECORDED_WITH):
                self.header[i] = line
                return
        self.header.insert(1 if self.header else 0, line)


def parse(path: Path) -> CaseFile:
    lines = path.read_text(encoding="utf-8").splitlines()
    header: list[str] = []
    cases: list[Case] = []
    pending: list[str] = []  # comment lines waiting for the next case
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(CASE_PREFIX):
            case, i = _parse_case(path, lines, i)
            case.comments = _trim(pending)
            pending = []
            cases.append(case)
            continue
        if line.strip() and not line.startswith("#"):
            raise FormatError(f"{path}:{i + 1}: expected a comment or '=== name', got {line!r}")
        if cases:
            pending.append(line)
        else:
            header.append(line)
        i += 1
    _check_names(path, cases)
    return CaseFile(path, _trim(header), cases, _trim(pending))


def _parse_case(path: Path, lines: list[str], i: int) -> tuple[Case, int]:
    words = lines[i][len(CASE_PREFIX) :].split()
    if not words or not _NAME.match(words[0]):
        raise FormatError(f"{path}:{i + 1}: a case needs a name of [a-z0-9_.-]")
    for flag in words[1:]:
        if not _FLAG.match(flag):
            raise FormatError(f"{path}:{i + 1}: unknown flag {flag!r}")
    i += 1
    statement: list[str] = []
    while i < len(lines) and not _is_expected(lines[i]) and not lines[i].startswith(CASE_PREFIX):
        statement.append(lines[i])
        i += 1
    text = "\n".join(_trim(statement))
    if not text:
        raise FormatError(f"{path}:{i}: case {words[0]!r} has no statement")
    expected = None
    if i < len(lines) and _is_expected(lines[i]):
        expected = [lines[i][len(EXPECTED_PREFIX) :].strip()]
        i += 1
        while i < len(lines) and lines[i].strip() and not lines[i].startswith(("#", CASE_PREFIX)):
            expected.append(lines[i])
            i += 1
    return Case(words[0], words[1:], text, expected), i


def _is_expected(line: str) -> bool:
    return line == EXPECTED_PREFIX or line.startswith(EXPECTED_PREFIX + " ")


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _check_names(path: Path, cases: list[Case]) -> None:
    seen: set[str] = set()
    for case in cases:
        if case.name in seen:
            raise FormatError(f"{path}: case name {case.name!r} is used twice")
        seen.add(case.name)


def format_file(cf: CaseFile) -> str:
    out: list[str] = list(cf.header)
    for case in cf.cases:
        out.append("")
        out.extend(case.comments)
        out.append(" ".join([CASE_PREFIX.strip(), case.name, *case.flags]))
        out.extend(case.statement.split("\n"))
        if case.expected is not None:
            out.append(f"{EXPECTED_PREFIX} {case.expected[0]}".rstrip())
            out.extend(case.expected[1:])
    if cf.trailer:
        out.append("")
        out.extend(cf.trailer)
    return "\n".join(out) + "\n"


def write(cf: CaseFile) -> None:
    cf.path.write_text(format_file(cf), encoding="utf-8")
