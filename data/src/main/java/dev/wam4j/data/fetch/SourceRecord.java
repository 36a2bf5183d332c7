package dev.wam4j.data.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code SOURCE.json}, written beside a fetched data set once its content has been verified: where
 * it came from and the digests it had. Its presence is what marks the folder as complete.
 *
 * @param name data set name
 * @param url the URL it was downloaded from
 * @param archiveSha256 SHA-256 of the downloaded archive
 * @param archiveBytes size of the downloaded archive
 * @param contentSha256 {@link ZarrContentDigest} of the unpacked folder
 * @param fetchedAt when it was fetched (UTC)
 */
record SourceRecord(
    String name,
    String url,
    String archiveSha256,
    long archiveBytes,
    String contentSha256,
    Instant fetchedAt) {
  static final String FILE_NAME = "SOURCE.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Writes atomically: a temp file in the same folder, then a rename, so readers see all or
   * nothing.
   */
  void write(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("url", url);
    m.put("archive_sha256", archiveSha256);
    m.put("archive_bytes", archiveBytes);
    m.put("content_sha256", contentSha256);
    m.put("fetched_at", fetchedAt.truncatedTo(ChronoUnit.SECONDS).toString());
    AtomicFiles.write(file, JSON.writeValueAsBytes(m)); // as readable as the data set beside it
  }

  /**
   * The record in {@code file}, or {@code null} if it is missing or unreadable (then the data set
   * is fetched again).
   */
  static SourceRecord readOrNull(Path file) {
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(file));
      if (n == null || !n.isObject()) return null;
      return new SourceRecord(
          text(n, "name"),
          text(n, "url"),
          text(n, "archive_sha256"),
          n.path("archive_bytes").asLong(-1),
          text(n, "content_sha256"),
          Instant.parse(n.path("fetched_at").asText()));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
