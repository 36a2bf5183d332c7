package dev.wam4j.fleet.server;

import dev.wam4j.fleet.store.TestPostgres;

/**
 * {@link FleetServerTest}'s API tests over HTTP with the store on a real PostgreSQL server (a new
 * database per test), as {@code serve --db jdbc:postgresql://...} runs.
 */
class FleetServerOnPostgresTest extends FleetServerTest {
  @Override
  String database() {
    return TestPostgres.newDatabase();
  }
}
