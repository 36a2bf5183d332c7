package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.video.VideoException;
import dev.wam4j.data.video.VideoInfo;
import dev.wam4j.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a LeRobot dataset against itself and reports every problem found rather than stopping at
 * the first: totals in info.json, missing files, row counts against episode lengths, index and
 * frame_index continuity, timestamps against frame_index / fps (within {@link
 * LeRobotDataset#TIMESTAMP_TOLERANCE_S}), video frame counts against episode lengths (for the
 * videos present) and the presence of statistics.
 */
public final class DatasetValidation {
  private DatasetValidation() {}

  /**
   * Validates the dataset in {@code root}.
   *
   * @return the problems, each naming its file; empty when the dataset is valid
   */
  public static List<DatasetProblem> validate(Path root) {
    return validate(root, false);
  }

  /**
   * Validates the dataset in {@code root}; with {@code decodeVideos} every frame of every video
   * file and every image of every image feature is also decoded (slow: catches damage inside a file
   * that its header does not show).
   */
  public static List<DatasetProblem> validate(Path root, boolean decodeVideos) {
    List<DatasetProblem> problems = new ArrayList<>();
    try (LeRobotDataset ds = LeRobotDataset.open(root, false)) {
      check(ds, problems);
      if (decodeVideos) {
        decodeEveryFrame(ds, problems);
        decodeEveryImage(ds, problems);
      }
    } catch (LeRobotFormatException e) {
      problems.add(problemOf(e));
    } catch (IOException e) {
      problems.add(new DatasetProblem(root, e.getMessage()));
    }
    return problems;
  }

  private static DatasetProblem problemOf(LeRobotFormatException e) {
    String m = e.getMessage();
    int sep = m.indexOf(": ");
    return sep > 0
        ? new DatasetProblem(Path.of(m.substring(0, sep)), m.substring(sep + 2))
        : new DatasetProblem(Path.of(""), m);
  }

  private static void check(LeRobotDataset ds, List<DatasetProblem> problems)
      throws LeRobotFormatException {
    LeRobotInfo info = ds.info();
    Path infoFile = info.file();
    List<Episode> episodes = ds.episodes();
    if (episodes.size() != info.totalEpisodes()) {
      problems.add(
          new DatasetProblem(
              infoFile,
              "total_episodes is "
                  + info.totalEpisodes()
                  + ", the episodes metadata lists "
                  + episodes.size()));
    }
    long frames = episodes.stream().mapToLong(Episode::length).sum();
    if (frames != info.totalFrames()) {
      problems.add(
          new DatasetProblem(
              infoFile,
              "total_frames is " + info.totalFrames() + ", the episode lengths sum to " + frames));
    }
    if (ds.tasks().size() != info.totalTasks()) {
      problems.add(
          new DatasetProblem(
              infoFile,
              "total_tasks is "
                  + info.totalTasks()
                  + ", "
                  + ds.tasksFile()
                  + " lists "
                  + ds.tasks().size()));
    }
    long expectedFrom = 0;
    for (Episode e : episodes) {
      if (e.datasetFrom() != expectedFrom) {
        problems.add(
            new DatasetProblem(
                e.metadataFile(),
                "episode "
                    + e.index()
                    + " starts at index "
                    + e.datasetFrom()
                    + ", the previous episode ends at "
                    + expectedFrom));
      }
      expectedFrom = e.datasetTo();
    }
    for (Path missing : ds.missingFiles()) {
      problems.add(new DatasetProblem(missing, "referenced by the episodes metadata but missing"));
    }
    problems.addAll(ds.checkEpisodesAgainstData(true));
    checkVideos(ds, problems);
    checkStats(ds, problems);
  }

  private static void decodeEveryFrame(LeRobotDataset ds, List<DatasetProblem> problems) {
    for (Path file : ds.videoFiles()) {
      if (!Files.isRegularFile(file)) continue;
      try (VideoReader r = VideoReader.open(file)) {
        byte[] frame = new byte[r.info().width() * r.info().height() * 3];
        long decoded = 0;
        while (r.readFrame(frame)) decoded++;
        long expected = r.info().frameCount().orElse(decoded);
        if (decoded != expected) {
          problems.add(
              new DatasetProblem(
                  file, "decodes to " + decoded + " frames, its header says " + expected));
        }
      } catch (IOException e) {
        problems.add(new DatasetProblem(file, "cannot be decoded: " + e.getMessage()));
      }
    }
  }

  /**
   * Decodes every image of every image feature; reports at most one problem per key and episode.
   */
  private static void decodeEveryImage(LeRobotDataset ds, List<DatasetProblem> problems) {
    for (String key : ds.imageKeys()) {
      byte[] frame = new byte[ds.frameBytes(key)];
      for (Episode e : ds.episodes()) {
        if (!Files.isRegularFile(e.dataFile())) continue;
        try {
          for (int f = 0; f < e.length(); f++) ds.readImageFrame(e.index(), f, key, frame, 0);
        } catch (LeRobotFormatException ex) {
          problems.add(problemOf(ex));
        } catch (IOException ex) {
          problems.add(new DatasetProblem(e.dataFile(), ex.getMessage()));
        }
      }
    }
  }

  private static void checkVideos(LeRobotDataset ds, List<DatasetProblem> problems) {
    double fps = ds.fps();
    Map<Path, List<Episode>> byFile = new LinkedHashMap<>();
    for (Episode e : ds.episodes()) {
      for (VideoSegment s : e.videos().values()) {
        byFile.computeIfAbsent(s.file(), k -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<Path, List<Episode>> entry : byFile.entrySet()) {
      Path file = entry.getKey();
      if (!Files.isRegularFile(file)) {
        continue;
      }
      VideoInfo vi;
      try (VideoReader r = VideoReader.open(file)) {
        vi = r.info();
      } catch (VideoException e) {
        problems.add(new DatasetProblem(file, e.getMessage()));
        continue;
      }
      long streamFrames = vi.frameCount().orElse(Math.round(vi.durationSeconds() * vi.fps()));
      double end = 0;
      for (Episode e : entry.getValue()) {
        for (Map.Entry<String, VideoSegment> v : e.videos().entrySet()) {
          if (!v.getValue().file().equals(file)) {
            continue;
          }
          VideoSegment s = v.getValue();
          long segFrames = Math.round((s.toTimestamp() - s.fromTimestamp()) * fps);
          if (segFrames != e.length()) {
            problems.add(
                new DatasetProblem(
                    e.metadataFile(),
                    "episode "
                        + e.index()
                        + " of "
                        + v.getKey()
                        + " spans "
                        + s.fromTimestamp()
                        + ".."
                        + s.toTimestamp()
                        + " s = "
                        + segFrames
                        + " frames, its length is "
                        + e.length()));
          }
          end = Math.max(end, s.toTimestamp());
        }
      }
      long needed = Math.round(end * fps);
      boolean perEpisode = ds.version().perEpisodeFiles();
      if (perEpisode ? streamFrames != needed : streamFrames < needed) {
        problems.add(
            new DatasetProblem(
                file,
                "has "
                    + streamFrames
                    + " frames, the episodes need "
                    + (perEpisode ? "" : "at least ")
                    + needed));
      }
      if (Math.abs(vi.fps() - fps) > 1e-3) {
        problems.add(
            new DatasetProblem(file, "plays at " + vi.fps() + " fps, info.json says " + fps));
      }
    }
  }

  private static void checkStats(LeRobotDataset ds, List<DatasetProblem> problems)
      throws LeRobotFormatException {
    List<String> statKeys =
        ds.features().values().stream()
            .filter(f -> f.isNumeric() || f.isVisual())
            .map(Feature::name)
            .toList();
    Path statsFile = ds.root().resolve("meta/stats.json");
    ObjectMapper mapper = new ObjectMapper();
    if (!Files.isRegularFile(statsFile)) {
      problems.add(new DatasetProblem(statsFile, "missing (dataset statistics)"));
    } else {
      try {
        JsonNode stats = mapper.readTree(statsFile.toFile());
        List<String> absent =
            statKeys.stream()
                .filter(
                    k ->
                        stats == null
                            || !stats.has(k)
                            || !stats.get(k).has("mean")
                            || !stats.get(k).has("std"))
                .toList();
        if (!absent.isEmpty()) {
          problems.add(new DatasetProblem(statsFile, "no mean/std for features " + absent));
        }
      } catch (IOException e) {
        problems.add(new DatasetProblem(statsFile, "not valid JSON: " + e.getMessage()));
      }
    }
    switch (ds.version()) {
      case V2_0 -> {}
      case V2_1 -> {
        Path f = ds.root().resolve("meta/episodes_stats.jsonl");
        if (!Files.isRegularFile(f)) {
          problems.add(new DatasetProblem(f, "missing (per-episode statistics of v2.1)"));
          return;
        }
        Set<Integer> seen = new HashSet<>();
        try {
          for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
              JsonNode n = mapper.readTree(line);
              if (n != null && n.has("episode_index") && n.has("stats")) {
                seen.add(n.get("episode_index").asInt());
              }
            }
          }
        } catch (IOException e) {
          problems.add(new DatasetProblem(f, "not valid JSON lines: " + e.getMessage()));
          return;
        }
        List<Integer> absent =
            ds.episodes().stream().map(Episode::index).filter(i -> !seen.contains(i)).toList();
        if (!absent.isEmpty()) {
          problems.add(new DatasetProblem(f, "no statistics for episodes " + abbreviate(absent)));
        }
      }
      case V3_0 -> {
        for (Path f : ds.episodeMetadataFiles()) {
          Set<String> columns;
          try (Connection c = Duck.connect()) {
            columns = ParquetColumns.describe(c, f).keySet();
          } catch (SQLException e) {
            throw new LeRobotFormatException(f, "cannot read parquet: " + Duck.message(e), e);
          }
          List<String> absent =
              statKeys.stream().filter(k -> !columns.contains("stats/" + k + "/mean")).toList();
          if (!absent.isEmpty()) {
            problems.add(
                new DatasetProblem(
                    f, "no per-episode statistics (stats/KEY/mean) for features " + absent));
          }
        }
      }
    }
  }

  private static String abbreviate(List<Integer> xs) {
    return xs.size() <= 10
        ? xs.toString()
        : xs.subList(0, 10) + " and " + (xs.size() - 10) + " more";
  }
}
