package dev.wam4j.sim.factory;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.scene.Pose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the markdown design format:
 *
 * <pre>
 * # Gate                                           &lt;- the product's name (required, first heading)
 * Two posts and a lintel.                          &lt;- free text
 *
 * ## Parts                                         &lt;- at least one part
 * - left post: I at 150, 300, 1.5708               &lt;- NAME: SHAPE at X, Y, ANGLE (workspace pixels, radians)
 * - lintel: T at 256, 170, 0 from 100, 450, 0      &lt;- optional start pose; else the feeder drops it
 *
 * ## Options                                       &lt;- all optional
 * - tolerance: 0.9                                 &lt;- coverage each part must reach, (0, 1] (default 0.9)
 * - robots: 2                                      &lt;- pushers in the cell, 1..8 (default 1)
 * - max-minutes: 20                                &lt;- simulated minutes before giving up (default 20)
 * - seed: 7                                        &lt;- the feeder's and the cell's seed
 * </pre>
 *
 * SHAPE is a cousin family at scale 1: {@code T}, {@code L}, {@code I} or {@code plus}. Every
 * problem is reported with its line number; the layout itself is checked by {@link DesignCheck}.
 */
public final class DesignParser {
  /** Largest design accepted, in characters. */
  public static final int MAX_CHARS = 64 * 1024;

  /** Most parts one design may have. */
  public static final int MAX_PARTS = 64;

  private static final String NUMBER = "\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*";
  private static final String POSE = NUMBER + "," + NUMBER + "," + NUMBER;
  private static final Pattern PART =
      Pattern.compile(
          "-\\s*([^:]+?)\\s*:\\s*(\\S+)\\s+at\\s+" + POSE + "(?:\\s+from\\s+" + POSE + ")?");
  private static final Pattern OPTION = Pattern.compile("-\\s*([a-z-]+)\\s*:\\s*(.+)");

  private DesignParser() {}

  /**
   * Reads, parses and checks ({@link DesignCheck}) a design file.
   *
   * @throws DesignException naming the file, the line and what is wrong there
   * @throws IOException when the file cannot be read
   */
  public static Design read(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new NoSuchFileException(file.toString(), null, "no design file there");
    try {
      Design d = parse(Files.readString(file, StandardCharsets.UTF_8));
      DesignCheck.check(d);
      return d;
    } catch (DesignException e) {
      throw e.in(file);
    }
  }

  /**
   * @throws DesignException naming the line and what is wrong there
   */
  public static Design parse(String markdown) {
    if (markdown == null || markdown.isBlank()) {
      throw new DesignException(0, "the design is empty; it starts with '# <product name>'");
    }
    if (markdown.length() > MAX_CHARS) {
      throw new DesignException(
          0, "the design has " + markdown.length() + " characters, more than " + MAX_CHARS);
    }
    String[] lines = markdown.split("\r?\n", -1);
    String title = null, section = null;
    StringBuilder description = new StringBuilder();
    List<Design.Part> parts = new ArrayList<>();
    Set<String> names = new HashSet<>(), options = new HashSet<>();
    double tolerance = Design.Options.DEFAULTS.tolerance(),
        maxMinutes = Design.Options.DEFAULTS.maxMinutes();
    int robots = Design.Options.DEFAULTS.robots();
    Long seed = null;
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      if (line.startsWith("# ")) {
        if (title != null)
          throw new DesignException(
              n, "a second '# ' title; sections are '## Parts' and '## Options'");
        title = line.substring(2).strip();
        continue;
      }
      if (title == null) throw new DesignException(n, "the design starts with '# <product name>'");
      if (line.startsWith("## ")) {
        section = line.substring(3).strip().toLowerCase(java.util.Locale.ROOT);
        if (!section.equals("parts") && !section.equals("options")) {
          throw new DesignException(
              n,
              "unknown section '"
                  + line.substring(3).strip()
                  + "'; sections are '## Parts' and '## Options'");
        }
        continue;
      }
      if (section == null) { // free text under the title
        if (description.length() > 0) description.append('\n');
        description.append(line);
        continue;
      }
      if (line.startsWith("*")
          || line.startsWith("+")) { // a markdown bullet of another kind: never silently dropped
        throw new DesignException(n, "list items here start with '- ', got '" + line + "'");
      }
      if (!line.startsWith("-")) continue; // prose inside a section is a comment
      if (section.equals("parts")) {
        Design.Part part = part(line, n);
        if (!names.add(part.name()))
          throw new DesignException(n, "a second part named '" + part.name() + "'");
        if (parts.size() == MAX_PARTS)
          throw new DesignException(n, "more than " + MAX_PARTS + " parts");
        parts.add(part);
        continue;
      }
      Matcher m = OPTION.matcher(line);
      if (!m.matches())
        throw new DesignException(n, "an option is '- name: value', got '" + line + "'");
      String key = m.group(1), value = m.group(2).strip();
      if (!options.add(key)) throw new DesignException(n, "option '" + key + "' is given twice");
      switch (key) {
        case "tolerance" -> {
          tolerance = number(value, key, n);
          if (!(tolerance > 0 && tolerance <= 1))
            throw new DesignException(n, "tolerance must lie in (0, 1], got " + value);
        }
        case "robots" -> {
          long asked = whole(value, key, n);
          if (asked < 1 || asked > 8)
            throw new DesignException(n, "robots must lie in 1..8, got " + value);
          robots = (int) asked;
        }
        case "max-minutes" -> {
          maxMinutes = number(value, key, n);
          if (!(maxMinutes > 0 && maxMinutes <= 24 * 60))
            throw new DesignException(n, "max-minutes must lie in (0, 1440], got " + value);
        }
        case "seed" -> seed = whole(value, key, n);
        default ->
            throw new DesignException(
                n, "unknown option '" + key + "' (tolerance, robots, max-minutes, seed)");
      }
    }
    if (title == null || title.isEmpty())
      throw new DesignException(0, "the design starts with '# <product name>'");
    if (parts.isEmpty())
      throw new DesignException(0, "the design has no parts; list them under '## Parts'");
    return new Design(
        title,
        description.toString(),
        parts,
        new Design.Options(tolerance, robots, maxMinutes, seed));
  }

  private static Design.Part part(String line, int n) {
    Matcher m = PART.matcher(line);
    if (!m.matches()) {
      throw new DesignException(
          n,
          "a part is '- NAME: SHAPE at X, Y, ANGLE' with an optional 'from X, Y, ANGLE', got '"
              + line
              + "'");
    }
    ShapeFamily shape;
    try {
      shape = ShapeFamily.parse(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new DesignException(n, "part '" + m.group(1) + "': " + e.getMessage());
    }
    Pose target = pose(m, 3, n);
    Pose from = m.group(6) == null ? null : pose(m, 6, n);
    return new Design.Part(m.group(1), n, shape, target, from);
  }

  private static Pose pose(Matcher m, int first, int n) {
    double x = Double.parseDouble(m.group(first)),
        y = Double.parseDouble(m.group(first + 1)),
        a = Double.parseDouble(m.group(first + 2));
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(a) || Math.abs(a) > 100) {
      throw new DesignException(
          n, "a pose needs finite x, y and an angle in radians, got " + x + ", " + y + ", " + a);
    }
    return new Pose(x, y, a);
  }

  private static double number(String value, String key, int n) {
    try {
      double v = Double.parseDouble(value);
      if (Double.isFinite(v)) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DesignException(n, key + " must be a number, got '" + value + "'");
  }

  private static long whole(String value, String key, int n) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new DesignException(n, key + " must be a whole number, got '" + value + "'");
    }
  }
}
