package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the episode index of a v2.x dataset: {@code meta/tasks.jsonl} and {@code
 * meta/episodes.jsonl}. v2.x keeps one data file (and one mp4 per video key) per episode, named by
 * info.json's templates, so the files and global index ranges follow from the episode order and
 * lengths.
 */
final class JsonlEpisodeMetadata {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonlEpisodeMetadata() {}

  static EpisodeMetadata read(Path root, LeRobotInfo info) throws LeRobotFormatException {
    Path tasksFile = root.resolve("meta/tasks.jsonl");
    Map<Integer, String> tasks = readTasks(tasksFile);
    Path episodesFile = root.resolve("meta/episodes.jsonl");
    return new EpisodeMetadata(
        readEpisodes(root, info, episodesFile), tasks, tasksFile, List.of(episodesFile));
  }

  private static Map<Integer, String> readTasks(Path file) throws LeRobotFormatException {
    Map<Integer, String> tasks = new HashMap<>();
    forEachJsonLine(
        file,
        (f, node, key) -> {
          int idx = f.nonNegativeInt(node, "task_index", key + ".task_index");
          String task = f.string(node, "task", key + ".task");
          if (tasks.put(idx, task) != null) {
            throw f.error(key + ".task_index", "task_index " + idx + " appears twice");
          }
        });
    return tasks;
  }

  private static List<Episode> readEpisodes(Path root, LeRobotInfo info, Path file)
      throws LeRobotFormatException {
    List<Episode> out = new ArrayList<>();
    forEachJsonLine(
        file,
        (f, node, key) -> {
          int idx = f.nonNegativeInt(node, "episode_index", key + ".episode_index");
          int length = f.nonNegativeInt(node, "length", key + ".length");
          List<String> tasks =
              MetadataFields.present(node, "tasks")
                  ? f.stringArray(node, "tasks", key + ".tasks")
                  : List.of();
          out.add(new Episode(idx, length, tasks, null, 0, 0, Map.of(), file));
        });
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    List<Episode> placed = new ArrayList<>(out.size());
    long from = 0;
    Integer previous = null;
    for (Episode e : out) {
      if (previous != null && previous == e.index()) {
        throw new LeRobotFormatException(file, "episode_index " + e.index() + " appears twice");
      }
      previous = e.index();
      int chunk = e.index() / info.chunksSize();
      Path data =
          PathTemplate.resolveInside(
              root,
              info.dataPath(),
              Map.of("episode_chunk", chunk, "episode_index", e.index(), "chunk_index", chunk),
              info.file(),
              "data_path");
      Map<String, VideoSegment> videos = new HashMap<>();
      for (String key : info.videoKeys()) {
        Path v =
            PathTemplate.resolveInside(
                root,
                info.videoPath().orElseThrow(),
                Map.of(
                    "episode_chunk",
                    chunk,
                    "episode_index",
                    e.index(),
                    "video_key",
                    key,
                    "chunk_index",
                    chunk),
                info.file(),
                "video_path");
        videos.put(key, new VideoSegment(v, 0, e.length() / info.fps()));
      }
      placed.add(
          new Episode(
              e.index(), e.length(), e.tasks(), data, from, from + e.length(), videos, file));
      from += e.length();
    }
    return placed;
  }

  @FunctionalInterface
  private interface LineHandler {
    void accept(MetadataFields f, JsonNode node, String key) throws LeRobotFormatException;
  }

  private static void forEachJsonLine(Path file, LineHandler handler)
      throws LeRobotFormatException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new LeRobotFormatException(file, "not found");
    } catch (IOException e) {
      throw new LeRobotFormatException(file, "cannot read: " + e.getMessage(), e);
    }
    MetadataFields f = new MetadataFields(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String key = "line " + (i + 1);
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw f.error(key, "not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw f.error(key, "expected a JSON object");
      }
      handler.accept(f, node, key);
    }
  }
}
