package dev.wam4j.eval.monitor;

import dev.wam4j.eval.ClosedLoopEvaluation.Episode;
import dev.wam4j.eval.Rollout;
import dev.wam4j.model.imagine.GoalCoverage;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.model.policy.PlanSignals;
import dev.wam4j.sim.render.FrameSegmentation;
import dev.wam4j.sim.render.SceneLook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Watches a world action model while it acts: at every step where an earlier plan's dream covers
 * the present, it measures how far the dream departed from reality — in latent space (predicted
 * latent vs the latent of the observation), in pixels (decoded dream frame vs camera frame), in the
 * block's place and in the goal coverage the dream promised (both segmented from the pictures) —
 * and records the baseline signal (spread of sampled action chunks) at each plan. With an {@link
 * Alarm}, it raises an alarm when a signal's running score (mean of the last {@code window}
 * samples) reaches the threshold, and can stop the episode there (hand it over). One episode at a
 * time; keeps a {@link Trace} of each.
 */
public final class DreamMonitor implements Rollout.Observer {
  /**
   * When to alarm.
   *
   * @param signal the signal watched
   * @param window samples in the running score, >= 1
   * @param threshold the running score that fires the alarm
   * @param stop whether the alarm also stops the episode (hands it over)
   */
  public record Alarm(Signal signal, int window, double threshold, boolean stop) {
    public Alarm {
      if (window < 1)
        throw new IllegalArgumentException("alarm window must be >= 1, got " + window);
      if (!Double.isFinite(threshold))
        throw new IllegalArgumentException("alarm threshold must be finite, got " + threshold);
    }
  }

  /**
   * Keeps the relative divergence finite where nothing moved; the shipped model's latents change by
   * ~0.005-0.01 per 8 steps.
   */
  static final double RELATIVE_FLOOR = 1e-3;

  private final int frameBytes;
  private final FrameSegmentation segmentation;
  private final GoalCoverage goalCoverage;
  private final byte[] dreamLabels;
  private final byte[] realLabels;
  private final Alarm alarm;
  private final List<Trace> traces = new ArrayList<>();
  private final Samples[] samples = new Samples[Signal.values().length];
  private byte[] dreamFrames;
  private int[] dreamOffsets;
  private int dreamPlanStep;
  private PlanSignals lastSignals;
  private int lastPlanStep;
  private int alarmStep = -1;

  /**
   * @param imageSize side of the policy's square frames
   * @param look the scene the camera shows: its colours segment the block, its goal scores coverage
   * @param alarm when to alarm, or {@code null} to record only
   */
  public DreamMonitor(int imageSize, SceneLook look, Alarm alarm) {
    this.frameBytes = imageSize * imageSize * 3;
    this.segmentation = new FrameSegmentation(imageSize, look);
    this.goalCoverage = new GoalCoverage(look, imageSize);
    this.dreamLabels = new byte[imageSize * imageSize];
    this.realLabels = new byte[imageSize * imageSize];
    this.alarm = alarm;
    for (int i = 0; i < samples.length; i++) samples[i] = new Samples();
  }

  /** The episodes seen so far, in order. */
  public List<Trace> traces() {
    return List.copyOf(traces);
  }

  /**
   * The current episode's running score of {@code signal} (mean of its last {@code window}
   * samples), NaN before its first sample.
   */
  public double currentScore(Signal signal, int window) {
    Samples s = samples[signal.ordinal()];
    return s.n == 0 ? Double.NaN : Trace.runningMean(s.values, s.n, window);
  }

  /** The control step the alarm fired at in the current episode, or -1. */
  public int currentAlarmStep() {
    return alarmStep;
  }

  @Override
  public void episodeStart(long seed, byte[] frame, int offset, float agentX, float agentY) {
    for (Samples s : samples) s.n = 0;
    dreamFrames = null;
    lastSignals = null;
    alarmStep = -1;
  }

  @Override
  public boolean planned(int step, Plan plan) {
    boolean go = true;
    PlanSignals now = plan.signals();
    if (now != null) {
      if (lastSignals != null) {
        int k = indexOf(lastSignals.latentOffsets(), step - lastPlanStep);
        if (k >= 0) {
          double divergence = lastSignals.latentDivergence(k, now.observationLatent());
          double change =
              PlanSignals.meanSquaredDifference(
                  lastSignals.observationLatent(), now.observationLatent());
          go = record(Signal.LATENT, step, divergence);
          go &= record(Signal.LATENT_RELATIVE, step, divergence / (change + RELATIVE_FLOOR));
        }
      }
      if (!Double.isNaN(now.actionSpreadPixels()))
        go &= record(Signal.ACTION_SPREAD, step, now.actionSpreadPixels());
      lastSignals = now;
      lastPlanStep = step;
    }
    if (plan.hasDream()) {
      dreamFrames = plan.dreamFrames();
      dreamOffsets = plan.dreamOffsets();
      dreamPlanStep = step;
    }
    return go;
  }

  @Override
  public boolean stepped(
      int step, byte[] frame, int offset, float agentX, float agentY, double reward) {
    if (dreamFrames == null) return true;
    int k = indexOf(dreamOffsets, step - dreamPlanStep);
    if (k < 0) return true;
    double sum = 0;
    int d = k * frameBytes;
    for (int i = 0; i < frameBytes; i++) {
      double diff = ((frame[offset + i] & 0xFF) - (dreamFrames[d + i] & 0xFF)) / 255.0;
      sum += diff * diff;
    }
    boolean go = record(Signal.PIXEL, step, sum / frameBytes);
    segmentation.classify(dreamFrames, d, dreamLabels);
    segmentation.classify(frame, offset, realLabels);
    go &= record(Signal.BLOCK, step, 1 - FrameSegmentation.blockIou(dreamLabels, realLabels));
    return go
        & record(
            Signal.COVERAGE_SHORTFALL,
            step,
            goalCoverage.of(dreamFrames, d) - goalCoverage.of(frame, offset));
  }

  @Override
  public void episodeEnd(Episode episode) {
    int[][] steps = new int[samples.length][];
    double[][] values = new double[samples.length][];
    for (int i = 0; i < samples.length; i++) {
      steps[i] = Arrays.copyOf(samples[i].steps, samples[i].n);
      values[i] = Arrays.copyOf(samples[i].values, samples[i].n);
    }
    traces.add(new Trace(episode, steps, values, alarmStep));
  }

  /** Records a sample; false when it fires a stopping alarm. */
  private boolean record(Signal signal, int step, double value) {
    if (!Double.isFinite(value))
      throw new IllegalStateException(signal.id() + " at step " + step + " is " + value);
    Samples s = samples[signal.ordinal()];
    s.add(step, value);
    if (alarm == null || alarm.signal() != signal || alarmStep >= 0) return true;
    if (Trace.runningMean(s.values, s.n, alarm.window()) < alarm.threshold()) return true;
    alarmStep = step;
    return !alarm.stop();
  }

  private static int indexOf(int[] offsets, int delta) {
    for (int i = 0; i < offsets.length; i++) if (offsets[i] == delta) return i;
    return -1;
  }

  /** Growable (step, value) columns. */
  private static final class Samples {
    int[] steps = new int[64];
    double[] values = new double[64];
    int n;

    void add(int step, double value) {
      if (n == steps.length) {
        steps = Arrays.copyOf(steps, 2 * n);
        values = Arrays.copyOf(values, 2 * n);
      }
      steps[n] = step;
      values[n++] = value;
    }
  }
}
