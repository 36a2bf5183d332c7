package dev.wam4j.eval;

import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.render.SceneLook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well a policy's dreams foresaw what the camera then saw, per dream horizon, over an
 * evaluation.
 *
 * <p>A sample is a plan made at control step {@code t} that carried dream frames, and its dream
 * frame at offset {@code h}, compared with the real observation at step {@code t + h} (the frame
 * the policy would see there, same size and format). Samples whose step {@code t + h} falls after
 * their episode ended (or was handed over) are dropped. The copy-last baseline is the observation
 * at step {@code t} put in place of the dream: a dream is only worth its cost where it beats that.
 * The real frame at {@code t + h} shows what was executed: when the policy replans before {@code h}
 * steps (it executes {@code executeSteps} of each chunk, e.g. 6 against a dream 8 steps ahead), the
 * last steps came from the next plan's chunk, not the one the dream was given; the figure then also
 * charges the dream for that replanning (usually small: consecutive chunks agree), which is how a
 * monitor would see it too.
 *
 * <p>PSNR is averaged per sample with identical frames capped: where nothing moved, copy-last
 * scores the cap and a decoded dream cannot, so compare dreams by the IoUs, PSNR only between
 * dreams.
 *
 * <p>Measures, averaged over samples: PSNR over the RGB bytes (peak 255, identical frames capped at
 * {@link FrameMetrics#PSNR_CAP_DB} dB); the IoU of the T-block's pixel masks, pixels segmented by
 * the nearest colour of the renderer's palette ({@link dev.wam4j.sim.render.FrameSegmentation}), 1
 * when neither frame shows the block; the same over the moving samples only, those where the real
 * block moved (copy-last IoU below {@link #MOVING_COPY_LAST_IOU}), since a still block flatters any
 * dream that copies the present; and the distance between the agent's centroids in dream and
 * reality in workspace pixels (the frame shows the 512 px workspace, so one pixel of a 96 px frame
 * is 5.33 workspace pixels).
 *
 * <p>Absent from an evaluation's {@link ClosedLoopEvaluation.Result} ({@code null}) when no plan
 * dreamed, e.g. with dreaming off.
 *
 * @param horizons dream offsets seen, in steps ahead, ascending
 * @param perHorizon the measures at each of {@code horizons}, in the same order
 */
public record DreamQuality(List<Integer> horizons, List<Horizon> perHorizon) {
  /**
   * A sample is moving when the copy-last block IoU is below this: the block moved between plan and
   * target.
   */
  public static final double MOVING_COPY_LAST_IOU = 0.9;

  /**
   * @throws IllegalArgumentException when the summaries are not of {@code horizons}, in order
   */
  public DreamQuality {
    horizons = List.copyOf(horizons);
    perHorizon = List.copyOf(perHorizon);
    if (!horizons.equals(perHorizon.stream().map(Horizon::stepsAhead).toList())) {
      throw new IllegalArgumentException(
          "dream quality of horizons "
              + horizons
              + " has summaries of "
              + perHorizon.stream().map(Horizon::stepsAhead).toList());
    }
  }

  /**
   * Dream quality at one offset. A mean is {@code null} when it has no sample to average.
   *
   * @param stepsAhead the dream offset, control steps after the plan's observation
   * @param samples dreams compared with reality
   * @param psnrDb mean PSNR of dream vs reality, dB
   * @param copyLastPsnrDb mean PSNR of the plan's observation vs reality, dB
   * @param blockIou mean block-mask IoU of dream vs reality, in [0, 1]
   * @param copyLastBlockIou mean block-mask IoU of the plan's observation vs reality
   * @param movingSamples samples where the real block moved (copy-last IoU < {@link
   *     #MOVING_COPY_LAST_IOU})
   * @param movingBlockIou mean block IoU of dream vs reality over the moving samples
   * @param copyLastMovingBlockIou mean copy-last block IoU over the moving samples
   * @param agentErrorPx mean distance of the agent's centroid in the dream from the real one,
   *     workspace pixels, over the samples where both frames show the agent
   * @param agentMissing samples left out of {@code agentErrorPx}: the dream or the real frame shows
   *     no agent
   */
  public record Horizon(
      int stepsAhead,
      long samples,
      Double psnrDb,
      Double copyLastPsnrDb,
      Double blockIou,
      Double copyLastBlockIou,
      long movingSamples,
      Double movingBlockIou,
      Double copyLastMovingBlockIou,
      Double agentErrorPx,
      long agentMissing) {}

  /**
   * The dream quality of several runs taken together, as one run over all their samples would
   * report it: each mean weighted by the samples it averaged (equal up to floating-point rounding,
   * the order of the sums differing); {@code null}s (runs where no plan dreamed) are skipped.
   *
   * @return {@code null} when no run dreamed
   */
  public static DreamQuality merge(List<DreamQuality> parts) {
    java.util.TreeMap<Integer, List<Horizon>> byOffset = new java.util.TreeMap<>();
    for (DreamQuality q : parts) {
      if (q == null) continue;
      for (Horizon h : q.perHorizon())
        byOffset.computeIfAbsent(h.stepsAhead(), k -> new ArrayList<>()).add(h);
    }
    if (byOffset.isEmpty()) return null;
    List<Horizon> merged = new ArrayList<>();
    for (var e : byOffset.entrySet()) {
      List<Horizon> hs = e.getValue();
      long samples = 0, moving = 0, missing = 0;
      for (Horizon h : hs) {
        samples += h.samples();
        moving += h.movingSamples();
        missing += h.agentMissing();
      }
      merged.add(
          new Horizon(
              e.getKey(),
              samples,
              weighted(hs, Horizon::psnrDb, Horizon::samples),
              weighted(hs, Horizon::copyLastPsnrDb, Horizon::samples),
              weighted(hs, Horizon::blockIou, Horizon::samples),
              weighted(hs, Horizon::copyLastBlockIou, Horizon::samples),
              moving,
              weighted(hs, Horizon::movingBlockIou, Horizon::movingSamples),
              weighted(hs, Horizon::copyLastMovingBlockIou, Horizon::movingSamples),
              weighted(hs, Horizon::agentErrorPx, h -> h.samples() - h.agentMissing()),
              missing));
    }
    return new DreamQuality(List.copyOf(byOffset.keySet()), merged);
  }

  /** The mean of {@code mean} over {@code hs}, each weighted by its count; null without any. */
  private static Double weighted(
      List<Horizon> hs,
      java.util.function.Function<Horizon, Double> mean,
      java.util.function.ToLongFunction<Horizon> count) {
    double sum = 0;
    long n = 0;
    for (Horizon h : hs) {
      Double m = mean.apply(h);
      long c = count.applyAsLong(h);
      if (m == null || c == 0) continue;
      sum += m * c;
      n += c;
    }
    return n == 0 ? null : sum / n;
  }

  /**
   * Collects dream quality during one evaluation: told of each episode's start, each plan (with the
   * observation it was made from) and each new observation, it keeps the dreams that wait for their
   * step in a small pool of flat frame buffers, reused from sample to sample. Not thread-safe: the
   * evaluating thread only.
   */
  static final class Accumulator {
    private final FrameMetrics metrics;
    private final int frameBytes;
    // pending comparisons, the first `pending` live: the dream frame, the plan's observation, the
    // step
    // they wait for, their offset
    private byte[][] dreams = new byte[0][];
    private byte[][] currents = new byte[0][];
    private int[] targetSteps = new int[0];
    private int[] offsets = new int[0];
    private int pending;
    // sums per offset seen, ascending by offset
    private final List<Sums> sums = new ArrayList<>();
    private final byte[] realLabels;
    private final byte[] dreamLabels;
    private final byte[] currentLabels;
    private final double[] dreamAgent = new double[2];
    private final double[] realAgent = new double[2];

    /**
     * @param imageSize side of the square frames in pixels
     * @param look the look the observations are drawn in, whose colours segment the frames
     */
    Accumulator(int imageSize, SceneLook look) {
      this.metrics = new FrameMetrics(imageSize, look);
      this.frameBytes = imageSize * imageSize * 3;
      this.realLabels = new byte[imageSize * imageSize];
      this.dreamLabels = new byte[imageSize * imageSize];
      this.currentLabels = new byte[imageSize * imageSize];
    }

    /**
     * A new episode: the dreams still waiting belong to the previous one, which ended before their
     * step.
     */
    void startEpisode() {
      pending = 0;
    }

    /**
     * The policy planned at control step {@code step} from the observation at {@code
     * frame[offset..]}.
     */
    void planned(int step, Plan plan, byte[] frame, int offset) {
      if (!plan.hasDream()) return;
      int[] o = plan.dreamOffsets();
      for (int k = 0; k < o.length; k++) {
        sumsOf(o[k]);
        int slot = claim();
        System.arraycopy(plan.dreamFrames(), k * frameBytes, dreams[slot], 0, frameBytes);
        System.arraycopy(frame, offset, currents[slot], 0, frameBytes);
        targetSteps[slot] = step + o[k];
        offsets[slot] = o[k];
      }
    }

    /**
     * The observation at control step {@code step} is {@code frame[offset..]}: the dreams of this
     * step meet it.
     */
    void observed(int step, byte[] frame, int offset) {
      boolean labelled = false;
      for (int i = 0; i < pending; ) {
        if (targetSteps[i] != step) {
          i++;
          continue;
        }
        if (!labelled) {
          metrics.classify(frame, offset, realLabels);
          labelled = true;
        }
        compare(i, frame, offset);
        release(i);
      }
    }

    /** The summary so far, or {@code null} when no plan dreamed. */
    DreamQuality result() {
      if (sums.isEmpty()) return null;
      return new DreamQuality(
          sums.stream().map(s -> s.stepsAhead).toList(), sums.stream().map(Sums::summary).toList());
    }

    private void compare(int i, byte[] frame, int offset) {
      Sums s = sumsOf(offsets[i]);
      metrics.classify(dreams[i], 0, dreamLabels);
      metrics.classify(currents[i], 0, currentLabels);
      double iou = FrameMetrics.blockIou(dreamLabels, realLabels),
          copyIou = FrameMetrics.blockIou(currentLabels, realLabels);
      s.samples++;
      s.psnr += FrameMetrics.psnrDb(dreams[i], 0, frame, offset, frameBytes);
      s.copyPsnr += FrameMetrics.psnrDb(currents[i], 0, frame, offset, frameBytes);
      s.iou += iou;
      s.copyIou += copyIou;
      if (copyIou < MOVING_COPY_LAST_IOU) {
        s.moving++;
        s.movingIou += iou;
        s.movingCopyIou += copyIou;
      }
      if (metrics.agentCentroid(dreamLabels, dreamAgent)
          && metrics.agentCentroid(realLabels, realAgent)) {
        s.agentSamples++;
        s.agentError += Math.hypot(dreamAgent[0] - realAgent[0], dreamAgent[1] - realAgent[1]);
      } else {
        s.agentMissing++;
      }
    }

    /** The sums of {@code stepsAhead}, added in order when first seen. */
    private Sums sumsOf(int stepsAhead) {
      int i = 0;
      while (i < sums.size() && sums.get(i).stepsAhead < stepsAhead) i++;
      if (i == sums.size() || sums.get(i).stepsAhead != stepsAhead)
        sums.add(i, new Sums(stepsAhead));
      return sums.get(i);
    }

    /** A free slot, the pool grown when all are waiting (a few plans' worth at most). */
    private int claim() {
      if (pending == dreams.length) {
        int n = Math.max(4, 2 * pending);
        dreams = Arrays.copyOf(dreams, n);
        currents = Arrays.copyOf(currents, n);
        targetSteps = Arrays.copyOf(targetSteps, n);
        offsets = Arrays.copyOf(offsets, n);
        for (int k = pending; k < n; k++) {
          dreams[k] = new byte[frameBytes];
          currents[k] = new byte[frameBytes];
        }
      }
      return pending++;
    }

    /**
     * Frees slot {@code i} by moving the last waiting slot into it (its buffers swapped, not
     * copied).
     */
    private void release(int i) {
      int last = --pending;
      byte[] d = dreams[i], c = currents[i];
      dreams[i] = dreams[last];
      currents[i] = currents[last];
      dreams[last] = d;
      currents[last] = c;
      targetSteps[i] = targetSteps[last];
      offsets[i] = offsets[last];
    }
  }

  /** Running sums at one offset. */
  private static final class Sums {
    final int stepsAhead;
    long samples, moving, agentSamples, agentMissing;
    double psnr, copyPsnr, iou, copyIou, movingIou, movingCopyIou, agentError;

    Sums(int stepsAhead) {
      this.stepsAhead = stepsAhead;
    }

    Horizon summary() {
      return new Horizon(
          stepsAhead,
          samples,
          mean(psnr, samples),
          mean(copyPsnr, samples),
          mean(iou, samples),
          mean(copyIou, samples),
          moving,
          mean(movingIou, moving),
          mean(movingCopyIou, moving),
          mean(agentError, agentSamples),
          agentMissing);
    }

    private static Double mean(double sum, long n) {
      return n == 0 ? null : sum / n;
    }
  }
}
