package dev.wam4j.model.cell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.CellCamera;
import dev.wam4j.sim.factory.Executor;
import dev.wam4j.sim.scene.Pose;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vision executor of the lights-out cell: pushes any part to any pose, seeing the part only
 * through the cell's camera (its pose fitted to its pixels, {@link CellCamera#locate}) and its own
 * pusher's position; it never reads the simulator's state. A learned scorer ({@link PushFeatures}
 * of each contact in, a score out) chooses where to push the part — the best of the part's {@link
 * Contacts} — and a fixed primitive walks there and pushes through ({@link PushExpert#drive}, on
 * the camera's pose). The choice is what decides a push; it is trained by DAgger with the scripted
 * expert's choices as labels ({@link CellPusherTraining}). (Regressing the next target directly,
 * the first version, did not learn to push at all: RESULTS 28.) A contact is kept until another
 * scores {@code switchMarginNats} more, so that near-ties do not make the pusher dither.
 *
 * <p>A checkpoint is a folder: {@value #FILE} (config, card, the weights' digest) and {@value
 * #WEIGHTS} (little-endian floats). Its weights are read-only: pushes in several threads are safe,
 * one push is not.
 */
public final class CellPusher implements Executor {
  /** The card of a checkpoint folder. */
  public static final String FILE = "cell-pusher.json";

  /** The weights of a checkpoint folder. */
  public static final String WEIGHTS = "weights.bin";

  /** The card's format tag. */
  public static final String FORMAT = "wam4j-cell-pusher/3";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final CellPusherConfig config;
  private final Mlp net;
  private final float[] params;

  /** A pusher of {@code config}'s shape with these weights (shared, not copied). */
  public CellPusher(CellPusherConfig config, float[] params) {
    this.config = config;
    this.net = new Mlp(config.sizes());
    if (params.length != net.parameters())
      throw new IllegalArgumentException(
          params.length + " weights, the network needs " + net.parameters());
    this.params = params;
  }

  @Override
  public String name() {
    return "vision";
  }

  public CellPusherConfig config() {
    return config;
  }

  @Override
  public Push push(Cell cell, CellCamera camera, int robot, int part, Pose goal) {
    Pushing p = pushing(cell.design().parts().get(part).shape(), goal);
    return out -> {
      double ax = cell.pusherX(robot), ay = cell.pusherY(robot);
      p.act(camera.locate(part, goal.angle()), ax, ay, out);
    };
  }

  /** A push of a part of {@code shape} to {@code goal}, fed what the camera sees. */
  public Pushing pushing(ShapeFamily shape, Pose goal) {
    return new Pushing(shape, goal);
  }

  /** One push in progress: the contact it pushes at, kept across steps. */
  public final class Pushing {
    private final ShapeFamily shape;
    private final Pose goal;
    private final PushExpert primitive;
    private final Mlp.Workspace ws = net.workspace(Contacts.MAX);
    private int contact = -1;

    private Pushing(ShapeFamily shape, Pose goal) {
      this.shape = shape;
      this.goal = goal;
      this.primitive = Contacts.primitive(shape, goal);
    }

    /**
     * The next target, into {@code out[0..1]}, for a pusher at (ax, ay) and the part seen at {@code
     * seen} (null: out of sight, hold still).
     */
    public void act(Pose seen, double ax, double ay, double[] out) {
      if (seen == null) {
        out[0] = ax;
        out[1] = ay;
        return;
      }
      contact = choose(ws, shape, seen, goal, ax, ay, contact);
      primitive.drive(contact, ax, ay, seen.x(), seen.y(), seen.angle(), out);
    }

    /** The contact chosen last, or -1. */
    public int contact() {
      return contact;
    }
  }

  /**
   * The contact to push a part of {@code shape}, seen at {@code seen}, towards {@code goal} by a
   * pusher at (ax, ay), given the contact chosen last ({@code -1}: none).
   */
  private int choose(
      Mlp.Workspace ws, ShapeFamily shape, Pose seen, Pose goal, double ax, double ay, int last) {
    int n = PushFeatures.write(shape, seen, goal, ax, ay, ws.input(), 0);
    net.forward(params, 0, ws, n);
    float[] logits = ws.output();
    int best = 0;
    for (int k = 1; k < n; k++) if (logits[k] > logits[best]) best = k;
    if (last >= 0 && last < n && logits[last] >= logits[best] - config.switchMarginNats())
      return last;
    return best;
  }

  /** Whether {@code dir} holds a cell pusher checkpoint. */
  public static boolean isCheckpoint(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /**
   * Writes a checkpoint folder atomically (a killed write leaves no folder that looks valid).
   *
   * @param card what made it (training, measurements), written beside the config
   */
  public static void save(
      Path dir, CellPusherConfig config, float[] params, Map<String, Object> card)
      throws IOException {
    byte[] weights = toBytes(params);
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("format", FORMAT);
    j.put("features", PushFeatures.SIZE);
    j.put("weights_sha256", sha256(weights));
    j.put("config", config);
    j.put("card", card);
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = AtomicFiles.hiddenDirectory(parent, "." + dir.getFileName() + ".tmp-");
    Files.write(temp.resolve(WEIGHTS), weights);
    Files.writeString(temp.resolve(FILE), JSON.writeValueAsString(j) + "\n");
    AtomicFiles.publishDirectory(temp, dir);
  }

  /**
   * Loads a checkpoint folder.
   *
   * @throws CheckpointException naming the file and what is wrong
   */
  public static CellPusher load(Path dir) throws IOException {
    Path file = dir.resolve(FILE), bin = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(file))
      throw new CheckpointException(dir + ": no " + FILE + " (not a cell pusher checkpoint)");
    JsonNode j;
    try {
      j = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CheckpointException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (j == null || !FORMAT.equals(j.path("format").asText()))
      throw new CheckpointException(file + ": format is not " + FORMAT);
    if (j.path("features").asInt() != PushFeatures.SIZE)
      throw new CheckpointException(
          String.format(
              "%s: written for %d features per contact, this build computes %d",
              file, j.path("features").asInt(), PushFeatures.SIZE));
    CellPusherConfig config;
    try {
      config = JSON.treeToValue(j.get("config"), CellPusherConfig.class);
    } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
      throw new CheckpointException(file + ": field 'config': " + e.getMessage());
    }
    if (!Files.isRegularFile(bin)) throw new CheckpointException(bin + ": missing");
    byte[] weights = Files.readAllBytes(bin);
    if (!sha256(weights).equals(j.path("weights_sha256").asText()))
      throw new CheckpointException(bin + ": its digest differs from weights_sha256 in " + FILE);
    float[] params = fromBytes(weights);
    for (int i = 0; i < params.length; i++)
      if (!Float.isFinite(params[i]))
        throw new CheckpointException(bin + ": weight " + i + " is " + params[i]);
    try {
      return new CellPusher(config, params);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(bin + ": " + e.getMessage());
    }
  }

  static byte[] toBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  static float[] fromBytes(byte[] bytes) {
    float[] v = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
