package dev.wam4j.data.lerobot;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@code info} (older files: {@code video_info}) object of a video feature: what the encoder
 * was told. Every key is optional in real files; the decoded stream is the authority on size.
 *
 * @param codec e.g. {@code av1}, {@code h264}, {@code hevc}
 * @param pixelFormat e.g. {@code yuv420p}
 * @param fps frames per second of the video
 * @param isDepthMap whether the frames encode depth rather than colour
 * @param hasAudio whether the file also carries an audio stream
 */
public record VideoFeatureInfo(
    Optional<String> codec,
    Optional<String> pixelFormat,
    OptionalDouble fps,
    boolean isDepthMap,
    boolean hasAudio) {}
