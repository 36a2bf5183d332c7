package dev.wam4j.data.zarr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.FileTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The first N episodes of a replay buffer as a replay buffer of their own, for shipping a small
 * real sample beside the code. Every data chunk that holds those frames is copied byte for byte
 * (only the {@code shape} in each {@code .zarray} shrinks, so the last chunk keeps frames past the
 * cut that no reader reaches); {@code meta/episode_ends} is rewritten uncompressed. Written to a
 * temporary folder and renamed into place: a crash never leaves a store that looks valid.
 */
public final class ReplayBufferSubset {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReplayBufferSubset() {}

  /** What was written. */
  public record Result(Path root, int episodes, int frames, long bytes) {}

  /**
   * Writes the first {@code episodes} episodes of the store at {@code source} to {@code target}
   * (which must not exist).
   */
  public static Result firstEpisodes(Path source, int episodes, Path target) throws IOException {
    ReplayBuffer rb = ReplayBuffer.open(source);
    if (episodes < 1 || episodes > rb.episodeCount()) {
      throw new IllegalArgumentException(
          "episodes " + episodes + ": " + source + " has 1.." + rb.episodeCount());
    }
    if (Files.exists(target))
      throw new IllegalArgumentException(target + " exists; choose a new folder");
    int frames = rb.episodeRange(episodes - 1).end();
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve("." + target.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      copyGroupFiles(source, tmp);
      copyGroupFiles(source.resolve("data"), tmp.resolve("data"));
      copyGroupFiles(source.resolve("meta"), tmp.resolve("meta"));
      for (String name : rb.arrayNames())
        copyRows(rb.array(name), frames, tmp.resolve("data").resolve(name));
      writeEpisodeEnds(rb, episodes, tmp.resolve("meta").resolve("episode_ends"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      FileTrees.deleteQuietly(tmp, e);
      throw e;
    }
    long bytes;
    try (Stream<Path> s = Files.walk(target)) {
      bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    return new Result(target, episodes, frames, bytes);
  }

  private static void copyGroupFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (String f : new String[] {".zgroup", ".zattrs"}) {
      if (Files.isRegularFile(from.resolve(f))) Files.copy(from.resolve(f), to.resolve(f));
    }
  }

  /**
   * The chunk files covering rows [0, rows), byte for byte, and a .zarray whose first dimension is
   * rows.
   */
  private static void copyRows(ZarrArray array, int rows, Path to) throws IOException {
    Files.createDirectories(to);
    Path from = array.path();
    ObjectNode meta = (ObjectNode) JSON.readTree(from.resolve(".zarray").toFile());
    ((ArrayNode) meta.get("shape")).set(0, rows);
    Files.writeString(
        to.resolve(".zarray"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    if (Files.isRegularFile(from.resolve(".zattrs")))
      Files.copy(from.resolve(".zattrs"), to.resolve(".zattrs"));
    int[] chunks = array.chunks();
    String separator = meta.path("dimension_separator").asText(".");
    int rowChunks = Math.ceilDiv(rows, chunks[0]);
    StringBuilder rest = new StringBuilder();
    for (int d = 1; d < chunks.length; d++) {
      if (Math.ceilDiv(array.shape()[d], chunks[d]) != 1) {
        throw new IllegalArgumentException(
            from + ": chunked along dimension " + d + "; only row chunking is supported");
      }
      rest.append(separator).append('0');
    }
    for (int i = 0; i < rowChunks; i++) {
      Path chunk = from.resolve(i + rest.toString());
      if (Files.exists(chunk))
        Files.copy(chunk, to.resolve(i + rest.toString())); // a missing chunk reads as fill_value
    }
  }

  private static void writeEpisodeEnds(ReplayBuffer rb, int episodes, Path to) throws IOException {
    Files.createDirectories(to);
    ObjectNode meta = JSON.createObjectNode();
    meta.putArray("chunks").add(episodes);
    meta.putNull("compressor");
    meta.put("dtype", "<i8");
    meta.put("fill_value", 0);
    meta.putNull("filters");
    meta.put("order", "C");
    meta.putArray("shape").add(episodes);
    meta.put("zarr_format", 2);
    Files.writeString(
        to.resolve(".zarray"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    ByteBuffer b = ByteBuffer.allocate(8 * episodes).order(ByteOrder.LITTLE_ENDIAN);
    for (int e = 0; e < episodes; e++) b.putLong(rb.episodeRange(e).end());
    Files.write(to.resolve("0"), b.array());
  }
}
