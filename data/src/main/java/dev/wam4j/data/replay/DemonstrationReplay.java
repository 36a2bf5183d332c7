package dev.wam4j.data.replay;

import dev.wam4j.data.zarr.EpisodeRange;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import dev.wam4j.data.zarr.ZarrFormatException;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Replays PushT demonstrations recorded in a Diffusion Policy replay buffer and compares every step
 * with the recorded states.
 *
 * <p>What is known about the recording (and checked here): episode i started from the legacy reset
 * with seed i; recorded state[t+1] is the result of action[t]; the recorder kept the state before
 * each action, so the terminal state (after the last action) is simulated but not compared.
 */
public final class DemonstrationReplay {
  private DemonstrationReplay() {}

  /**
   * @param maxEpisodes replay at most this many episodes (all if {@code <= 0})
   * @param progress called with the index of each finished episode
   */
  public static ReplayReport run(ReplayBuffer buffer, int maxEpisodes, IntConsumer progress)
      throws IOException {
    ZarrArray stateArray = buffer.array("state"), actionArray = buffer.array("action");
    if (stateArray.rowSize() != 5) {
      throw new ZarrFormatException(
          stateArray.path(),
          "data/state rows have " + stateArray.rowSize() + " values, PushT needs 5");
    }
    if (actionArray.rowSize() != 2) {
      throw new ZarrFormatException(
          actionArray.path(),
          "data/action rows have " + actionArray.rowSize() + " values, PushT needs 2");
    }
    if (stateArray.rows() != buffer.frameCount() || actionArray.rows() != buffer.frameCount()) {
      throw new ZarrFormatException(
          buffer.root(),
          "data/state has "
              + stateArray.rows()
              + " rows and data/action "
              + actionArray.rows()
              + ", but meta/episode_ends ends at "
              + buffer.frameCount());
    }
    if (buffer.episodeCount() == 0)
      throw new ZarrFormatException(buffer.root(), "the replay buffer holds no episodes");
    float[] states = stateArray.readFloats();
    float[] actions = actionArray.readFloats();
    int n = maxEpisodes > 0 ? Math.min(maxEpisodes, buffer.episodeCount()) : buffer.episodeCount();
    PushTEnv env = PushTEnv.reference();
    double successThreshold = env.scene().goal().successCoverage();
    double[] s = new double[5];
    List<ReplayReport.Episode> rows = new ArrayList<>(n);
    long exact = 0, values = 0, frames = 0, steps = 0;
    double posErrMaxAll = 0;
    long t0 = System.nanoTime();
    for (int e = 0; e < n; e++) {
      EpisodeRange range = buffer.episodeRange(e);
      int start = range.start(), len = range.end() - range.start();
      env.reset(e);
      long epExact = 0;
      double posErrMax = 0, posErrFinal = 0, angErrFinal = 0, maxCov = env.coverage();
      for (int t = 0; t < len; t++) {
        env.state(s, 0);
        int row = (start + t) * 5;
        for (int k = 0; k < 5; k++) if ((float) s[k] == states[row + k]) epExact++;
        double dx = s[2] - states[row + 2], dy = s[3] - states[row + 3];
        double posErr = Math.sqrt(dx * dx + dy * dy);
        double angErr = Math.abs(Math.IEEEremainder(s[4] - states[row + 4], 2 * Math.PI));
        posErrMax = Math.max(posErrMax, posErr);
        if (t == len - 1) {
          posErrFinal = posErr;
          angErrFinal = angErr;
        }
        env.step(actions[(start + t) * 2], actions[(start + t) * 2 + 1]);
        steps++;
        maxCov = Math.max(maxCov, env.coverage());
      }
      double terminal = env.coverage();
      boolean success = maxCov > successThreshold;
      rows.add(
          new ReplayReport.Episode(
              e,
              e,
              len,
              epExact / (5.0 * len),
              posErrFinal,
              posErrMax,
              angErrFinal,
              terminal,
              maxCov,
              success));
      exact += epExact;
      values += 5L * len;
      frames += len;
      posErrMaxAll = Math.max(posErrMaxAll, posErrMax);
      if (progress != null) progress.accept(e);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<Integer> successes =
        rows.stream()
            .filter(ReplayReport.Episode::success)
            .map(ReplayReport.Episode::episode)
            .toList();
    return new ReplayReport(
        n,
        frames,
        successes.size() / (double) n,
        median(rows.stream().mapToDouble(ReplayReport.Episode::positionErrorFinal).toArray()),
        posErrMaxAll,
        median(rows.stream().mapToDouble(ReplayReport.Episode::angleErrorFinal).toArray()),
        values == 0 ? 0 : exact / (double) values,
        median(rows.stream().mapToDouble(ReplayReport.Episode::terminalCoverage).toArray()),
        successes,
        steps / seconds,
        rows);
  }

  static double median(double[] v) {
    if (v.length == 0) return Double.NaN;
    double[] c = v.clone();
    Arrays.sort(c);
    int m = c.length / 2;
    return c.length % 2 == 1 ? c[m] : 0.5 * (c[m - 1] + c[m]);
  }
}
