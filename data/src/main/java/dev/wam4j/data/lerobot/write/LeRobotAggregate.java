package dev.wam4j.data.lerobot.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.FileTrees;
import dev.wam4j.data.lerobot.Episode;
import dev.wam4j.data.lerobot.LeRobotFormatException;
import dev.wam4j.data.lerobot.VideoSegment;
import dev.wam4j.data.lerobot.write.ShardCopies.IndexColumns;
import dev.wam4j.data.lerobot.write.ShardCopies.Renumbering;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a LeRobot v3.0 dataset that is an existing one plus the episodes of others, without
 * decoding or re-encoding any video: the cost is copying files, not coding frames, so growing a
 * dataset one small upload at a time stays cheap however large it gets.
 *
 * <p>Every data and video file of the inputs becomes a file of the result, in input order, under
 * the next file index ({@code chunks_size} files per chunk): the base's files are hard-linked
 * (copied where the filesystem cannot link) as they are; an addition's data files are rewritten
 * with {@code episode_index}, the global {@code index} and {@code task_index} renumbered, its
 * videos linked or copied. The metadata is written anew: tasks merged (new task strings get the
 * next indices), one episodes row per episode pointing at the new files (the video time spans stay,
 * since every mp4 stays whole), per-episode statistics as stored (those of the renumbered index
 * columns recomputed), the aggregated {@code stats.json}, and the base's {@code info.json} with the
 * new totals. Data and video files are not merged up to {@code data_files_size_in_mb} / {@code
 * video_files_size_in_mb}: that would need re-muxing, so each append adds files.
 *
 * <p>Like {@link LeRobotWriter}, the result is written into a hidden directory beside {@code out},
 * {@code meta/info.json} last, and renamed onto {@code out} only when complete; on failure the
 * hidden directory is deleted. A caller replacing a live dataset then publishes {@code out} by a
 * rename of its own.
 */
public final class LeRobotAggregate {
  private final Path root;
  private final Connection db;
  private final SourceDataset reference;
  private final Map<String, Integer> tasks = new LinkedHashMap<>();
  private final List<EpisodeRow> rows = new ArrayList<>();
  private final Map<String, Integer> videoFiles = new HashMap<>();
  private int dataFiles;
  private long frames;

  /** Where a copied file went: its chunk and its file index within the chunk. */
  private record ShardAt(int chunk, int file) {}

  private LeRobotAggregate(Path root, Connection db, SourceDataset reference) {
    this.root = root;
    this.db = db;
    this.reference = reference;
  }

  /**
   * Writes to {@code out} the dataset {@code base} with the episodes of {@code additions} appended,
   * in order, each keeping its task strings, values and frames.
   *
   * @param base a v3.0 dataset, or null (or a folder that does not exist) to start from the first
   *     addition
   * @param additions v3.0 datasets with the features and fps of {@code base}, at least one
   * @param out where the result appears; must not exist
   * @return the result's folder ({@code out}, absolute)
   * @throws IllegalArgumentException when {@code out} exists, there are no additions, or an input
   *     is not v3.0, misses files, is numbered unlike LeRobot, or differs from the first input in
   *     fps, features or video format; the message names the dataset (or file) and the field
   * @throws IOException when an input cannot be read (a {@link LeRobotFormatException} names the
   *     file) or the result cannot be written; nothing then appears at {@code out}
   */
  public static Path append(Path base, List<Path> additions, Path out) throws IOException {
    Path target = out.toAbsolutePath().normalize();
    if (additions.isEmpty())
      throw new IllegalArgumentException("nothing to append to " + base + ": no additions");
    if (Files.exists(target)) {
      throw new IllegalArgumentException(
          "dataset directory " + target + " already exists; an append writes a fresh folder");
    }
    boolean hasBase = base != null && Files.exists(base);
    List<SourceDataset> sources = new ArrayList<>();
    if (hasBase) sources.add(SourceDataset.read(base));
    for (Path a : additions) sources.add(SourceDataset.read(a));
    SourceDataset reference = sources.get(0);
    for (SourceDataset s : sources.subList(1, sources.size())) SameFormat.check(reference, s);

    Files.createDirectories(target.getParent());
    Path temp =
        LeRobotWriter.createPartialDirectory(
            target.getParent(), "." + target.getFileName() + ".partial-");
    try {
      try (Connection db = Sql.open()) {
        LeRobotAggregate a = new LeRobotAggregate(temp, db, reference);
        for (int i = 0; i < sources.size(); i++) a.add(sources.get(i), !(hasBase && i == 0));
        a.writeMetadata(); // info.json last: its presence marks a complete dataset
      } catch (SQLException e) {
        throw new IOException("DuckDB failed while writing " + target + ": " + e.getMessage(), e);
      }
      if (Files.exists(target))
        throw new IOException(
            "dataset directory " + target + " appeared while writing; not overwriting it");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException | RuntimeException | Error e) {
      FileTrees.deleteQuietly(temp, e); // a failing clean-up must not hide why the append failed
      throw e;
    }
  }

  /**
   * Copies the files of {@code src} and records its episodes after those added so far; with {@code
   * checkVideos}, every mp4's stream is first checked against the features (the base's were checked
   * when they were appended).
   */
  private void add(SourceDataset src, boolean checkVideos) throws IOException {
    Map<Integer, Integer> taskMap = new HashMap<>();
    for (Map.Entry<Integer, String> t : new TreeMap<>(src.tasks()).entrySet()) {
      Integer to = tasks.get(t.getValue());
      if (to == null) {
        to = tasks.size();
        tasks.put(t.getValue(), to);
      }
      taskMap.put(t.getKey(), to);
    }
    int episodeOffset = rows.size();
    Renumbering renumbering = new Renumbering(episodeOffset, frames, taskMap);

    Map<Path, ShardAt> dataAt = new HashMap<>();
    List<Path> written = new ArrayList<>();
    for (Path f : src.dataFiles()) {
      ShardAt at = shardAt(dataFiles++);
      Path dst = root.resolve(V3Paths.data(at.chunk(), at.file()));
      if (renumbering.keepsNumbers()) ShardCopies.linkOrCopy(f, dst);
      else ShardCopies.copyRenumbered(db, f, dst, renumbering);
      dataAt.put(f, at);
      written.add(dst);
    }
    Map<Path, ShardAt> videoAt =
        new HashMap<>(); // mp4 paths include the key, so one map serves every key
    for (String key : reference.info().videoKeys()) {
      for (Path f : src.videoFiles(key)) {
        if (checkVideos) SameFormat.checkVideo(src, src.info().feature(key), f);
        ShardAt at = shardAt(videoFiles.merge(key, 1, Integer::sum) - 1);
        ShardCopies.linkOrCopy(f, root.resolve(V3Paths.video(key, at.chunk(), at.file())));
        videoAt.put(f, at);
      }
    }

    Map<Integer, LinkedHashMap<String, FeatureStats>> stats = StoredStats.read(db, src);
    Map<Integer, IndexColumns> renumbered = Map.of();
    if (!renumbering.keepsNumbers()) {
      Map<Integer, Integer> lengths = new HashMap<>();
      for (Episode e : src.episodes()) lengths.put(episodeOffset + e.index(), e.length());
      renumbered = ShardCopies.indexColumns(db, written, lengths);
    }
    for (Episode e : src.episodes()) {
      int index = episodeOffset + e.index();
      List<VideoSpan> spans = new ArrayList<>();
      for (String key : reference.info().videoKeys()) {
        VideoSegment s = e.videos().get(key);
        ShardAt at = videoAt.get(s.file());
        spans.add(new VideoSpan(at.chunk(), at.file(), s.fromTimestamp(), s.toTimestamp()));
      }
      LinkedHashMap<String, FeatureStats> st = stats.get(e.index());
      if (st == null)
        throw new LeRobotFormatException(
            e.metadataFile(), "no statistics for episode " + e.index());
      if (!rows.isEmpty() && !st.keySet().equals(rows.get(0).stats().keySet())) {
        throw new IllegalArgumentException(
            src.root()
                + ": episode "
                + e.index()
                + " has statistics (stats/KEY/...) of "
                + st.keySet()
                + ", but the episodes before it have "
                + rows.get(0).stats().keySet());
      }
      if (!renumbering.keepsNumbers()) st = withIndexStats(st, renumbered.get(index));
      ShardAt data = dataAt.get(e.dataFile());
      rows.add(
          new EpisodeRow(
              index,
              e.tasks(),
              e.length(),
              data.chunk(),
              data.file(),
              frames + e.datasetFrom(),
              frames + e.datasetTo(),
              spans,
              st));
    }
    frames += src.frames();
  }

  /**
   * The {@code k}-th file of a kind (from 0): file {@code k % chunks_size} of chunk {@code k /
   * chunks_size}.
   */
  private ShardAt shardAt(int k) {
    int chunks = reference.info().chunksSize();
    return new ShardAt(k / chunks, k % chunks);
  }

  /**
   * {@code stats} with the statistics of the renumbered index columns computed from their new
   * values.
   */
  private static LinkedHashMap<String, FeatureStats> withIndexStats(
      Map<String, FeatureStats> stats, IndexColumns c) {
    LinkedHashMap<String, FeatureStats> out = new LinkedHashMap<>(stats);
    Map<String, double[]> values =
        Map.of("episode_index", c.episodeIndex(), "index", c.index(), "task_index", c.taskIndex());
    values.forEach(
        (key, v) -> {
          FeatureStats old = out.get(key);
          if (old != null) out.put(key, FeatureStats.ofRows(v, v.length, 1, old.integer));
        });
    return out;
  }

  private void writeMetadata() throws IOException {
    MetaFiles meta = new MetaFiles(root, db);
    try {
      meta.writeTasksParquet(tasks);
      meta.writeEpisodesParquet(rows, reference.info().videoKeys());
    } catch (SQLException e) {
      throw new IOException("writing metadata under " + root + ": " + e.getMessage(), e);
    }
    meta.writeStatsJson(rows, true);
    ObjectNode info = (ObjectNode) new ObjectMapper().readTree(reference.info().file().toFile());
    info.put("total_episodes", rows.size());
    info.put("total_frames", frames);
    info.put("total_tasks", tasks.size());
    info.putObject("splits").put("train", "0:" + rows.size());
    info.put("data_path", V3Paths.DATA_TEMPLATE); // the files are renamed to the standard layout
    if (!reference.info().videoKeys().isEmpty()) info.put("video_path", V3Paths.VIDEO_TEMPLATE);
    meta.writeInfoJson(info);
  }
}
