package dev.wam4j.data.lerobot;

import dev.wam4j.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the frames of video features from the dataset's mp4 files. One decoder per key stays open
 * on the file last read, so consecutive frames of one file decode without seeking: walking an
 * episode costs one decode per frame.
 */
final class VideoFrames implements AutoCloseable {
  private final double fps;
  private final Map<String, OpenVideo> byKey = new HashMap<>();

  /**
   * The decoder of one key, on {@code file}; {@code lastTime} is the time of the frame it gave
   * last, -1 for none.
   */
  private static final class OpenVideo {
    final Path file;
    final VideoReader reader;
    double lastTime = -1;

    OpenVideo(Path file, VideoReader reader) {
      this.file = file;
      this.reader = reader;
    }
  }

  VideoFrames(double fps) {
    this.fps = fps;
  }

  /**
   * Decodes frame {@code frame} of episode {@code e} of video feature {@code f} into {@code
   * rgbOut}: the frame at {@code from_timestamp + frame / fps} in the episode's mp4, which must lie
   * within {@link LeRobotDataset#TIMESTAMP_TOLERANCE_S} of that time. The caller has checked the
   * frame and the feature.
   */
  void read(Episode e, int frame, Feature f, byte[] rgbOut, int offset) throws IOException {
    String key = f.name();
    VideoSegment seg = e.videos().get(key);
    if (seg == null) {
      throw new LeRobotFormatException(
          e.metadataFile(), "episode " + e.index() + " has no video segment for " + key);
    }
    if (!Files.isRegularFile(seg.file())) {
      throw new LeRobotFormatException(
          seg.file(), "video file of " + key + " for episode " + e.index() + " not found");
    }
    OpenVideo v = open(key, seg.file(), f);
    double target = seg.fromTimestamp() + frame / fps;
    double got;
    double interval = 1 / fps;
    if (v.lastTime >= 0
        && Math.abs(target - (v.lastTime + interval)) <= LeRobotDataset.TIMESTAMP_TOLERANCE_S) {
      if (!v.reader.readFrame(rgbOut, offset)) {
        throw new LeRobotFormatException(
            seg.file(),
            "no frame at "
                + target
                + " s (episode "
                + e.index()
                + " frame "
                + frame
                + " of "
                + key
                + "): the stream ends before it");
      }
      got = v.reader.frameTime();
    } else {
      try {
        got = v.reader.seek(target, rgbOut, offset);
      } catch (IllegalArgumentException ex) {
        v.lastTime = -1;
        throw new LeRobotFormatException(
            seg.file(),
            "no frame at "
                + target
                + " s (episode "
                + e.index()
                + " frame "
                + frame
                + " of "
                + key
                + "): "
                + ex.getMessage());
      }
    }
    v.lastTime = got;
    if (Math.abs(got - target) > LeRobotDataset.TIMESTAMP_TOLERANCE_S) {
      v.lastTime = -1;
      throw new LeRobotFormatException(
          seg.file(),
          "episode "
              + e.index()
              + " frame "
              + frame
              + " of "
              + key
              + " should be at "
              + target
              + " s, nearest frame is at "
              + got
              + " s (tolerance "
              + LeRobotDataset.TIMESTAMP_TOLERANCE_S
              + " s)");
    }
  }

  /**
   * The decoder of {@code key} on {@code file}, opening it (and closing the key's previous one)
   * when needed.
   */
  private OpenVideo open(String key, Path file, Feature f) throws IOException {
    OpenVideo v = byKey.get(key);
    if (v != null && v.file.equals(file)) {
      return v;
    }
    if (v != null) {
      v.reader.close();
      byKey.remove(key);
    }
    VideoReader r = VideoReader.open(file);
    // Check before caching: a reader kept after a failed check would write wrong-size frames later.
    if (r.info().width() != f.width() || r.info().height() != f.height()) {
      int w = r.info().width(), h = r.info().height();
      r.close();
      throw new LeRobotFormatException(
          file,
          "frames are "
              + w
              + "x"
              + h
              + ", info.json feature "
              + key
              + " says "
              + f.width()
              + "x"
              + f.height());
    }
    v = new OpenVideo(file, r);
    byKey.put(key, v);
    return v;
  }

  /** Closes every open decoder. Idempotent. */
  @Override
  public void close() {
    for (OpenVideo v : byKey.values()) {
      v.reader.close();
    }
    byKey.clear();
  }
}
