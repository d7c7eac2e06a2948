"""The pending list and the list of deliberate differences: case ids grouped under a reason.

# free comment
## reason shared by the ids below
file:case
file:case
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

GROUP_PREFIX = "## "
UNTRIAGED = "UNTRIAGED: failing cases not yet given a reason (move each to a group that says why)"


@dataclass
class Group:
    reason: str
    ids: list[str] = field(default_factory=list)


@dataclass
class CaseList:
    path: Path
    header: list[str]
    groups: list[Group]

    def reasons(self) -> dict[str, str]:
        return {case_id: g.reason for g in self.groups for case_id in g.ids}


def load(path: Path) -> CaseList:
    header: list[str] = []
    groups: list[Group] = []
    if not path.exists():
        return CaseList(path, header, groups)
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if line.startswith(GROUP_PREFIX):
            groups.append(Group(line[len(GROUP_PREFIX) :].strip()))
        elif not stripped or stripped.startswith("#"):
            if not groups:
                header.append(line)
        elif not groups:
            raise ValueError(f"{path}:{n}: case id {stripped!r} before any '## reason' line")
        elif stripped in seen:
            raise ValueError(f"{path}:{n}: case id {stripped!r} is listed twice")
        else:
            seen.add(stripped)
            groups[-1].ids.append(stripped)
    return CaseList(path, header, groups)


def save(cl: CaseList) -> None:
    out = list(cl.header)
    while out and not out[-1].strip():
        out.pop()
    for g in cl.groups:
        out.append("")
        out.append(GROUP_PREFIX + g.reason)
        out.extend(g.ids)
    cl.path.write_text("\n".join(out) + "\n", encoding="utf-8")


def update(cl: CaseList, failing: list[str], ran: set[str]) -> list[str]:
    """Makes the list match a run: ids that ran and passed leave, new failures join the UNTRIAGED group.

    Ids of cases that did not run stay as they are. Returns a line for every id or reason removed, so that no
    reason disappears unseen.
    """
    notes: list[str] = []
    listed: set[str] = set()
    failing_set = set(failing)
    for g in cl.groups:
        kept = []
        for case_id in g.ids:
            listed.add(case_id)
            if case_id in ran and case_id not in failing_set:
                notes.append(f"now passes, removed: {case_id}  ({g.reason})")
            else:
                kept.append(case_id)
        g.ids = kept
    for g in [g for g in cl.groups if not g.ids]:
        notes.append(f"group emptied, reason removed: {g.reason}")
    cl.groups = [g for g in cl.groups if g.ids]
    new = [case_id for case_id in failing if case_id not in listed]
    if new:
        untriaged = next((g for g in cl.groups if g.reason == UNTRIAGED), None)
        if untriaged is None:
            untriaged = Group(UNTRIAGED)
            cl.groups.append(untriaged)
        untriaged.ids.extend(new)
        notes.append(f"{len(new)} new failing case(s) added under UNTRIAGED")
    return notes
