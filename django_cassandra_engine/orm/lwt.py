"""Lightweight transactions whose outcome Cassandra could not tell.

A Paxos round whose proposal reached some replicas but not a quorum (contention, more likely
with a replica down, when every live replica must accept) ends in CAS_WRITE_UNKNOWN (error
0x1700, which the driver raises as a bare ErrorMessage) or in a WriteTimeout of type CAS: the
change may or may not have been applied, and a later round may still complete it. So such a
statement is sent again only where that is harmless: serial reads (they change nothing), and
transactions whose retry recognizes its own earlier success (a unique value's claim names its
owner) or whose double effect is harmless (a sequence block skipped leaves a gap). Elsewhere
the error reaches the caller as an OperationalError, as an unknown commit outcome does on
other databases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cassandra import WriteTimeout
from cassandra.policies import WriteType
from cassandra.protocol import ErrorMessage

CAS_WRITE_UNKNOWN = 0x1700
# Rounds of a harmless-to-repeat transaction before its unknown outcome reaches the caller.
ATTEMPTS = 10

T = TypeVar("T")


def outcome_unknown(exc: BaseException) -> bool:
    """True if ``exc`` says a lightweight transaction may or may not have been applied."""
    if isinstance(exc, WriteTimeout):
        return exc.write_type == WriteType.CAS
    return isinstance(exc, ErrorMessage) and getattr(exc, "code", None) == CAS_WRITE_UNKNOWN


def repeating(statement: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``statement()``, sent again while its outcome is unknown (only for statements that may
    be repeated, see above)."""
    for _ in range(attempts - 1):
        try:
            return statement()
        except Exception as exc:
            if not outcome_unknown(exc):
                raise
    return statement()
