package dev.wam4j.model.train;

import dev.wam4j.data.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The CSV log of one training run: a header of fixed numeric columns, the first named {@code step},
 * then one row per logged step. Each row goes to the file in one write as soon as it is complete,
 * so killing the process (even {@code kill -9}) loses at most the row being written; rows reach the
 * disk itself when the OS flushes them, or at {@link #close()}.
 *
 * <p>A run that restarts from a checkpoint at step S opens the log with {@link #resume}: rows after
 * S (logged after that checkpoint, before the crash) are dropped so the curve does not fork. Cells
 * hold finite numbers or nothing; a cell is empty when its column was not set on the row (for
 * example a validation loss measured every few hundred steps).
 *
 * <p>Not thread-safe: one training thread owns a log and closes it.
 */
public final class TrainingLog implements Closeable {
  /** The name the first column must have. */
  public static final String STEP = "step";

  private final Path file;
  private final List<String> columns;
  private final Map<String, Integer> index;
  private final FileChannel channel;
  private long lastStep;

  private TrainingLog(Path file, List<String> columns, long lastStep) throws IOException {
    this.file = file;
    this.columns = columns;
    this.index = new HashMap<>();
    for (int c = 0; c < columns.size(); c++) index.put(columns.get(c), c);
    this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    this.lastStep = lastStep;
  }

  /**
   * Starts a new log at {@code file} holding only the header.
   *
   * @param columns column names, the first {@value #STEP}; names are unique and free of commas,
   *     quotes and line breaks
   * @throws FileAlreadyExistsException when {@code file} exists (a fresh run never overwrites a
   *     log; use {@link #resume} to continue one)
   */
  public static TrainingLog create(Path file, List<String> columns) throws IOException {
    List<String> header = checkColumns(columns);
    if (Files.exists(file))
      throw new FileAlreadyExistsException(file.toString(), null, "training log already exists");
    replace(file, String.join(",", header) + "\n");
    return new TrainingLog(file, header, -1);
  }

  /**
   * Reopens the log of a run that continues from a checkpoint taken at {@code step}: keeps the
   * header and the rows with step {@code <= step}, drops later rows and a partial last line (cut by
   * a kill), rewriting the file atomically when anything is dropped, then appends.
   *
   * @throws IOException when the file is missing, malformed (the message names the file and line),
   *     or its header differs from {@code columns} (the message shows both)
   */
  public static TrainingLog resume(Path file, List<String> columns, long step) throws IOException {
    List<String> header = checkColumns(columns);
    if (!Files.exists(file))
      throw new NoSuchFileException(
          file.toString(), null, "no training log to resume at step " + step);
    Parsed parsed = parse(file);
    if (!parsed.header.equals(header)) {
      throw new IOException(
          "training log " + file + " has header " + parsed.header + " but this run logs " + header);
    }
    StringBuilder kept = new StringBuilder(String.join(",", header)).append('\n');
    long last = -1;
    int keptRows = 0;
    for (int r = 0; r < parsed.steps.length; r++) {
      if (parsed.steps[r] <= step) {
        kept.append(parsed.lines.get(r)).append('\n');
        last = Math.max(last, parsed.steps[r]);
        keptRows++;
      }
    }
    if (keptRows < parsed.steps.length || parsed.partialTail) replace(file, kept.toString());
    return new TrainingLog(file, header, last);
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /** The column names, {@value #STEP} first. */
  public List<String> columns() {
    return columns;
  }

  /** The step of the last row in the file, -1 when there is none. */
  public long lastStep() {
    return lastStep;
  }

  /**
   * Begins the row of {@code step}; set its cells, then {@link Row#write()} it.
   *
   * @throws IllegalArgumentException when {@code step} is not after {@link #lastStep()}
   */
  public Row row(long step) {
    if (step < 0 || step <= lastStep) {
      throw new IllegalArgumentException(
          "training log " + file + ": step " + step + " does not follow step " + lastStep);
    }
    return new Row(step);
  }

  /** Flushes the rows to the disk and closes the file. */
  @Override
  public void close() throws IOException {
    try (channel) {
      channel.force(false);
    }
  }

  /** One row being filled; cells never set stay empty. Written at most once. */
  public final class Row {
    private final long step;
    private final String[] cells = new String[columns.size()];
    private boolean written;

    private Row(long step) {
      this.step = step;
      cells[0] = Long.toString(step);
    }

    /**
     * Sets a cell.
     *
     * @throws IllegalArgumentException when the column is unknown or {@value #STEP}, or the value
     *     is not finite (the message names the column)
     */
    public Row set(String column, double value) {
      if (!Double.isFinite(value))
        throw new IllegalArgumentException(where(column) + ": non-finite value " + value);
      cells[slot(column)] = Double.toString(value);
      return this;
    }

    /** Sets a cell from a float, written in its shortest float form (a DJL loss is a float). */
    public Row set(String column, float value) {
      if (!Float.isFinite(value))
        throw new IllegalArgumentException(where(column) + ": non-finite value " + value);
      cells[slot(column)] = Float.toString(value);
      return this;
    }

    /** Sets a cell to an integer (counts, MiB). */
    public Row set(String column, long value) {
      cells[slot(column)] = Long.toString(value);
      return this;
    }

    /** Appends the row to the file in one write. */
    public void write() throws IOException {
      if (written)
        throw new IllegalStateException(
            "training log " + file + ": row of step " + step + " already written");
      if (step <= lastStep)
        throw new IllegalStateException(
            where(STEP) + ": " + step + " does not follow step " + lastStep);
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cells.length; c++) {
        if (c > 0) line.append(',');
        if (cells[c] != null) line.append(cells[c]);
      }
      ByteBuffer bytes =
          ByteBuffer.wrap(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) channel.write(bytes);
      written = true;
      lastStep = step;
    }

    private int slot(String column) {
      Integer c = index.get(column);
      if (c == null)
        throw new IllegalArgumentException(
            where(column) + ": unknown column, the log has " + columns);
      if (c == 0)
        throw new IllegalArgumentException(where(column) + ": the step is given to row(step)");
      return c;
    }

    private String where(String column) {
      return "training log " + file + ", step " + step + ", column " + column;
    }
  }

  /**
   * Reads a log back, possibly while a run still appends to it (a partial last line is ignored).
   *
   * @throws IOException when the file is malformed; the message names the file and line
   */
  public static Table read(Path file) throws IOException {
    Parsed parsed = parse(file);
    return new Table(parsed.header, parsed.steps, parsed.values);
  }

  /**
   * The contents of a log, column by column.
   *
   * <p>Immutable: the arrays handed out are copies.
   */
  public static final class Table {
    private final List<String> columns;
    private final long[] steps;
    private final double[][] values; // [column][row], NaN where the cell is empty

    Table(List<String> columns, long[] steps, double[][] values) {
      this.columns = List.copyOf(columns);
      this.steps = steps;
      this.values = values;
    }

    /** The column names, {@value #STEP} first. */
    public List<String> columns() {
      return columns;
    }

    /** The number of rows. */
    public int size() {
      return steps.length;
    }

    /** The step of each row. */
    public long[] steps() {
      return steps.clone();
    }

    /**
     * The cells of {@code column} by row; NaN marks an empty cell (a log never holds a written
     * NaN).
     *
     * @throws IllegalArgumentException when the log has no such column
     */
    public double[] column(String column) {
      int c = columns.indexOf(column);
      if (c < 0)
        throw new IllegalArgumentException(
            "training log has no column " + column + ", only " + columns);
      return values[c].clone();
    }
  }

  /**
   * The resident set size of this process in MiB (VmRSS from {@code /proc/self/status}), or -1
   * where that file is unavailable (not Linux).
   */
  public static long residentMemoryMiB() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) / 1024; // the kernel reports kB
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux) or an unexpected format: the caller logs -1 instead of failing a run
    }
    return -1;
  }

  private static List<String> checkColumns(List<String> columns) {
    if (columns.isEmpty() || !columns.get(0).equals(STEP)) {
      throw new IllegalArgumentException(
          "training log columns must start with " + STEP + ", got " + columns);
    }
    var seen = new HashSet<String>();
    for (String c : columns) {
      if (c.isEmpty()
          || c.chars().anyMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')) {
        throw new IllegalArgumentException(
            "training log column name '" + c + "' is empty or holds a comma, quote or line break");
      }
      if (!seen.add(c))
        throw new IllegalArgumentException(
            "training log column " + c + " appears twice in " + columns);
    }
    return List.copyOf(columns);
  }

  /** A log file split into its header, its complete data lines and their values. */
  private record Parsed(
      List<String> header,
      List<String> lines,
      long[] steps,
      double[][] values,
      boolean partialTail) {}

  private static Parsed parse(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) throw new IOException("training log " + file + " has no complete header line");
    List<String> lines = new ArrayList<>(Arrays.asList(text.substring(0, end).split("\n", -1)));
    List<String> header = List.of(lines.remove(0).split(",", -1));
    if (header.isEmpty() || !header.get(0).equals(STEP)) {
      throw new IOException(
          "training log " + file + " header " + header + " does not start with " + STEP);
    }
    long[] steps = new long[lines.size()];
    double[][] values = new double[header.size()][lines.size()];
    for (int r = 0; r < lines.size(); r++) {
      String[] cells = lines.get(r).split(",", -1);
      String at = "training log " + file + " line " + (r + 2);
      if (cells.length != header.size()) {
        throw new IOException(at + ": " + cells.length + " cells, the header has " + header.size());
      }
      try {
        steps[r] = Long.parseLong(cells[0]);
        for (int c = 0; c < cells.length; c++) {
          values[c][r] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
          if (!cells[c].isEmpty() && !Double.isFinite(values[c][r])) {
            throw new IOException(
                at + ", column " + header.get(c) + ": non-finite value " + cells[c]);
          }
        }
      } catch (NumberFormatException e) {
        throw new IOException(at + ": not a number (" + e.getMessage() + ")", e);
      }
    }
    return new Parsed(header, lines, steps, values, end < text.length() - 1);
  }

  /**
   * Replaces {@code file} by {@code text}: written to a temp file beside it, then moved atomically.
   */
  private static void replace(Path file, String text) throws IOException {
    AtomicFiles.writeString(
        file, text); // the rewritten rows are on disk before they replace the old ones
  }
}
