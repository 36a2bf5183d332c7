package dev.wam4j.data.lerobot.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SqlTest {
  /**
   * Statistics are stored through these literals and read back by an append: a value one ulp off
   * made a merged dataset's stats.json differ from the one written in one go in the last digit.
   */
  @Test
  void numberLiteralsReadBackBitForBit() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[2000];
    for (int i = 0; i < values.length; i++) {
      double x = random.nextDouble();
      values[i] = i % 4 == 0 ? x : i % 4 == 1 ? x * 1e-3 : i % 4 == 2 ? x * 500 : -x * 1e7;
    }
    values[0] = 0.09602082107040932; // a standard deviation that was stored one ulp off
    values[1] = -1.0E-5;
    values[2] = 1.2345678901234567E20;
    try (Connection db = Sql.open();
        Statement s = db.createStatement()) {
      // as the episodes metadata stores them: lists in a DOUBLE[] column
      s.execute("CREATE TABLE t (i INTEGER, x DOUBLE[])");
      for (int i = 0; i < values.length; i++)
        s.execute("INSERT INTO t VALUES (" + i + ", [" + Sql.number(values[i]) + "])");
      try (ResultSet rs = s.executeQuery("SELECT i, x[1] FROM t ORDER BY i")) {
        while (rs.next()) {
          double v = values[rs.getInt(1)];
          assertThat(rs.getDouble(2)).as(Sql.number(v)).isEqualTo(v);
        }
      }
    }
  }
}
