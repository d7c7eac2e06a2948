#!/usr/bin/env bash
# A real single-node Apache Cassandra 5.0 for tests, run from Maven Central jars with the JDK 17.
#
#   cassandra.sh start      start a fresh node and wait until it serves CQL (no-op if already up)
#   cassandra.sh stop       SIGTERM (Cassandra drains), SIGKILL after 60 s
#   cassandra.sh kill       SIGKILL, as a crash (the cluster test kills a node mid-run)
#   cassandra.sh status     exit 0 if the node serves CQL
#   cassandra.sh nodetool ARGS...
#
# Environment: CASSANDRA_PORT (CQL, default 19042; storage port +1, JMX port +2),
# CASSANDRA_ADDRESS (default 127.0.0.1), CASSANDRA_SEEDS (default this node), CASSANDRA_JMX_PORT,
# CASSANDRA_TOKEN (its one token, default 0): cluster.sh sets these for the nodes of a cluster,
# CASSANDRA_AUTH=password (PasswordAuthenticator, superuser cassandra/cassandra; default AllowAll),
# CASSANDRA_TLS_DIR (client encryption with the PEM files tests/tls_certs.py makes there:
# server.pem/server.key, ca.pem as truststore), CASSANDRA_TLS_MODE (optional, the default: TLS and
# plaintext on the CQL port; required: TLS only), CASSANDRA_TLS_CLIENT_AUTH (false, true, optional),
# CASSANDRA_HEAP (default 1G), CASSANDRA_VERSION (default 5.0.8), CASSANDRA_START_TIMEOUT (s, default 300),
# CASSANDRA_COMMITLOG_SYNC (periodic, the default, every 10 s; batch: synced before each write is
# acknowledged).
# State (data, commit log, logs, pid) lives in run/<port>/ (run/<address>-<port>/ for an address
# other than 127.0.0.1) and is wiped on start.
# On 2 cores a node serves CQL 10-15 s after start (about 1.6 GB resident) and stops in about 7 s.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CQL_PORT="${CASSANDRA_PORT:-19042}"
ADDRESS="${CASSANDRA_ADDRESS:-127.0.0.1}"
STORAGE_PORT=$((CQL_PORT + 1))
JMX_PORT="${CASSANDRA_JMX_PORT:-$((CQL_PORT + 2))}"
SEEDS="${CASSANDRA_SEEDS:-$ADDRESS:$STORAGE_PORT}"
TOKEN="${CASSANDRA_TOKEN:-0}"
VERSION="${CASSANDRA_VERSION:-5.0.8}"
HEAP="${CASSANDRA_HEAP:-1G}"
TIMEOUT="${CASSANDRA_START_TIMEOUT:-300}"
if [ "$ADDRESS" = 127.0.0.1 ]; then RUN="$HERE/run/$CQL_PORT"; else RUN="$HERE/run/$ADDRESS-$CQL_PORT"; fi
CLASSPATH_FILE="$HERE/lib/classpath-$VERSION.txt"

log() { echo "cassandra.sh: $*" >&2; }

pid() { cat "$RUN/cassandra.pid" 2>/dev/null; }

alive() { local p; p="$(pid)" && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# Jars stay in Maven's local repository; only their classpath is written here.
resolve_jars() {
  [ -s "$CLASSPATH_FILE" ] && return
  mkdir -p "$HERE/lib"
  log "resolving cassandra-all $VERSION with Maven"
  mvn -B -ntp -q -Dstyle.color=never -f "$HERE/pom.xml" dependency:build-classpath \
    -Dcassandra.version="$VERSION" -Dmdep.outputFile="$CLASSPATH_FILE"
}

# True once the port answers a protocol v4 OPTIONS request with SUPPORTED (opcode 0x06); through
# TLS when the node takes TLS only.
serves_cql() {
  local reply
  if [ -n "${CASSANDRA_TLS_DIR:-}" ] && [ "${CASSANDRA_TLS_MODE:-optional}" = required ]; then
    # openssl ends on SIGPIPE once head has its 5 bytes: only the reply counts.
    reply="$( (printf "\x04\x00\x00\x00\x05\x00\x00\x00\x00"; sleep 2) |
      timeout 5 openssl s_client -quiet -connect "$ADDRESS:$CQL_PORT" -CAfile "$CASSANDRA_TLS_DIR/ca.pem" \
        -cert "$CASSANDRA_TLS_DIR/client.pem" -key "$CASSANDRA_TLS_DIR/client.key" 2>/dev/null |
      head -c 5 | od -An -tx1 || true)"
    [ "$(echo $reply)" = "84 00 00 00 06" ]
    return
  fi
  reply="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$2/$1" || exit 1
    printf "\x04\x00\x00\x00\x05\x00\x00\x00\x00" >&3
    head -c 5 <&3 | od -An -tx1' _ "$CQL_PORT" "$ADDRESS" 2>/dev/null)" || return 1
  [ "$(echo $reply)" = "84 00 00 00 06" ]
}

# client_encryption_options with Cassandra 5's PEM keystores: the keystore file holds the
# private key and the certificate chain.
write_tls_config() {
  local dir="$CASSANDRA_TLS_DIR" optional=true
  [ "${CASSANDRA_TLS_MODE:-optional}" = required ] && optional=false
  cat "$dir/server.key" "$dir/server.pem" > "$RUN/keystore.pem"
  cat >> "$RUN/cassandra.yaml" <<YAML
client_encryption_options:
  enabled: true
  optional: $optional
  ssl_context_factory:
    class_name: org.apache.cassandra.security.PEMBasedSslContextFactory
  keystore: $RUN/keystore.pem
  truststore: $dir/ca.pem
  require_client_auth: ${CASSANDRA_TLS_CLIENT_AUTH:-false}
  accepted_protocols: [TLSv1.2, TLSv1.3]
YAML
}

ready() {
  serves_cql || return 1
  [ "${CASSANDRA_AUTH:-}" != "password" ] || grep -q "Created default superuser role" "$RUN/logs/system.log"
}

write_config() {
  local authenticator=AllowAllAuthenticator authorizer=AllowAllAuthorizer
  if [ "${CASSANDRA_AUTH:-}" = "password" ]; then
    authenticator=PasswordAuthenticator authorizer=CassandraAuthorizer
  fi
  sed -e "s/@CQL_PORT@/$CQL_PORT/g" -e "s/@STORAGE_PORT@/$STORAGE_PORT/g" \
      -e "s/@ADDRESS@/$ADDRESS/g" -e "s/@SEEDS@/$SEEDS/g" -e "s/@TOKEN@/$TOKEN/g" \
      -e "s/@AUTHENTICATOR@/$authenticator/" -e "s/@AUTHORIZER@/$authorizer/" \
      "$HERE/conf/cassandra.yaml.in" > "$RUN/cassandra.yaml"
  if [ -n "${CASSANDRA_TLS_DIR:-}" ]; then write_tls_config; fi
  # Batch mode takes no period (Cassandra refuses one with it).
  if [ "${CASSANDRA_COMMITLOG_SYNC:-periodic}" = batch ]; then
    sed -i -e 's/^commitlog_sync: periodic$/commitlog_sync: batch/' -e '/^commitlog_sync_period:/d' "$RUN/cassandra.yaml"
  fi
}

start() {
  if alive; then
    log "already running (pid $(pid)) on $ADDRESS:$CQL_PORT"
    wait_ready
    return
  fi
  if serves_cql; then log "$ADDRESS:$CQL_PORT is already served by another process"; exit 1; fi
  command -v java >/dev/null || { log "java (JDK 17) not found"; exit 1; }
  resolve_jars
  rm -rf "$RUN"
  mkdir -p "$RUN/data" "$RUN/logs" "$RUN/tmp" "$RUN/triggers"
  write_config
  local jamm opts
  jamm="$(tr ':' '\n' < "$CLASSPATH_FILE" | grep '/jamm-' | head -n1)"
  mapfile -t opts < <(grep -v -e '^#' -e '^$' "$HERE/conf/jvm17.options")
  opts+=(
    "-Xms$HEAP" "-Xmx$HEAP" "-javaagent:$jamm"
    -XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$RUN/logs"
    "-Dcassandra.jmx.local.port=$JMX_PORT" -Dcom.sun.management.jmxremote.authenticate=false
    "-Dcassandra.config=file://$RUN/cassandra.yaml"
    "-Dcassandra.storagedir=$RUN/data" "-Dcassandra.logdir=$RUN/logs"
    "-Dlogback.configurationFile=$HERE/conf/logback.xml"
    "-Djava.io.tmpdir=$RUN/tmp" "-Djna.tmpdir=$RUN/tmp" "-Dcassandra.triggers_dir=$RUN/triggers"
  )
  log "starting Cassandra $VERSION on $ADDRESS:$CQL_PORT (auth: ${CASSANDRA_AUTH:-none}, TLS: ${CASSANDRA_TLS_DIR:+${CASSANDRA_TLS_MODE:-optional}}, heap $HEAP)"
  SECONDS=0
  nohup java "${opts[@]}" -cp "$(cat "$CLASSPATH_FILE")" org.apache.cassandra.service.CassandraDaemon \
    > "$RUN/logs/stdout.log" 2>&1 < /dev/null &
  echo $! > "$RUN/cassandra.pid"
  wait_ready
  log "serving CQL on $ADDRESS:$CQL_PORT after ${SECONDS}s (pid $(pid), logs in $RUN/logs)"
}

wait_ready() {
  local deadline=$((SECONDS + TIMEOUT))
  until ready; do
    if ! alive; then log "Cassandra exited:"; tail -n 60 "$RUN/logs/stdout.log" >&2; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then log "not serving CQL after ${TIMEOUT}s"; exit 1; fi
    sleep 1
  done
}

stop() {
  alive || { log "not running on $ADDRESS:$CQL_PORT"; return; }
  local p; p="$(pid)"
  kill -TERM "$p"
  for _ in $(seq 60); do
    kill -0 "$p" 2>/dev/null || { log "stopped (pid $p)"; rm -f "$RUN/cassandra.pid"; return; }
    sleep 1
  done
  log "still running after 60s, SIGKILL"
  kill -KILL "$p"
  rm -f "$RUN/cassandra.pid"
}

kill_node() {
  alive || { log "not running on $ADDRESS:$CQL_PORT"; return 1; }
  local p; p="$(pid)"
  kill -KILL "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  rm -f "$RUN/cassandra.pid"
  log "killed (pid $p) on $ADDRESS:$CQL_PORT"
}

status() {
  if alive && ready; then log "serving CQL on $ADDRESS:$CQL_PORT (pid $(pid))"; return; fi
  if alive; then log "starting (pid $(pid))"; else log "not running on $ADDRESS:$CQL_PORT"; fi
  return 1
}

nodetool() {
  resolve_jars
  local opts
  mapfile -t opts < <(grep -e '^--add-' -e '^-Djdk.attach' "$HERE/conf/jvm17.options")
  exec java -Xmx128m "${opts[@]}" "-Dlogback.configurationFile=$HERE/conf/logback-tools.xml" \
    -cp "$(cat "$CLASSPATH_FILE")" org.apache.cassandra.tools.NodeTool -h 127.0.0.1 -p "$JMX_PORT" "$@"
}

case "${1:-}" in
  start | stop | status) "$1" ;;
  kill) kill_node ;;
  nodetool) shift; nodetool "$@" ;;
  *) echo "usage: $0 start|stop|kill|status|nodetool ARGS..." >&2; exit 2 ;;
esac
