package cqld;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Connects with the DataStax Java driver 4.x, lets it negotiate the protocol version, and runs
 * prepared statements, a logged batch of prepared inserts, paging and a value larger than one v5
 * segment. Usage: DriverCheck HOST PORT KEYSPACE COMPRESSION(none|lz4) [USER PASSWORD]. Prints
 * one JSON line of what it saw; the Python test asserts on it.
 */
public final class DriverCheck {
  private static final int ROWS = 50;
  private static final int PAGE_SIZE = 7;
  private static final int LARGE_VALUE = 300_000;  // more than two 128 KiB segments

  private static final long START = System.nanoTime();

  // Phase timings on stderr, so a slow run shows where it waited.
  private static void phase(String name) {
    System.err.printf("%6d ms %s%n", (System.nanoTime() - START) / 1_000_000, name);
  }

  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String keyspace = args[2];
    String compression = args[3];
    String table = "java_items_" + compression;
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withString(DefaultDriverOption.PROTOCOL_COMPRESSION, compression)
        .build();
    CqlSessionBuilder builder = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(host, port))
        .withLocalDatacenter("datacenter1")
        .withKeyspace(keyspace)
        .withConfigLoader(config);
    if (args.length > 5) builder = builder.withAuthCredentials(args[4], args[5]);
    try (CqlSession session = builder.build()) {
      String protocol = session.getContext().getProtocolVersion().name();
      phase("connected");
      session.execute("CREATE TABLE " + table + " (id int, seq int, name text, PRIMARY KEY (id, seq))");

      PreparedStatement insert = session.prepare("INSERT INTO " + table + " (id, seq, name) VALUES (?, ?, ?)");
      BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED);
      for (int seq = 0; seq < ROWS; seq++) batch.addStatement(insert.bind(1, seq, "name-" + seq));
      phase("created table");
      session.execute(batch.build());
      phase("batch");

      PreparedStatement select = session.prepare("SELECT seq, name FROM " + table + " WHERE id = ?");
      ResultSet rows = session.execute(select.bind(1).setPageSize(PAGE_SIZE));
      int count = 0;
      int pages = 1;
      int seqSum = 0;
      for (Row row : rows) {
        seqSum += row.getInt("seq");
        count++;
        if (rows.getAvailableWithoutFetching() == 0 && !rows.isFullyFetched()) pages++;
      }

      phase("paged");
      String large = "x".repeat(LARGE_VALUE);
      session.execute(insert.bind(2, 0, large));
      Row big = session.execute(select.bind(2)).one();
      int largeLength = big == null ? -1 : big.getString("name").length();
      phase("large value");

      System.out.printf(
          "{\"protocol\": \"%s\", \"rows\": %d, \"seq_sum\": %d, \"pages\": %d, \"large\": %d}%n",
          protocol, count, seqSum, pages, largeLength);
    }
  }
}
