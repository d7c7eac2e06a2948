// Connects with the DataStax Node.js driver over TLS (sslOptions) and reads system.local.
// Usage: node tls.js HOST PORT CA_FILE [CLIENT_CERT CLIENT_KEY]; prints the key read and the
// TLS version as JSON. CQL_USERNAME and CQL_PASSWORD, when set, log in with PlainTextAuthProvider
// (from the environment, so that no password shows in the process list).
"use strict";
const fs = require("fs");
const cassandra = require("cassandra-driver");

async function main() {
  const [host, port, ca, cert, key] = process.argv.slice(2);
  const sslOptions = {
    ca: [fs.readFileSync(ca)],
    rejectUnauthorized: true,
    ...(cert ? { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } : {}),
  };
  const username = process.env.CQL_USERNAME;
  const client = new cassandra.Client({
    contactPoints: [`${host}:${port}`],
    localDataCenter: "datacenter1",
    sslOptions,
    ...(username
      ? { authProvider: new cassandra.auth.PlainTextAuthProvider(username, process.env.CQL_PASSWORD || "") }
      : {}),
  });
  try {
    await client.connect();
    const result = await client.execute("SELECT key FROM system.local");
    const connection = client.hosts.values()[0].pool.connections[0];
    console.log(JSON.stringify({ key: result.rows[0].key, protocol: connection.netClient.getProtocol() }));
  } finally {
    await client.shutdown();
  }
}

main().catch((error) => {
  console.error(error.name + ": " + error.message);
  process.exit(1);
});
