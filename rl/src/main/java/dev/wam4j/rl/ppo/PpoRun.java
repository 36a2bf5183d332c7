package dev.wam4j.rl.ppo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.FileTrees;
import dev.wam4j.model.chart.LineChart;
import dev.wam4j.model.mlp.Adam;
import dev.wam4j.sim.cousins.CousinConfig;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.Scenes;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A PPO run's folder: its config ({@code ppo.json} for a state teacher, {@code steer.json} for an
 * actor steering a world action model; a folder never holds two configs), {@code log.csv} (a row
 * per update, cut back to the checkpoint on resume), {@code curves.png}, and {@code
 * checkpoints/update-NNNNNN/} ({@code state.bin}: parameters, Adam's moments, every environment's
 * stream; {@code checkpoint.json} written last). A checkpoint is built in a temporary folder and
 * renamed into place, so a killed run never leaves one that looks complete; the last three are
 * kept.
 */
final class PpoRun {
  static final String CONFIG = "ppo.json";

  /** What a run folder needs of its config. */
  interface RunConfig {
    /** The config's file name in the folder. */
    String fileName();

    /** What the curves are of. */
    String title();

    /**
     * The config with what may change when a run resumes (threads, the budget, to extend it) set to
     * fixed values.
     */
    RunConfig resumable();
  }

  static final String LOG = "log.csv";
  static final String CHECKPOINTS = "checkpoints";
  private static final int MAGIC = 0x50504F31; // "PPO1"
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);
  private static final String HEADER =
      "update,env_steps,seconds,steps_per_s,episodes,mean_return,success_rate,mean_final_coverage,"
          + "mean_length,policy_loss,value_loss,entropy,approx_kl,clip_fraction,learning_rate,mean_std,rollout_seconds,learn_seconds";

  private static final String FORMAT = "wam4j-ppo-1";

  /**
   * What a checkpoint's {@code checkpoint.json} holds beside its {@code state.bin}.
   *
   * @param update the update the checkpoint was taken after
   * @param envSteps simulator steps so far
   * @param seconds wall-clock seconds of the run so far
   * @param config the run's config, for people: read back as a tree, since the resume checks the
   *     run's own config file and an older checkpoint's config need not parse as today's
   * @param last the statistics of the last update
   */
  record CheckpointMeta<C>(
      String format, long update, long envSteps, double seconds, C config, Ppo.UpdateStats last) {}

  /** A checkpoint as read back. */
  record Checkpoint(
      long update,
      double seconds,
      float[] params,
      Adam adam,
      long[] streams,
      Ppo.UpdateStats last) {}

  private final Path dir;
  private final RunConfig config;
  private final List<Ppo.UpdateStats> history = new ArrayList<>();

  private PpoRun(Path dir, RunConfig config) {
    this.dir = dir;
    this.config = config;
  }

  Path dir() {
    return dir;
  }

  /** The scene a config names: a built-in scene, or a scene file. */
  static Scene scene(String nameOrFile) throws IOException {
    return Scenes.resolve(nameOrFile).scene();
  }

  /**
   * The cousin config a run randomises over, or null without randomisation.
   *
   * @throws IllegalArgumentException when the config names both cousins and a scene other than
   *     pusht (cousins are drawn around PushT), or the cousin config does not exist or does not
   *     parse
   */
  static CousinConfig cousins(String scene, String cousins) throws IOException {
    if (cousins.isEmpty()) return null;
    if (!"pusht".equals(scene)) {
      throw new IllegalArgumentException(
          "config: cousins are drawn around pusht; with cousins '"
              + cousins
              + "' leave scene at pusht, got "
              + scene);
    }
    if (!cousins.endsWith(".json")) return CousinConfig.builtin(cousins);
    Path file = Path.of(cousins);
    if (!Files.isRegularFile(file))
      throw new IllegalArgumentException("config: cousin config file " + file + " does not exist");
    return CousinConfig.load(file);
  }

  /**
   * Refuses cousin configs that change more than the physics (friction, mass, inertia, damping, kp,
   * kv): for policies whose observation is drawn as PushT looks, or whose features read PushT's
   * goal. Null passes.
   */
  static CousinConfig physicsOnly(CousinConfig c, String who) {
    if (c == null) return null;
    CousinConfig r = CousinConfig.reference();
    CousinConfig physics =
        new CousinConfig(
            r.shapes(),
            r.scale(),
            r.goalX(),
            r.goalY(),
            r.goalAngle(),
            c.friction(),
            c.mass(),
            c.inertia(),
            r.background(),
            r.goal(),
            r.block(),
            r.blockEdge(),
            r.wall(),
            r.cameraDx(),
            r.cameraDy(),
            r.cameraRotation(),
            r.cameraZoom(),
            c.damping(),
            c.kp(),
            c.kv());
    if (!physics.equals(c)) {
      throw new IllegalArgumentException(
          who
              + ": cousins may vary the physics only (friction, mass, inertia, physics.*): the observation is drawn "
              + "as PushT looks, with PushT's goal and T");
    }
    return c;
  }

  /**
   * The starting weights of a run that fine-tunes another ({@link PpoConfig#init}): its newest
   * checkpoint's actor and critic, the log standard deviation reset to {@link
   * PpoConfig#initialLogStd}.
   *
   * @throws IllegalArgumentException when the folder is no PPO run, holds no checkpoint, or its
   *     networks have another shape
   */
  static float[] initialWeights(PpoConfig c, PpoNetworks nets) throws IOException {
    PpoPolicy from = PpoPolicy.load(Path.of(c.init()));
    if (from.config().hidden() != c.hidden() || from.config().layers() != c.layers()) {
      throw new IllegalArgumentException(
          "ppo config: init "
              + c.init()
              + " has "
              + from.config().layers()
              + " hidden layers of "
              + from.config().hidden()
              + ", this run "
              + c.layers()
              + " of "
              + c.hidden());
    }
    float[] w = from.weights();
    if (w.length != nets.parameters)
      throw new IllegalStateException(
          "init " + c.init() + ": " + w.length + " weights, expected " + nets.parameters);
    // exploration starts afresh: a teacher that has converged to a near-deterministic policy cannot
    // explore new physics
    java.util.Arrays.fill(
        w, nets.logStdOffset, nets.logStdOffset + nets.actions, (float) c.initialLogStd());
    return w;
  }

  /**
   * Opens (or creates) the run folder for {@code config}.
   *
   * @throws IllegalArgumentException when the folder holds a run of another config
   */
  static PpoRun open(RunConfig config, Path dir) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    Files.createDirectories(dir.resolve(CHECKPOINTS));
    try (Stream<Path> s =
        Files.list(dir.resolve(CHECKPOINTS))) { // a killed run's half-written checkpoints
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList())
        FileTrees.delete(p);
    }
    Path echo = dir.resolve(config.fileName());
    for (String kind : List.of(CONFIG, SteerConfig.FILE)) {
      if (!kind.equals(config.fileName()) && Files.exists(dir.resolve(kind))) {
        throw new IllegalArgumentException(
            dir + " holds another kind of run (" + kind + "); use a new folder");
      }
    }
    if (Files.isRegularFile(echo)) {
      RunConfig old =
          PpoConfig.JSON.treeToValue(PpoConfig.JSON.readTree(echo.toFile()), config.getClass());
      if (!old.resumable().equals(config.resumable())) {
        throw new IllegalArgumentException(
            dir
                + " holds a run of another config (see its "
                + config.fileName()
                + "); use a new folder. "
                + "Only the budget (to extend a run) and threads may change.");
      }
    }
    AtomicFiles.writeString(
        echo, PpoConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    return new PpoRun(dir, config);
  }

  /** The newest complete checkpoint, or null; cuts {@code log.csv} back to it. */
  Checkpoint latest(int parameters) throws IOException {
    Checkpoint cp = read(dir, parameters);
    if (cp == null) {
      AtomicFiles.writeString(dir.resolve(LOG), HEADER + "\n");
      return null;
    }
    // the log keeps what the checkpoint has seen, no row from updates it does not hold
    List<String> rows =
        Files.isRegularFile(dir.resolve(LOG))
            ? Files.readAllLines(dir.resolve(LOG))
            : List.of(HEADER);
    StringBuilder kept = new StringBuilder(HEADER).append('\n');
    for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
      String[] f = row.split(",", 2);
      if (f[0].matches("\\d+") && Long.parseLong(f[0]) <= cp.update()) {
        kept.append(row).append('\n');
        history.add(parseRow(row));
      }
    }
    AtomicFiles.writeString(dir.resolve(LOG), kept.toString());
    return cp;
  }

  /**
   * The newest checkpoint of the run in {@code dir} trained with {@code config} that reads back
   * whole, or null; a damaged one (e.g. a file lost to a power cut after its rename) is skipped for
   * the one before it.
   */
  static Checkpoint read(Path dir, int parameters) throws IOException {
    List<Path> complete = checkpoints(dir.resolve(CHECKPOINTS));
    IOException damaged = null;
    for (int i = complete.size() - 1; i >= 0; i--) {
      try {
        return readCheckpoint(complete.get(i), parameters);
      } catch (IOException | RuntimeException e) {
        if (damaged == null)
          damaged = new IOException(complete.get(i) + " is damaged: " + e.getMessage(), e);
      }
    }
    if (damaged != null) throw damaged;
    return null;
  }

  /**
   * Complete checkpoint folders ({@code checkpoint.json} present), oldest first by update number.
   */
  private static List<Path> checkpoints(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(
              p ->
                  p.getFileName().toString().matches("update-\\d{6,}")
                      && Files.isRegularFile(p.resolve("checkpoint.json")))
          .sorted(
              java.util.Comparator.comparingLong(
                  p -> Long.parseLong(p.getFileName().toString().substring("update-".length()))))
          .toList();
    }
  }

  private static Checkpoint readCheckpoint(Path best, int expected) throws IOException {
    long bestUpdate = Long.parseLong(best.getFileName().toString().substring("update-".length()));
    CheckpointMeta<JsonNode> meta =
        JSON.readValue(
            best.resolve("checkpoint.json").toFile(),
            new TypeReference<CheckpointMeta<JsonNode>>() {});
    float[] params, m, v;
    long t;
    long[] streams;
    try (InputStream raw = Files.newInputStream(best.resolve("state.bin"));
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
      if (in.readInt() != MAGIC)
        throw new IOException(best.resolve("state.bin") + ": not a PPO state file");
      params = floats(in);
      m = floats(in);
      v = floats(in);
      t = in.readLong();
      int k = in.readInt();
      streams = new long[k];
      for (int i = 0; i < k; i++) streams[i] = in.readLong();
    }
    if (params.length != expected)
      throw new IOException(
          best + ": " + params.length + " parameters, the config's networks have " + expected);
    if (m.length != expected || v.length != expected)
      throw new IOException(best + ": Adam's moments do not match the " + expected + " parameters");
    for (float p : params)
      if (!Float.isFinite(p)) throw new IOException(best + ": a parameter is " + p);
    return new Checkpoint(
        bestUpdate, meta.seconds(), params, new Adam(m, v, t), streams, meta.last());
  }

  /** Appends an update's row to the log. */
  void log(Ppo.UpdateStats s) throws IOException {
    history.add(s);
    String row =
        String.format(
            Locale.ROOT,
            "%d,%d,%.3f,%.1f,%d,%s,%s,%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.4f%n",
            s.update(),
            s.envSteps(),
            s.seconds(),
            s.stepsPerSecond(),
            s.episodes(),
            num(s.meanReturn()),
            num(s.successRate()),
            num(s.meanFinalCoverage()),
            num(s.meanLength()),
            s.policyLoss(),
            s.valueLoss(),
            s.entropy(),
            s.approxKl(),
            s.clipFraction(),
            s.learningRate(),
            s.meanStd(),
            s.rolloutSeconds(),
            s.learnSeconds());
    Files.writeString(dir.resolve(LOG), row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Writes checkpoint {@code update} atomically, redraws the curves, keeps the newest three
   * checkpoints.
   */
  void checkpoint(long update, Ppo.UpdateStats last, float[] params, Adam adam, long[] streams)
      throws IOException {
    Path checkpoints = dir.resolve(CHECKPOINTS);
    String name = String.format("update-%06d", update);
    Path tmp = Files.createTempDirectory(checkpoints, ".tmp-" + name);
    try (java.nio.channels.FileChannel ch =
            java.nio.channels.FileChannel.open(
                tmp.resolve("state.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
      out.writeInt(MAGIC);
      writeFloats(out, params);
      writeFloats(out, adam.m());
      writeFloats(out, adam.v());
      out.writeLong(adam.t());
      out.writeInt(streams.length);
      for (long s : streams) out.writeLong(s);
      out.flush();
      ch.force(true); // on disk before the rename publishes it
    }
    CheckpointMeta<RunConfig> meta =
        new CheckpointMeta<>(FORMAT, update, last.envSteps(), last.seconds(), config, last);
    AtomicFiles.writeString(tmp.resolve("checkpoint.json"), JSON.writeValueAsString(meta));
    Path target = checkpoints.resolve(name);
    AtomicFiles.publishDirectory(tmp, target);
    List<Path> done = checkpoints(checkpoints);
    for (int i = 0; i < done.size() - 3; i++) FileTrees.delete(done.get(i));
    AtomicFiles.write(dir.resolve("curves.png"), curves());
  }

  /** Episodes pooled per point of the curves: enough that a point is not one update's handful. */
  static final int CURVE_EPISODES = 100;

  /**
   * Success rate and final coverage against environment steps and against minutes: each point pools
   * the episodes ending in consecutive updates until there are {@link #CURVE_EPISODES} (a rollout
   * of few environments ends few episodes per update, and all in the updates after a checkpoint
   * restarted them).
   */
  byte[] curves() {
    List<double[]> points = new ArrayList<>(); // steps (M), minutes, success, coverage
    int episodes = 0;
    double successes = 0, coverage = 0;
    for (Ppo.UpdateStats s : history) {
      if (s.episodes() == 0) continue;
      episodes += s.episodes();
      successes += s.successRate() * s.episodes();
      coverage += s.meanFinalCoverage() * s.episodes();
      if (episodes >= CURVE_EPISODES) {
        points.add(
            new double[] {
              s.envSteps() / 1e6, s.seconds() / 60, successes / episodes, coverage / episodes
            });
        episodes = 0;
        successes = 0;
        coverage = 0;
      }
    }
    Ppo.UpdateStats newest = history.isEmpty() ? null : history.get(history.size() - 1);
    if (episodes > 0) { // the newest updates' episodes, fewer than a full point's
      points.add(
          new double[] {
            newest.envSteps() / 1e6,
            newest.seconds() / 60,
            successes / episodes,
            coverage / episodes
          });
    }
    double[] steps = points.stream().mapToDouble(p -> p[0]).toArray();
    double[] minutes = points.stream().mapToDouble(p -> p[1]).toArray();
    double[] success = points.stream().mapToDouble(p -> p[2]).toArray();
    double[] cover = points.stream().mapToDouble(p -> p[3]).toArray();
    String each = "each point " + CURVE_EPISODES + "+ training episodes";
    LineChart chart =
        new LineChart(
            config.title() + ": " + each,
            "environment steps (millions)",
            "success rate / final coverage");
    chart.series("success rate", steps, success);
    chart.series("final coverage", steps, cover);
    byte[] bySteps = chart.png();
    LineChart wall =
        new LineChart(
            "the same against wall-clock (" + each + ")",
            "minutes",
            "success rate / final coverage");
    wall.series("success rate", minutes, success);
    wall.series("final coverage", minutes, cover);
    try {
      AtomicFiles.write(dir.resolve("curves-wallclock.png"), wall.png());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bySteps;
  }

  /** Redraws the curves from the log (a finished run's, after the plotting changed). */
  void redrawCurves() throws IOException {
    AtomicFiles.write(dir.resolve("curves.png"), curves());
  }

  private static Ppo.UpdateStats parseRow(String row) {
    String[] f = row.split(",");
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++)
      d[i] = f[i].equals("nan") ? Double.NaN : Double.parseDouble(f[i]);
    return new Ppo.UpdateStats(
        (long) d[0],
        (long) d[1],
        d[2],
        d[3],
        (int) d[4],
        d[5],
        d[6],
        d[7],
        d[8],
        d[9],
        d[10],
        d[11],
        d[12],
        d[13],
        d[14],
        d[15],
        d[16],
        d[17]);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static float[] floats(DataInputStream in) throws IOException {
    int k = in.readInt();
    if (k < 0 || k > 100_000_000) throw new IOException("implausible array length " + k);
    float[] a = new float[k];
    for (int i = 0; i < k; i++) a[i] = in.readFloat();
    return a;
  }

  private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    for (float x : a) out.writeFloat(x);
  }
}
