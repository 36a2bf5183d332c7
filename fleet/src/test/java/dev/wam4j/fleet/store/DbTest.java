package dev.wam4j.fleet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbTest {
  @TempDir Path dir;

  private Db open() throws Exception {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl("jdbc:sqlite:" + dir.resolve("t.db"));
    Db db = new Db(new HikariDataSource(hc));
    db.update(
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, status TEXT NOT NULL, n INTEGER)");
    return db;
  }

  @Test
  void aTransactionCommitsWhenItsWorkReturnsAndLeavesNothingWhenItThrows() throws Exception {
    try (Db db = open()) {
      db.transaction(tx -> tx.update("INSERT INTO t(status) VALUES ('a')"));
      assertThatThrownBy(
              () ->
                  db.transaction(
                      tx -> {
                        tx.update("INSERT INTO t(status) VALUES ('b')");
                        throw new IllegalArgumentException("refused");
                      }))
          .hasMessage("refused");
      db.transaction(
          tx -> {
            tx.update("INSERT INTO t(status) VALUES ('c')");
            tx.rollbackOnly();
            return null;
          });
      assertThat(db.query("SELECT status FROM t ORDER BY id", r -> r.getString("status")))
          .containsExactly("a");
    }
  }

  @Test
  void statusesAreStoredAsTheirWireSpellingAndNullableColumnsReadAsNull() throws Exception {
    try (Db db = open()) {
      long id =
          db.insert("INSERT INTO t(status, n) VALUES (?, ?)", DeploymentStatus.ROLLED_BACK, null);
      assertThat(db.one("SELECT status FROM t WHERE id = ?", r -> r.getString("status"), id))
          .contains("rolled_back");
      assertThat(
              db.one(
                  "SELECT status FROM t WHERE id = ?",
                  r -> Wire.parse(DeploymentStatus.class, r.getString("status")),
                  id))
          .contains(DeploymentStatus.ROLLED_BACK);
      assertThat(db.one("SELECT n FROM t WHERE id = ?", r -> Db.nullableLong(r, "n"), id))
          .as("a row whose value is null")
          .isEmpty();
      assertThatThrownBy(() -> Wire.parse(TaskStatus.class, "lost"))
          .hasMessage("unknown TaskStatus 'lost'");
    }
  }
}
