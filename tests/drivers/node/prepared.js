// Connects with the DataStax Node.js driver and runs a prepared insert and select.
// Usage: node prepared.js HOST PORT KEYSPACE [USER PASSWORD]; prints the rows read as JSON.
"use strict";
const cassandra = require("cassandra-driver");

async function main() {
  const [host, port, keyspace, user, password] = process.argv.slice(2);
  const client = new cassandra.Client({
    contactPoints: [`${host}:${port}`],
    localDataCenter: "datacenter1",
    keyspace,
    ...(user ? { credentials: { username: user, password } } : {}),
  });
  try {
    await client.connect();
    await client.execute("CREATE TABLE users (id int PRIMARY KEY, name text, tags list<text>)");
    const insert = "INSERT INTO users (id, name, tags) VALUES (?, ?, ?)";
    for (const [id, name] of [[1, "ada"], [2, "grace"]]) {
      await client.execute(insert, [id, name, [name, "x"]], { prepare: true });
    }
    const result = await client.execute("SELECT id, name, tags FROM users WHERE id IN (?, ?)", [1, 2], {
      prepare: true,
    });
    const rows = result.rows.map((row) => ({ id: row.id, name: row.name, tags: row.tags }));
    console.log(JSON.stringify({ connectedHosts: client.getState().getConnectedHosts().length, rows }));
  } finally {
    await client.shutdown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
