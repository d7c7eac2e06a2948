"""The `nodetool` command installed with the package: Cassandra's nodetool commands (status, info,
flush, compact, tablestats, describecluster, snapshot, drain, ...) against a running cqld, through
the cqld binary the package holds (`cqld nodetool`). Against a Cassandra node, use Cassandra's own
nodetool: this one speaks only to cqld's nodetool port."""

from __future__ import annotations

import os
import sys

from django_cassandra_engine.embedded import EmbeddedServerError, find_binary


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        binary = find_binary()
    except EmbeddedServerError as error:
        print(f"nodetool: {error}", file=sys.stderr)
        return 1
    os.execv(binary, [binary, "nodetool", *args])
    return 1  # not reached: execv replaces the process


if __name__ == "__main__":
    sys.exit(main())
