package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.write.LeRobotWriteConfig.Version;
import dev.wam4j.data.video.VideoWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mp4 files of a dataset being written, one encoder open per video key. v3.0 concatenates a
 * key's episodes into {@code videos/KEY/chunk-C/file-F.mp4} until the bytes written plus the file's
 * mean episode size would exceed {@code video_files_size_in_mb} (at most {@code chunks_size} files
 * per chunk); v2.1 writes one file per episode.
 */
final class VideoShards implements AutoCloseable {
  private final Path root;
  private final LeRobotWriteConfig config;
  private final List<WriteFeature.Video> videos;
  private final Shard[] shards;

  /**
   * Where one key's frames go: the file (open, or the next one to open) and what it holds so far.
   */
  private static final class Shard {
    int chunk, file;
    VideoWriter writer;
    long frames;
    int episodes;
  }

  VideoShards(Path root, LeRobotWriteConfig config, List<WriteFeature.Video> videos) {
    this.root = root;
    this.config = config;
    this.videos = videos;
    shards = new Shard[videos.size()];
    for (int i = 0; i < shards.length; i++) shards[i] = new Shard();
  }

  /**
   * Opens an encoder for every key whose file is not open, before episode {@code ep}'s first frame.
   */
  void beginEpisode(int ep) throws IOException {
    for (int v = 0; v < videos.size(); v++) {
      Shard s = shards[v];
      if (s.writer == null) {
        WriteFeature.Video feature = videos.get(v);
        Path file =
            config.version() == Version.V3_0
                ? root.resolve(V3Paths.video(feature.key(), s.chunk, s.file))
                : root.resolve(
                    String.format(
                        "videos/chunk-%03d/%s/episode_%06d.mp4",
                        ep / config.chunksSize(), feature.key(), ep));
        s.writer =
            VideoWriter.open(
                file, feature.width(), feature.height(), config.fps(), config.encoding());
        s.frames = 0;
        s.episodes = 0;
      }
    }
  }

  /** Encodes one frame of video {@code v} (packed HWC RGB at {@code offset}). */
  void writeFrame(int v, byte[] rgb, int offset) throws IOException {
    shards[v].writer.writeFrame(rgb, offset);
  }

  /**
   * Ends an episode of {@code frames} frames: where each key's frames of it are, in key order; a
   * file that is full (v3.0) or the episode's own (v2.1) is completed.
   */
  List<VideoSpan> endEpisode(int frames) throws IOException {
    List<VideoSpan> spans = new ArrayList<>();
    for (Shard s : shards) {
      double fromTs = (double) s.frames / config.fps();
      s.frames += frames;
      s.episodes++;
      spans.add(new VideoSpan(s.chunk, s.file, fromTs, (double) s.frames / config.fps()));
      boolean full = config.version() == Version.V2_1;
      if (!full) {
        double bytes = s.writer.bytesWritten();
        full = bytes + bytes / s.episodes > config.videoFilesSizeMb() * LeRobotWriter.MIB;
      }
      if (full) {
        complete(s);
        if (++s.file >= config.chunksSize()) {
          s.file = 0;
          s.chunk++;
        }
      }
    }
    return List.copyOf(spans);
  }

  /** Completes the files still open. */
  void finish() throws IOException {
    for (Shard s : shards) {
      if (s.writer != null) complete(s);
    }
  }

  private static void complete(Shard s) throws IOException {
    s.writer.finish();
    s.writer.close();
    s.writer = null;
  }

  /**
   * Releases every encoder still open; a file not completed is left incomplete. Throws the first
   * failure.
   */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Shard s : shards) {
      if (s.writer != null) {
        try {
          s.writer.close();
        } catch (IOException e) {
          if (failure == null) failure = e;
        }
        s.writer = null;
      }
    }
    if (failure != null) throw failure;
  }
}
