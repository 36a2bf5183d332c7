package dev.wam4j.data.lerobot;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads numeric feature columns of one parquet file into flat primitive arrays (row-major within a
 * feature: row r's values at {@code [r * width, (r + 1) * width)}).
 *
 * <p>List columns (variable-length or fixed-size, nested one level deep at most) are unpacked in
 * SQL ({@code col[1], col[2], ...}) so JDBC hands over scalars, never boxed arrays; each row's list
 * length is checked against the feature's shape, and a null anywhere is an error, never a silent 0.
 */
final class ParquetColumns {
  private ParquetColumns() {}

  /**
   * Storage type of a numeric feature: float32 as float, float64 as double, integers and bool as
   * long.
   */
  enum Kind {
    FLOAT,
    DOUBLE,
    LONG
  }

  static Kind kindOf(Feature f) {
    return switch (f.dtype()) {
      case "float32", "float16" -> Kind.FLOAT;
      case "float64" -> Kind.DOUBLE;
      default -> Kind.LONG;
    };
  }

  static Object allocate(Kind kind, int n) {
    return switch (kind) {
      case FLOAT -> new float[n];
      case DOUBLE -> new double[n];
      case LONG -> new long[n];
    };
  }

  /** Column name to DuckDB type text (e.g. {@code FLOAT[]}, {@code FLOAT[2]}, {@code BIGINT}). */
  static Map<String, String> describe(Connection c, Path file) throws LeRobotFormatException {
    Map<String, String> types = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + Duck.literal(file) + ")")) {
      while (rs.next()) {
        types.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
    return types;
  }

  /**
   * Reads {@code features} of the rows of {@code file} matching {@code where} (SQL, or null for
   * all), which must number exactly {@code expectedRows}.
   *
   * @return one array per feature, in order, each {@code expectedRows * width} long
   */
  static Object[] read(
      Connection c,
      Path file,
      Map<String, String> types,
      List<Feature> features,
      String where,
      int expectedRows)
      throws LeRobotFormatException {
    int n = features.size();
    Kind[] kinds = new Kind[n];
    int[] widths = new int[n];
    boolean[] isList = new boolean[n];
    boolean[] isBool = new boolean[n];
    Object[] out = new Object[n];
    List<String> select = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      Feature f = features.get(j);
      String type = types.get(f.name());
      if (type == null) {
        throw new LeRobotFormatException(
            file,
            "no column '" + f.name() + "' (feature of info.json); columns are " + types.keySet());
      }
      kinds[j] = kindOf(f);
      isBool[j] = type.startsWith("BOOLEAN");
      widths[j] = f.elementCount();
      out[j] = allocate(kinds[j], Math.multiplyExact(expectedRows, widths[j]));
      int depth = (int) type.chars().filter(ch -> ch == '[').count();
      String col = Duck.ident(f.name());
      if (depth == 0) {
        if (widths[j] != 1) {
          throw new LeRobotFormatException(
              file,
              "column '"
                  + f.name()
                  + "' is a scalar "
                  + type
                  + " but info.json gives shape "
                  + f.shape());
        }
        select.add(col);
      } else {
        if (depth > 1) {
          col = "flatten(CAST(" + col + " AS " + baseType(type) + "[][]))";
        }
        isList[j] = true;
        select.add("len(" + col + ")");
        for (int k = 1; k <= widths[j]; k++) {
          select.add(col + "[" + k + "]");
        }
      }
    }
    String sql =
        "SELECT "
            + String.join(", ", select)
            + " FROM read_parquet("
            + Duck.literal(file)
            + ")"
            + (where == null ? "" : " WHERE " + where);
    int row = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        if (row == expectedRows) {
          throw new LeRobotFormatException(
              file,
              "more than the expected "
                  + expectedRows
                  + " rows"
                  + (where == null ? "" : " where " + where));
        }
        int col = 1;
        for (int j = 0; j < n; j++) {
          int w = widths[j];
          if (isList[j]) {
            int len = rs.getInt(col++);
            if (rs.wasNull() || len != w) {
              throw new LeRobotFormatException(
                  file,
                  "row "
                      + row
                      + ": column '"
                      + features.get(j).name()
                      + "' has "
                      + (rs.wasNull() ? "null" : len + " values")
                      + ", info.json shape "
                      + features.get(j).shape());
            }
          }
          int base = row * w;
          switch (kinds[j]) {
            case FLOAT -> {
              float[] a = (float[]) out[j];
              for (int k = 0; k < w; k++) {
                a[base + k] = rs.getFloat(col++);
                if (rs.wasNull()) throw nullValue(file, row, features.get(j));
              }
            }
            case DOUBLE -> {
              double[] a = (double[]) out[j];
              for (int k = 0; k < w; k++) {
                a[base + k] = rs.getDouble(col++);
                if (rs.wasNull()) throw nullValue(file, row, features.get(j));
              }
            }
            case LONG -> {
              long[] a = (long[]) out[j];
              boolean bool = isBool[j];
              for (int k = 0; k < w; k++) {
                a[base + k] = bool ? (rs.getBoolean(col++) ? 1 : 0) : rs.getLong(col++);
                if (rs.wasNull()) throw nullValue(file, row, features.get(j));
              }
            }
          }
        }
        row++;
      }
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
    if (row != expectedRows) {
      throw new LeRobotFormatException(
          file,
          row + " rows" + (where == null ? "" : " where " + where) + ", expected " + expectedRows);
    }
    return out;
  }

  private static LeRobotFormatException nullValue(Path file, int row, Feature f) {
    return new LeRobotFormatException(
        file, "row " + row + ": column '" + f.name() + "' holds a null value");
  }

  /** {@code FLOAT[][]} or {@code FLOAT[2][3]} to {@code FLOAT}. */
  private static String baseType(String type) {
    int b = type.indexOf('[');
    return b < 0 ? type : type.substring(0, b);
  }

  /** Rows in {@code file} (from the parquet footer). */
  static long count(Connection c, Path file) throws LeRobotFormatException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM read_parquet(" + Duck.literal(file) + ")")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new LeRobotFormatException(file, "cannot read parquet: " + Duck.message(e), e);
    }
  }
}
