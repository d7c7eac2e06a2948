#!/usr/bin/env bash
# The Django backend's suite (tests/django) against a 3-node Cassandra cluster (cluster.sh), every
# keyspace at replication factor 3 and every request at QUORUM, with one node killed (SIGKILL)
# while the suite runs: with two replicas of three up, QUORUM still answers and the suite must
# still pass (with several hosts the test settings also retry reads that time out before the
# dead node is convicted: django_cassandra_engine.policies.RetryReads). The cluster is stopped
# afterwards, also when the suite fails; the run fails if the suite ended before the kill.
#
# Environment: PYTHON (the Django venv's python), CLUSTER_PORT (default 19742), CLUSTER_KILL_NODE
# (default 2), CLUSTER_KILL_AFTER (seconds into the suite, default 60), PYTEST_ARGS.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLUSTER="$HERE/cluster.sh"
PYTHON="${PYTHON:?set PYTHON to the python of a Django venv}"
PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"  # the venv's own, not its target
KILL_NODE="${CLUSTER_KILL_NODE:-2}"
KILL_AFTER="${CLUSTER_KILL_AFTER:-60}"
export CLUSTER_PORT="${CLUSTER_PORT:-19742}"

trap '"$CLUSTER" stop' EXIT
"$CLUSTER" start || exit 1

cd "$ROOT/tests/django"
CQL_TARGET=cassandra CASSANDRA_HOST="$("$CLUSTER" hosts)" CASSANDRA_PORT="$CLUSTER_PORT" \
  CASSANDRA_REPLICATION_FACTOR=3 CASSANDRA_CONSISTENCY=QUORUM \
  "$PYTHON" -m pytest -q -rfEs ${PYTEST_ARGS:-} &
suite=$!

SECONDS=0
for _ in $(seq "$KILL_AFTER"); do kill -0 "$suite" 2>/dev/null || break; sleep 1; done
killed=
if kill -0 "$suite" 2>/dev/null; then
  "$CLUSTER" kill "$KILL_NODE" && killed=1
  echo "test-cluster.sh: node $KILL_NODE killed ${SECONDS}s into the suite"
  # Until the failure detector convicts it, the other nodes still send it requests (a read may
  # time out then: the suite's RetryReads policy sends it again).
  killed_at=$SECONDS
  for _ in $(seq 60); do
    if "$CLUSTER" status 2>/dev/null | grep -q "^DN  127.0.0.$KILL_NODE "; then
      echo "test-cluster.sh: node 1 sees node $KILL_NODE down $((SECONDS - killed_at))s after the kill"
      break
    fi
    sleep 1
  done
  "$CLUSTER" status | grep -E '^(UN|DN)' || true
fi
wait "$suite"
status=$?
echo "test-cluster.sh: the suite exited with $status after ${SECONDS}s"
if [ -z "$killed" ]; then
  echo "test-cluster.sh: the suite ended before node $KILL_NODE could be killed (CLUSTER_KILL_AFTER=$KILL_AFTER)" >&2
  status=1
fi
exit $status
