package dev.wam4j.model.cell;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.model.mlp.Adam;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.mlp.SplitMix;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.CellCamera;
import dev.wam4j.sim.scene.Pose;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a cell pusher by DAgger (Ross et al. 2011) with the scripted expert as teacher: round 0
 * records the expert's own pushes in random cells ({@link CellScenes}); every later round the
 * student pushes (each step the teacher's action instead with probability beta, halved every
 * round), the teacher labels every state the student reaches with the contact it would push at, and
 * the network is trained on all data so far (cross-entropy over the shape's contacts). The student
 * sees what it will see in a factory run: the part's pose fitted to the camera's pixels; only the
 * teacher reads the simulator. After each round the student alone makes {@code validationPushes}
 * pushes on validation scenes, and the round's weights are saved as {@code round-NN/} (choose on
 * these).
 *
 * <p>A run folder resumes: {@code state.bin} (weights, Adam, data, round) is written atomically
 * after every round, so a killed run loses at most the round in progress.
 */
public final class CellPusherTraining {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The run's state file. */
  static final String STATE_FILE = "state.bin";

  /**
   * Floats per recorded state: shape, the part as seen (x, y, angle), the goal (x, y, angle), the
   * pusher (x, y). The scorer's rows are computed from it when training.
   */
  static final int STATE = 9;

  /**
   * One round.
   *
   * @param beta probability that a step executed the teacher's action
   * @param samples rows of data after the round
   * @param trainLoss cross-entropy (nats) over the round's last 200 gradient steps
   * @param validationPlaced share of validation pushes that reached coverage 0.9 (simulator's)
   * @param validationCoverage mean best coverage of the validation pushes
   * @param cpuSeconds seconds the round took (wall clock, one thread busy)
   */
  public record Round(
      int round,
      double beta,
      int pushes,
      int samples,
      double trainLoss,
      double validationPlaced,
      double validationCoverage,
      double cpuSeconds) {}

  /** A finished (or resumed and finished) run. */
  public record Result(Path runDir, CellPusherConfig config, List<Round> rounds) {}

  private final CellPusherConfig config;
  private final Mlp net;
  private float[] params;
  private Adam adam;
  private float[] inputs = new float[0], labels = new float[0];
  private int rows;
  private final List<Round> rounds = new ArrayList<>();

  private CellPusherTraining(CellPusherConfig config) {
    this.config = config;
    this.net = new Mlp(config.sizes());
    this.params = new float[net.parameters()];
    net.initialise(params, 0, new SplitMix(SplitMix.mix(config.seed(), 1)), 0.1);
    this.adam = new Adam(params.length);
  }

  /** Runs (or resumes) {@code config} in {@code runDir}. */
  public static Result train(Path runDir, CellPusherConfig config, Consumer<String> log)
      throws IOException {
    Files.createDirectories(runDir);
    Path cfg = runDir.resolve("config.json");
    if (Files.exists(cfg)) {
      // a run may be extended by more rounds; anything else would mix two recipes in one folder
      CellPusherConfig before;
      try {
        before = JSON.readValue(cfg.toFile(), CellPusherConfig.class);
      } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            cfg + ": not a cell pusher config: " + e.getMessage(), e);
      }
      if (!before.withRounds(1).equals(config.withRounds(1)))
        throw new IllegalArgumentException(
            cfg + ": this run folder was started with another config (only rounds may differ)");
    }
    AtomicFiles.writeString(cfg, JSON.writeValueAsString(config) + "\n");
    CellPusherTraining t = new CellPusherTraining(config);
    if (Files.exists(runDir.resolve(STATE_FILE))) {
      try {
        t.restore(runDir.resolve(STATE_FILE));
      } catch (java.io.EOFException e) {
        throw new IOException(
            runDir.resolve(STATE_FILE) + ": truncated (not written by a finished round)", e);
      }
      log.accept("resumed after round " + (t.rounds.size() - 1));
    }
    for (int r = t.rounds.size(); r < config.rounds(); r++) {
      long t0 = System.nanoTime();
      double beta = r == 0 ? 1 : config.beta() * Math.pow(0.5, r - 1);
      int scenes = r == 0 ? config.scenesFirstRound() : config.scenesPerRound();
      int pushes = 0;
      for (int s = 0; s < scenes; s++)
        pushes += t.collect(SplitMix.mix(config.seed(), 1000L * r + s), beta, r);
      double loss = t.fit(config.gradientStepsPerRound(), r);
      double[] val = t.validate();
      Round round =
          new Round(r, beta, pushes, t.rows, loss, val[0], val[1], (System.nanoTime() - t0) / 1e9);
      t.rounds.add(round);
      Map<String, Object> card = new LinkedHashMap<>();
      card.put("rounds", t.rounds);
      CellPusher.save(runDir.resolve(String.format("round-%02d", r)), config, t.params, card);
      t.save(runDir.resolve(STATE_FILE));
      AtomicFiles.writeString(runDir.resolve("rounds.json"), JSON.writeValueAsString(t.rounds));
      log.accept(
          String.format(
              "round %d: beta %.3f, %d pushes, %d rows, loss %.4f, validation placed %.2f, best"
                  + " coverage %.3f, %.0f s",
              r, beta, pushes, t.rows, loss, val[0], val[1], round.cpuSeconds()));
    }
    return new Result(runDir, config, List.copyOf(t.rounds));
  }

  /**
   * Pushes every part of scene {@code seed} once, in a random order, recording the teacher's
   * labels; returns the number of pushes.
   */
  private int collect(long seed, double beta, int round) {
    Cell cell = CellScenes.scene(seed);
    CellCamera camera = new CellCamera(cell, 256);
    CellPusher student = new CellPusher(config, params);
    SplitMix rng = new SplitMix(SplitMix.mix(seed, 3));
    int n = cell.design().parts().size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = (int) (rng.nextDouble() * (i + 1));
      int x = order[i];
      order[i] = order[j];
      order[j] = x;
    }
    double[] act = new double[2];
    for (int part : order) {
      Pose goal = cell.design().parts().get(part).target();
      ShapeFamily shape = cell.design().parts().get(part).shape();
      PushExpert teacher = cell.expert(part);
      teacher.reset();
      CellPusher.Pushing pushing = student.pushing(shape, goal);
      for (int step = 0; step < config.maxPushSteps(); step++) {
        if (cell.coverage(part) >= config.placedCoverage()) break;
        double ax = cell.pusherX(0), ay = cell.pusherY(0);
        Pose seen = camera.locate(part, goal.angle());
        // the teacher reads the simulator, described as the camera's twin of a symmetric part, so
        // that its contact numbers mean the same place as the student's
        Pose truth =
            PushFeatures.twinNearest(
                shape, cell.pose(part), seen != null ? seen.angle() : goal.angle());
        int label = teacher.choose(ax, ay, truth.x(), truth.y(), truth.angle());
        if (label < 0) break; // on the goal exactly
        if (seen != null) {
          grow();
          int o = rows * STATE;
          inputs[o] = shape.ordinal();
          inputs[o + 1] = (float) seen.x();
          inputs[o + 2] = (float) seen.y();
          inputs[o + 3] = (float) seen.angle();
          inputs[o + 4] = (float) goal.x();
          inputs[o + 5] = (float) goal.y();
          inputs[o + 6] = (float) goal.angle();
          inputs[o + 7] = (float) ax;
          inputs[o + 8] = (float) ay;
          labels[rows++] = label;
        }
        if (beta >= 1 || seen == null || rng.nextDouble() < beta)
          teacher.drive(label, ax, ay, truth.x(), truth.y(), truth.angle(), act);
        else pushing.act(seen, ax, ay, act);
        cell.step(act);
      }
    }
    return n;
  }

  /** Validation pushes by the student alone: {share reaching 0.9, mean best coverage}. */
  private double[] validate() {
    if (config.validationPushes() == 0) return new double[] {Double.NaN, Double.NaN};
    CellPusher student = new CellPusher(config, params);
    int placed = 0;
    double sum = 0;
    double[] out = new double[2];
    for (int v = 0; v < config.validationPushes(); v++) {
      Cell cell = CellScenes.scene(config.validationSeed() + v);
      CellCamera camera = new CellCamera(cell, 256);
      int part = 0; // the first part; the others stand where the feeder dropped them
      var push = student.push(cell, camera, 0, part, cell.design().parts().get(part).target());
      double best = 0;
      for (int step = 0; step < config.maxPushSteps() && best < config.placedCoverage(); step++) {
        push.act(out);
        cell.step(out);
        best = Math.max(best, cell.coverage(part));
      }
      if (best >= 0.9) placed++;
      sum += best;
    }
    return new double[] {
      placed / (double) config.validationPushes(), sum / config.validationPushes()
    };
  }

  /** Gradient steps on all data; the mean loss of the last 200. */
  private double fit(int steps, int round) {
    if (rows == 0 || steps == 0) return Double.NaN;
    int b = config.batch(), max = Contacts.MAX, in = PushFeatures.SIZE;
    Mlp.Workspace ws = net.workspace(b * max);
    float[] grad = new float[params.length], transposed = new float[net.transposedSize()];
    SplitMix rng = new SplitMix(SplitMix.mix(config.seed(), 7_000_000L + round));
    int[] picked = new int[b], count = new int[b];
    ShapeFamily[] shapes = ShapeFamily.values();
    double tail = 0;
    int tailCount = 0;
    for (int s = 0; s < steps; s++) {
      float[] x = ws.input();
      for (int r = 0; r < b; r++) {
        int row = (int) (rng.nextDouble() * rows), o = row * STATE;
        picked[r] = row;
        count[r] =
            PushFeatures.write(
                shapes[(int) inputs[o]],
                new Pose(inputs[o + 1], inputs[o + 2], inputs[o + 3]),
                new Pose(inputs[o + 4], inputs[o + 5], inputs[o + 6]),
                inputs[o + 7],
                inputs[o + 8],
                x,
                r * max * in);
        Arrays.fill(x, (r * max + count[r]) * in, (r + 1) * max * in, 0f); // padding rows
      }
      net.forward(params, 0, ws, b * max);
      float[] o = ws.output(), g = ws.outputGradient();
      Arrays.fill(g, 0, b * max, 0f);
      double loss = 0;
      for (int r = 0; r < b; r++) {
        int label = (int) labels[picked[r]], n = count[r], base = r * max;
        // softmax cross-entropy over the part's own contacts (padding rows get no gradient)
        double top = Double.NEGATIVE_INFINITY, sum = 0;
        for (int k = 0; k < n; k++) top = Math.max(top, o[base + k]);
        for (int k = 0; k < n; k++) sum += Math.exp(o[base + k] - top);
        loss += Math.log(sum) + top - o[base + label];
        for (int k = 0; k < n; k++) {
          double p = Math.exp(o[base + k] - top) / sum;
          g[base + k] = (float) ((p - (k == label ? 1 : 0)) / b);
        }
      }
      Arrays.fill(grad, 0f);
      net.transpose(params, 0, transposed);
      net.backward(transposed, ws, b * max, grad, 0);
      adam.step(params, grad, config.learningRate());
      if (s >= steps - 200) {
        tail += loss / b;
        tailCount++;
      }
    }
    return tail / tailCount;
  }

  private void grow() {
    if ((rows + 1) * STATE <= inputs.length) return;
    int cap = Math.max(1024, rows * 2);
    inputs = Arrays.copyOf(inputs, cap * STATE);
    labels = Arrays.copyOf(labels, cap);
  }

  private void save(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(rounds.size());
      byte[] r = JSON.writeValueAsBytes(rounds.toArray(new Round[0]));
      out.writeInt(r.length);
      out.write(r);
      writeFloats(out, params);
      writeFloats(out, adam.m());
      writeFloats(out, adam.v());
      out.writeLong(adam.t());
      out.writeInt(rows);
      writeFloats(out, Arrays.copyOf(inputs, rows * STATE));
      writeFloats(out, Arrays.copyOf(labels, rows));
    }
    AtomicFiles.write(file, bytes.toByteArray());
  }

  private void restore(Path file) throws IOException {
    try (InputStream s = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s))) {
      int n = in.readInt();
      byte[] r = new byte[in.readInt()];
      in.readFully(r);
      rounds.addAll(Arrays.asList(JSON.readValue(r, Round[].class)));
      if (rounds.size() != n) throw new IOException(file + ": round count differs from its rounds");
      params = readFloats(in, params.length, file, "weights");
      float[] m = readFloats(in, params.length, file, "Adam m"),
          v = readFloats(in, params.length, file, "Adam v");
      adam = new Adam(m, v, in.readLong());
      rows = in.readInt();
      inputs = readFloats(in, rows * STATE, file, "states");
      labels = readFloats(in, rows, file, "labels (contacts)");
    }
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    out.write(CellPusher.toBytes(v));
  }

  private static float[] readFloats(DataInputStream in, int expected, Path file, String what)
      throws IOException {
    int n = in.readInt();
    if (n != expected)
      throw new IOException(file + ": " + what + " holds " + n + " floats, expected " + expected);
    byte[] b = new byte[4 * n];
    in.readFully(b);
    return CellPusher.fromBytes(b);
  }
}
