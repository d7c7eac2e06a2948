#!/usr/bin/env bash
# A 3-node Apache Cassandra 5.0 cluster on loopback addresses (127.0.0.1, .2, .3), each node
# run by cassandra.sh from the same jars, one token each (evenly spaced), node 1 the seed.
#
#   cluster.sh start         start the nodes one after another; wait until all three are up (UN)
#   cluster.sh stop          stop every node
#   cluster.sh kill N        SIGKILL node N (1-3)
#   cluster.sh status        nodetool status, as node 1 sees the ring
#   cluster.sh hosts         the nodes' addresses, comma-separated (for CASSANDRA_HOST)
#
# Environment: CLUSTER_PORT (the CQL port of every node, default 19742; storage port +1; node N's
# JMX port is +1+N), CASSANDRA_HEAP (default 768M per node). Each node takes about 1.2 GB resident.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PORT="${CLUSTER_PORT:-19742}"
NODES=3
# Murmur3 tokens spaced 2^64/3 apart, so each node owns a third of the ring.
TOKENS=(-9223372036854775808 -3074457345618258603 3074457345618258602)
export CASSANDRA_HEAP="${CASSANDRA_HEAP:-768M}"

node() {  # node N COMMAND: runs cassandra.sh COMMAND for node N
  local n=$1; shift
  CASSANDRA_ADDRESS="127.0.0.$n" CASSANDRA_PORT="$PORT" CASSANDRA_JMX_PORT=$((PORT + 1 + n)) \
    CASSANDRA_SEEDS="127.0.0.1:$((PORT + 1))" CASSANDRA_TOKEN="${TOKENS[n - 1]}" \
    "$HERE/cassandra.sh" "$@"
}

hosts() { local n out=; for n in $(seq $NODES); do out+="${out:+,}127.0.0.$n"; done; echo "$out"; }

up_count() { node 1 nodetool status 2>/dev/null | grep -c '^UN' || true; }

start() {
  local n
  for n in $(seq $NODES); do node "$n" start; done
  SECONDS=0
  until [ "$(up_count)" -eq "$NODES" ]; do
    if [ $SECONDS -ge 180 ]; then echo "cluster.sh: not all $NODES nodes up after 180s" >&2; node 1 nodetool status >&2 || true; exit 1; fi
    sleep 2
  done
  echo "cluster.sh: $NODES nodes up on $(hosts), CQL port $PORT" >&2
}

stop() { local n; for n in $(seq $NODES); do node "$n" stop || true; done; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill) node "${2:?usage: cluster.sh kill N}" kill ;;
  status) node 1 nodetool status ;;
  hosts) hosts ;;
  *) echo "usage: $0 start|stop|kill N|status|hosts" >&2; exit 2 ;;
esac
