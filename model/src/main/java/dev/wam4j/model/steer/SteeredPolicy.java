package dev.wam4j.model.steer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.model.CheckpointException;
import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.policy.PlanSettings;
import dev.wam4j.model.policy.PlanSignals;
import dev.wam4j.model.wam.Dreams;
import dev.wam4j.model.wam.WamPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A world action model steered by a small actor trained with RL ({@link Steering}): each plan
 * perceives once, the actor's mean output (deterministic) picks the flow's noise or shifts the
 * chunk, and the model samples the chunk. The folder holds {@value #FILE} (the steering and its
 * actor's weights) and the frozen model it steers under {@code base/}. Dreams, on request, are the
 * model's of the chunk it executes, with the latents a dream monitor reads (a plan without a dream
 * carries no signals). Plans without imagination: the actor chooses the chunk. Not thread-safe;
 * close it.
 */
public final class SteeredPolicy implements ChunkPolicy {
  /** The steering file of a steered checkpoint folder. */
  public static final String FILE = "steering.json";

  /** Its format tag. */
  public static final String FORMAT = "wam4j-steered/1";

  /** The folder of the steered model inside a steered checkpoint. */
  public static final String BASE = "base";

  private final WamPolicy model;
  private final Steering steering;
  private final Mlp actor;
  private final Mlp.Workspace ws;
  private final double[] before = new double[5];
  private boolean first = true;

  public SteeredPolicy(WamPolicy model, Steering steering) {
    if (steering.actor() == null)
      throw new IllegalArgumentException("steered policy: the steering has no actor weights");
    this.model = model;
    this.steering = steering;
    this.actor = steering.network(model.actionValues());
    if (steering.actor().length != actor.parameters()) {
      throw new IllegalArgumentException(
          "steered policy: "
              + steering.actor().length
              + " actor weights, the network needs "
              + actor.parameters());
    }
    this.ws = actor.workspace(1);
  }

  /** Whether {@code dir} holds a steered checkpoint. */
  public static boolean isCheckpoint(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /**
   * Loads a steered checkpoint folder, its model planning with {@code settings}.
   *
   * @throws CheckpointException naming the file and field that is missing or malformed
   */
  public static SteeredPolicy load(Path dir, PlanSettings settings) throws IOException {
    Path file = dir.resolve(FILE);
    if (settings.imagineCandidates() != null && settings.imagineCandidates() > 1) {
      throw new IllegalArgumentException(
          "a steered checkpoint plans without imagination (its actor chooses the chunk): drop --imagine "
              + settings.imagineCandidates());
    }
    JsonNode j;
    try {
      // exact decimals, so each weight rounds once, to the float that was written
      j =
          new ObjectMapper()
              .enable(
                  com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CheckpointException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (j == null || !FORMAT.equals(j.path("format").asText()))
      throw new CheckpointException(file + ": format is not " + FORMAT);
    Steering s;
    try {
      JsonNode w = j.get("actor");
      if (w == null || !w.isArray())
        throw new IllegalArgumentException("field 'actor' must be an array of weights");
      float[] weights = new float[w.size()];
      for (int i = 0; i < weights.length; i++) {
        if (!w.get(i).isNumber())
          throw new IllegalArgumentException("actor[" + i + "] is not a number");
        weights[i] = w.get(i).decimalValue().floatValue();
      }
      s =
          new Steering(
              Steering.Mode.parse(j.path("mode").asText()),
              j.path("hidden").asInt(),
              j.path("layers").asInt(),
              j.path("residual_scale_pixels").asDouble(),
              j.path("noise_clip").asDouble(),
              weights);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage());
    }
    WamPolicy model = WamPolicy.load(dir.resolve(BASE), settings.withImagineCandidates(1));
    try {
      if (!model.config().hasPoseHead())
        throw new IllegalArgumentException(
            "the model in " + BASE + "/ has no pose head for the actor to read");
      return new SteeredPolicy(model, s);
    } catch (IllegalArgumentException e) {
      model.close();
      throw new CheckpointException(file + ": " + e.getMessage());
    }
  }

  /** The steering. */
  public Steering steering() {
    return steering;
  }

  /** The model it steers. */
  public WamPolicy model() {
    return model;
  }

  @Override
  public int historyFrames() {
    return model.historyFrames();
  }

  @Override
  public int imageSize() {
    return model.imageSize();
  }

  @Override
  public int executeSteps() {
    return model.executeSteps();
  }

  @Override
  public void reset(long seed) {
    model.reset(seed);
    first = true;
  }

  @Override
  public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
    long t0 = System.nanoTime();
    WamPolicy.Perception p = model.perceive(images, agentPositions);
    Steering.features(p, before, first, ws.input(), 0);
    first = false;
    actor.forward(steering.actor(), 0, ws, 1);
    float[] chunk = steering.chunk(model, p, ws.output(), 0);
    int horizon = chunk.length / 2;
    if (!dream || !model.config().dreamFromActions())
      return new Plan(chunk, horizon, new byte[0], new int[0], (System.nanoTime() - t0) / 1e9);
    // the dream of the chunk it executes, and the latents a dream monitor compares (no action
    // spread: the actor's mean is one chunk)
    Dreams d = model.dreamOf(images, agentPositions, new float[][] {chunk});
    PlanSignals signals =
        new PlanSignals(
            p.newestLatent().length, p.newestLatent(), d.latents()[0], d.offsets(), Double.NaN);
    return new Plan(
        chunk, horizon, d.frames()[0], d.offsets(), (System.nanoTime() - t0) / 1e9, signals);
  }

  @Override
  public void close() {
    model.close();
  }
}
