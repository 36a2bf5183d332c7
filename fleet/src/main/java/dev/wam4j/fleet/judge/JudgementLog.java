package dev.wam4j.fleet.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The judges' answers as an append-only JSON lines file: one line per answer, written whole in one
 * write and forced to the disk before the answer is acknowledged. A last line without its newline
 * (the process died mid-write) is skipped with a warning on opening, and cut off so that the next
 * answer starts on a line of its own; any other unreadable line is an error.
 */
public final class JudgementLog {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /**
   * One answer.
   *
   * @param judge who answered
   * @param pair the pair's index
   * @param seed the legacy reset seed both clips of the pair start from
   * @param robotSide where the robot was shown: "left" or "right"
   * @param answer where the judge said the robot was
   * @param correct whether the answer was right
   * @param at when, ISO-8601 UTC
   * @param robot which robot the pair showed: "expert" or a checkpoint's path ({@code null} in
   *     files written before it was recorded, when the robot was always the expert)
   */
  public record Judgement(
      String judge,
      int pair,
      long seed,
      String robotSide,
      String answer,
      boolean correct,
      String at,
      String robot) {
    /** The robot, "expert" when the line predates the field. */
    public String robotOrExpert() {
      return robot == null ? HumanJudge.EXPERT : robot;
    }
  }

  private final Path file;

  private JudgementLog(Path file) {
    this.file = file;
  }

  /**
   * Opens the log at {@code file} (which need not exist yet) and reads what it holds.
   *
   * @param read receives every judgement already stored, in order
   * @throws IOException when the file cannot be read or a line other than a torn last one is not a
   *     judgement
   */
  public static JudgementLog open(Path file, List<Judgement> read) throws IOException {
    if (file == null) throw new IllegalArgumentException("the judgements file is required");
    if (Files.isRegularFile(file)) {
      byte[] bytes = Files.readAllBytes(file);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') end--;
      if (end < bytes.length) {
        System.err.printf(
            "wam4j judge: %s: skipping a torn last line of %d bytes (the process stopped"
                + " mid-write?)%n",
            file, bytes.length - end);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(end);
          ch.force(true);
        }
      }
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      List<Judgement> out = new ArrayList<>();
      int lineNo = 0;
      for (String line : text.split("\n", -1)) {
        lineNo++;
        if (line.isBlank()) continue;
        try {
          Judgement j = JSON.readValue(line, Judgement.class);
          if (j.judge() == null || j.robotSide() == null || j.answer() == null)
            throw new IOException("a field is missing");
          out.add(j);
        } catch (IOException e) {
          throw new IOException(
              file + " line " + lineNo + " is not a judgement (" + e.getMessage() + ")", e);
        }
      }
      read.addAll(out);
    } else if (Files.exists(file)) {
      throw new IOException(file + " is not a regular file");
    }
    return new JudgementLog(file);
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Appends one judgement as one line and forces it to the disk. */
  public synchronized void append(Judgement j) throws IOException {
    byte[] line = (JSON.writeValueAsString(j) + "\n").getBytes(StandardCharsets.UTF_8);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) ch.write(b);
      ch.force(false);
    }
  }
}
