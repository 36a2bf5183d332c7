package dev.wam4j.data.lerobot;

import java.nio.file.Path;
import java.util.Map;

/**
 * LeRobot's path templates are Python format strings such as {@code
 * data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet}; this fills in {@code {name}} and
 * {@code {name:0Nd}} fields, which is all the format uses.
 */
final class PathTemplate {
  private PathTemplate() {}

  /**
   * A file the data set's info.json names, which must lie inside the data set: a template that is
   * absolute or climbs out ({@code ../}) would let a downloaded or uploaded data set read any file.
   *
   * @param key the info.json key of the template, for the error message
   */
  static Path resolveInside(
      Path root, String template, Map<String, Object> values, Path infoFile, String key)
      throws LeRobotFormatException {
    String relative;
    try {
      relative = format(template, values);
    } catch (IllegalArgumentException e) {
      throw new LeRobotFormatException(infoFile, key + ": " + e.getMessage());
    }
    Path base = root.toAbsolutePath().normalize();
    Path p = base.resolve(relative).normalize();
    if (Path.of(relative).isAbsolute() || !p.startsWith(base) || p.equals(base)) {
      throw new LeRobotFormatException(
          infoFile,
          key + " '" + template + "' names " + relative + ", outside the data set " + base);
    }
    return p;
  }

  static String format(String template, Map<String, Object> values) {
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '{') {
        out.append(c);
        i++;
        continue;
      }
      int close = template.indexOf('}', i);
      if (close < 0) {
        throw new IllegalArgumentException("path template '" + template + "': unclosed '{'");
      }
      String field = template.substring(i + 1, close);
      String spec = "";
      int colon = field.indexOf(':');
      if (colon >= 0) {
        spec = field.substring(colon + 1);
        field = field.substring(0, colon);
      }
      Object v = values.get(field);
      if (v == null) {
        throw new IllegalArgumentException(
            "path template '"
                + template
                + "': unknown field '"
                + field
                + "', known "
                + values.keySet());
      }
      if (spec.isEmpty()) {
        out.append(v);
      } else if (spec.matches("0?\\d+d") && v instanceof Number n) {
        int width = Integer.parseInt(spec.substring(0, spec.length() - 1));
        String digits = Long.toString(n.longValue());
        out.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
      } else {
        throw new IllegalArgumentException(
            "path template '" + template + "': unsupported format '" + spec + "'");
      }
      i = close + 1;
    }
    return out.toString();
  }
}
