package dev.wam4j.fleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wam4j.fleet.store.UploadStatus;

/**
 * Requests and replies of episode uploads (resumable, chunked, checked on completion) and of the
 * data they feed.
 */
public final class UploadApi {
  private UploadApi() {}

  /**
   * Opens (or finds again, to resume) the upload of one episode archive for a task the robot was
   * given.
   */
  public record Open(long taskId, String taskName, String sha256, long sizeBytes) {}

  /**
   * An upload opened or found again: the bytes the server holds (resume from there); {@code
   * duplicate} (no upload id) when that episode is kept already.
   */
  public record Opened(String uploadId, UploadStatus status, long receivedBytes, Long episodeId) {}

  /** The bytes of an upload on the server's disk. */
  public record Progress(long receivedBytes, UploadStatus status) {}

  /**
   * An upload completed: the episode kept, or {@code duplicate} when the same bytes were kept
   * before.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Completed(Long episodeId, Integer frames, boolean duplicate) {}

  /** What the fleet collected for one task, and where its dataset lies. */
  public record Dataset(
      String task, int episodes, long frames, double hours, int successes, String dataset) {}

  /** An episode deleted. */
  public record EpisodeDeleted(long episodeId, boolean deleted) {}

  /** A quarantined upload deleted. */
  public record QuarantineDeleted(String uploadId, boolean deleted) {}
}
