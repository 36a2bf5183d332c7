package dev.wam4j.data.lerobot;

import java.util.List;

/**
 * The result of {@link LeRobotDataset#query}: column names and rows of plain Java values (numbers,
 * strings, booleans, lists for SQL lists and arrays, null).
 *
 * @param columns column labels in select order
 * @param rows the rows, at most the limit asked for
 * @param truncated whether the query had more rows than were kept
 */
public record QueryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {
  public QueryResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }
}
