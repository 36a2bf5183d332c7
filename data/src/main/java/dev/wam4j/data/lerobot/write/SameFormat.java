package dev.wam4j.data.lerobot.write;

import dev.wam4j.data.lerobot.Feature;
import dev.wam4j.data.lerobot.VideoFeatureInfo;
import dev.wam4j.data.video.VideoInfo;
import dev.wam4j.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether datasets can be appended to one another: the same fps and the same features (keys,
 * dtypes, shapes, names, and for videos codec, pixel format, fps, depth and audio flags), and video
 * files whose streams are what their info.json says. Appending copies files as they are, so nothing
 * could convert one format to the other. Every refusal names the dataset (or file) and the field.
 */
final class SameFormat {
  private SameFormat() {}

  /**
   * Checks that {@code other} has the fps and features of {@code reference}.
   *
   * @throws IllegalArgumentException naming {@code other}, the field and both values when they
   *     differ
   */
  static void check(SourceDataset reference, SourceDataset other) {
    if (reference.info().fps() != other.info().fps()) {
      throw differs(reference, other, "fps", other.info().fps(), reference.info().fps());
    }
    Map<String, Feature> ref = reference.info().features();
    Map<String, Feature> oth = other.info().features();
    List<String> extra = new ArrayList<>(oth.keySet());
    extra.removeAll(ref.keySet());
    List<String> lacking = new ArrayList<>(ref.keySet());
    lacking.removeAll(oth.keySet());
    if (!extra.isEmpty() || !lacking.isEmpty()) {
      throw new IllegalArgumentException(
          other.root()
              + ": features "
              + (lacking.isEmpty() ? "" : "lack " + lacking + " ")
              + (extra.isEmpty() ? "" : "add " + extra + " ")
              + "compared with "
              + reference.root()
              + " (features "
              + ref.keySet()
              + "); an append needs the same features, fps and video format");
    }
    for (Feature r : ref.values()) {
      Feature o = oth.get(r.name());
      String key = "features." + r.name();
      same(reference, other, key + ".dtype", r, o, Feature::dtype);
      same(reference, other, key + ".shape", r, o, Feature::shape);
      same(reference, other, key + ".names", r, o, Feature::names);
      String info = key + ".info.";
      same(
          reference,
          other,
          info + "video.codec",
          r,
          o,
          f -> f.video().flatMap(VideoFeatureInfo::codec));
      same(
          reference,
          other,
          info + "video.pix_fmt",
          r,
          o,
          f -> f.video().flatMap(VideoFeatureInfo::pixelFormat));
      same(
          reference,
          other,
          info + "video.fps",
          r,
          o,
          f -> f.video().map(v -> v.fps().isPresent() ? v.fps().getAsDouble() : null));
      same(
          reference,
          other,
          info + "video.is_depth_map",
          r,
          o,
          f -> f.video().map(VideoFeatureInfo::isDepthMap));
      same(
          reference,
          other,
          info + "has_audio",
          r,
          o,
          f -> f.video().map(VideoFeatureInfo::hasAudio));
    }
  }

  private static <T> void same(
      SourceDataset reference,
      SourceDataset other,
      String field,
      Feature r,
      Feature o,
      Function<Feature, T> value) {
    T a = value.apply(r);
    T b = value.apply(o);
    if (!Objects.equals(a, b)) {
      throw differs(reference, other, field, show(b), show(a));
    }
  }

  private static Object show(Object v) {
    return v instanceof Optional<?> opt ? opt.map(Object.class::cast).orElse("absent") : v;
  }

  private static IllegalArgumentException differs(
      SourceDataset reference, SourceDataset other, String field, Object got, Object want) {
    return new IllegalArgumentException(
        other.root()
            + ": "
            + field
            + " is "
            + got
            + ", but "
            + reference.root()
            + " has "
            + want
            + "; an append needs the same features, fps and video format");
  }

  /**
   * Checks that the stream of {@code file}, an mp4 of video feature {@code f} of {@code dataset},
   * is what the feature says: its frame size, its codec (when info.json states one) and the
   * dataset's fps.
   *
   * @throws IllegalArgumentException naming the file, the field and both values when they differ
   * @throws IOException when the file cannot be opened as a video (the message names it)
   */
  static void checkVideo(SourceDataset dataset, Feature f, Path file) throws IOException {
    VideoInfo v;
    try (VideoReader r = VideoReader.open(file)) {
      v = r.info();
    }
    String field = "features." + f.name() + ".";
    if (v.width() != f.width() || v.height() != f.height()) {
      throw new IllegalArgumentException(
          file
              + ": frames are "
              + v.width()
              + "x"
              + v.height()
              + ", but "
              + field
              + "shape of "
              + dataset.root()
              + " says "
              + f.width()
              + "x"
              + f.height());
    }
    Optional<String> codec = f.video().flatMap(VideoFeatureInfo::codec);
    if (codec.isPresent() && !codec.get().equals(v.codecName())) {
      throw new IllegalArgumentException(
          file
              + ": codec is "
              + v.codecName()
              + ", but "
              + field
              + "info.video.codec of "
              + dataset.root()
              + " says "
              + codec.get());
    }
    if (Math.abs(v.fps() - dataset.info().fps()) > 1e-3) {
      throw new IllegalArgumentException(
          file
              + ": plays at "
              + v.fps()
              + " fps, but fps of "
              + dataset.root()
              + " is "
              + dataset.info().fps());
    }
  }
}
