package dev.wam4j.eval.turing;

import dev.wam4j.data.zarr.EpisodeRange;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import dev.wam4j.data.zarr.ZarrFormatException;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The human side of the Turing test: the Diffusion Policy replay buffer's PushT demonstrations as
 * traces, each checked to start from its seed's legacy reset (the robot starts there).
 */
final class HumanTraces {
  private HumanTraces() {}

  /** How far, in px or rad, a demonstration's first state may lie from its legacy reset. */
  static final double START_TOLERANCE = 1e-2;

  /**
   * The first {@code limit} demonstrations (all if {@code <= 0}) of {@code split}, the seed of each
   * its index.
   *
   * @throws IOException when the buffer cannot be read, holds no PushT states, or an episode does
   *     not start from its seed's legacy reset
   */
  static List<PusherTrace> load(Path zarr, int limit, TuringTest.Split split) throws IOException {
    ReplayBuffer buffer = ReplayBuffer.open(zarr);
    ZarrArray stateArray = buffer.array("state");
    if (stateArray.rowSize() != 5)
      throw new ZarrFormatException(
          stateArray.path(),
          "data/state rows have " + stateArray.rowSize() + " values, PushT needs 5");
    if (buffer.episodeCount() == 0)
      throw new ZarrFormatException(buffer.root(), "the replay buffer holds no episodes");
    float[] s = stateArray.readFloats();
    int n = limit > 0 ? Math.min(limit, buffer.episodeCount()) : buffer.episodeCount();
    List<PusherTrace> out = new ArrayList<>(n);
    PushTEnv env = PushTEnv.reference();
    for (int e = 0; e < n; e++) {
      if (!split.contains(e)) continue;
      EpisodeRange range = buffer.episodeRange(e);
      int len = range.end() - range.start();
      double[][] c = new double[5][len];
      for (int t = 0; t < len; t++)
        for (int k = 0; k < 5; k++) c[k][t] = s[(range.start() + t) * 5 + k];
      // the robot starts from the legacy reset of seed e: the person must have started there too
      env.reset(e);
      double[] reset = {env.agentX(), env.agentY(), env.blockX(), env.blockY(), env.blockAngle()};
      for (int k = 0; k < 5; k++) {
        double off = reset[k] - c[k][0];
        if (k == 4) off = Math.IEEEremainder(off, 2 * Math.PI); // angles are recorded unwrapped
        if (len > 0 && Math.abs(off) > START_TOLERANCE) {
          throw new ZarrFormatException(
              buffer.root(),
              String.format(
                  "episode %d does not start from the legacy reset of seed %d (state[%d] %.3f, the"
                      + " reset %.3f): robot and person would start apart (a subset or reordered"
                      + " buffer?)",
                  e, e, k, c[k][0], reset[k]));
        }
      }
      out.add(new PusherTrace("human", e, c[0], c[1], c[2], c[3], c[4]));
    }
    return out;
  }
}
