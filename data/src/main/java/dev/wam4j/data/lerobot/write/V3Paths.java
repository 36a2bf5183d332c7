package dev.wam4j.data.lerobot.write;

/**
 * The v3.0 file names: the templates info.json states and the files they name. The k-th file of a
 * kind (counting from 0) is file {@code k % chunks_size} of chunk {@code k / chunks_size}.
 */
final class V3Paths {
  /** info.json's {@code data_path}. */
  static final String DATA_TEMPLATE = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";

  /** info.json's {@code video_path}. */
  static final String VIDEO_TEMPLATE =
      "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4";

  private V3Paths() {}

  /** The data file {@code file} of chunk {@code chunk}, relative to the dataset. */
  static String data(int chunk, int file) {
    return String.format("data/chunk-%03d/file-%03d.parquet", chunk, file);
  }

  /**
   * The mp4 {@code file} of chunk {@code chunk} of video key {@code key}, relative to the dataset.
   */
  static String video(String key, int chunk, int file) {
    return String.format("videos/%s/chunk-%03d/file-%03d.mp4", key, chunk, file);
  }
}
