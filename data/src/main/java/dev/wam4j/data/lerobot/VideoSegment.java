package dev.wam4j.data.lerobot;

import java.nio.file.Path;

/**
 * Where one episode's frames of one video key live.
 *
 * @param file the mp4 (v2.x: the episode's own; v3.0: shared by consecutive episodes)
 * @param fromTimestamp seconds into {@code file} of the episode's first frame (0 in v2.x)
 * @param toTimestamp seconds into {@code file} where the episode ends (exclusive)
 */
public record VideoSegment(Path file, double fromTimestamp, double toTimestamp) {}
