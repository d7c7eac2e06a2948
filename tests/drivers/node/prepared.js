// Connects with the DataStax Node.js driver and runs a prepared insert and select, a batch of
// prepared inserts and a paged read. Usage: node prepared.js HOST PORT KEYSPACE [USER PASSWORD];
// prints what it read, and the protocol version it negotiated, as JSON.
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

    await client.execute("CREATE TABLE items (id int, seq int, PRIMARY KEY (id, seq))");
    const queries = [];
    for (let seq = 0; seq < 30; seq++) {
      queries.push({ query: "INSERT INTO items (id, seq) VALUES (?, ?)", params: [1, seq] });
    }
    await client.batch(queries, { prepare: true });
    let pages = 0;
    let paged = 0;
    let pageState;
    do {
      const page = await client.execute("SELECT seq FROM items WHERE id = ?", [1], {
        prepare: true, fetchSize: 8, pageState,
      });
      pages++;
      paged += page.rows.length;
      pageState = page.pageState;
    } while (pageState);

    console.log(JSON.stringify({
      connectedHosts: client.getState().getConnectedHosts().length,
      protocolVersion: client.controlConnection.protocolVersion,
      rows,
      pages,
      paged,
    }));
  } finally {
    await client.shutdown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
