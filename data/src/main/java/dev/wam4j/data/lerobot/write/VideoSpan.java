package dev.wam4j.data.lerobot.write;

/**
 * Where one episode's frames of one video key are: the mp4 {@code videos/KEY/chunk-C/file-F.mp4}
 * and the time span in it.
 *
 * @param chunk the file's chunk index
 * @param file the file's index within its chunk
 * @param from seconds into the file of the episode's first frame
 * @param to seconds into the file where the episode ends (exclusive)
 */
record VideoSpan(int chunk, int file, double from, double to) {}
