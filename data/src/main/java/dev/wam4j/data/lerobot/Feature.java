package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One entry of {@code features} in {@code meta/info.json}: a per-frame column (or a video stream).
 *
 * @param name the feature key, e.g. {@code observation.state} or {@code observation.images.front}
 * @param dtype a numpy dtype name ({@code float32}, {@code int64}, {@code bool}, ...), {@code
 *     string}, {@code image} or {@code video}
 * @param shape per-frame shape, e.g. {@code [6]} or {@code [480, 640, 3]}
 * @param names labels flattened in order: a list as is, a list of lists concatenated, a dict's
 *     values concatenated ({@code {"motors": [...]}} gives the motor names); empty when the file
 *     has null
 * @param video the {@code info} / {@code video_info} object of a video feature, when present
 */
public record Feature(
    String name,
    String dtype,
    List<Integer> shape,
    List<String> names,
    Optional<VideoFeatureInfo> video) {

  private static final Set<String> NUMERIC =
      Set.of(
          "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
          "uint32", "uint64", "bool");
  private static final Set<String> CHANNEL_NAMES = Set.of("channel", "channels", "c");

  public Feature {
    shape = List.copyOf(shape);
    names = List.copyOf(names);
  }

  /** True for a video stream (frames live in mp4 files, not in parquet). */
  public boolean isVideo() {
    return dtype.equals("video");
  }

  /**
   * True for an image column: each row holds a PNG or JPEG in the parquet ({@code {bytes, path}}).
   */
  public boolean isImage() {
    return dtype.equals("image");
  }

  /** True for {@code image} and {@code video} features. */
  public boolean isVisual() {
    return isVideo() || isImage();
  }

  /** True for numeric dtypes (and bool), the columns that can be read as arrays of numbers. */
  public boolean isNumeric() {
    return NUMERIC.contains(dtype);
  }

  /** Numbers per frame: the product of {@link #shape()} (1 for an empty shape). */
  public int elementCount() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  /** True when a 3-d visual shape is channels-first ([C,H,W]), judged by names, else by sizes. */
  public boolean channelsFirst() {
    requireImageShape();
    if (names.size() == 3) {
      if (CHANNEL_NAMES.contains(names.get(0).toLowerCase(Locale.ROOT))) {
        return true;
      }
      if (CHANNEL_NAMES.contains(names.get(2).toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return shape.get(0) <= 4 && shape.get(2) > 4;
  }

  /** Image height in pixels, from [H,W,C] or [C,H,W]. */
  public int height() {
    return channelsFirst() ? shape.get(1) : shape.get(0);
  }

  /** Image width in pixels. */
  public int width() {
    return channelsFirst() ? shape.get(2) : shape.get(1);
  }

  /** Channels per pixel. */
  public int channels() {
    return channelsFirst() ? shape.get(0) : shape.get(2);
  }

  private void requireImageShape() {
    if (!isVisual() || shape.size() != 3) {
      throw new IllegalStateException(
          "feature "
              + name
              + " is not an image of shape [H,W,C] or [C,H,W]: "
              + dtype
              + " "
              + shape);
    }
  }

  static Feature parse(MetadataFields f, String name, JsonNode node) throws LeRobotFormatException {
    String key = "features." + name;
    if (!node.isObject()) {
      throw f.error(key, "expected an object, got " + MetadataFields.describe(node));
    }
    String dtype = f.string(node, "dtype", key + ".dtype");
    List<Integer> shape = f.intArray(node, "shape", key + ".shape");
    List<String> names = parseNames(f, node.get("names"), key + ".names");
    Optional<VideoFeatureInfo> video = Optional.empty();
    String infoKey =
        MetadataFields.present(node, "info")
            ? "info"
            : MetadataFields.present(node, "video_info") ? "video_info" : null;
    if (infoKey != null) {
      JsonNode info = f.object(node, infoKey, key + "." + infoKey);
      String k = key + "." + infoKey + ".";
      OptionalDouble fps =
          MetadataFields.present(info, "video.fps")
              ? OptionalDouble.of(f.positive(info, "video.fps", k + "video.fps"))
              : OptionalDouble.empty();
      video =
          Optional.of(
              new VideoFeatureInfo(
                  Optional.ofNullable(f.optionalString(info, "video.codec", k + "video.codec")),
                  Optional.ofNullable(f.optionalString(info, "video.pix_fmt", k + "video.pix_fmt")),
                  fps,
                  f.bool(info, "video.is_depth_map", k + "video.is_depth_map", false),
                  f.bool(info, "has_audio", k + "has_audio", false)));
    }
    Feature feature = new Feature(name, dtype, shape, names, video);
    if (feature.isVisual() && shape.size() != 3) {
      throw f.error(
          key + ".shape", "expected [H,W,C] or [C,H,W] for a " + dtype + " feature, got " + shape);
    }
    return feature;
  }

  private static List<String> parseNames(MetadataFields f, JsonNode names, String key)
      throws LeRobotFormatException {
    List<String> out = new ArrayList<>();
    if (names == null || names.isNull()) {
      return out;
    }
    if (names.isObject()) {
      for (Map.Entry<String, JsonNode> e : names.properties()) {
        flattenNames(f, e.getValue(), key + "." + e.getKey(), out);
      }
      return out;
    }
    flattenNames(f, names, key, out);
    return out;
  }

  private static void flattenNames(MetadataFields f, JsonNode v, String key, List<String> out)
      throws LeRobotFormatException {
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      for (JsonNode e : v) {
        flattenNames(f, e, key, out);
      }
    } else if (!v.isNull()) {
      throw f.error(
          key,
          "expected null, a list of strings, a list of lists or a dict of lists, got "
              + MetadataFields.describe(v));
    }
  }
}
