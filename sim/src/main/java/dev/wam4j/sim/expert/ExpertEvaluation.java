package dev.wam4j.sim.expert;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Rolls the scripted {@link PushExpert} out from seeded legacy resets and reports, per seed,
 * whether it succeeded (coverage above the scene's threshold within the scene's step limit).
 * Stateless; each call builds its own environment.
 */
public final class ExpertEvaluation {
  private ExpertEvaluation() {}

  /**
   * One episode's outcome.
   *
   * @param seed legacy reset seed
   * @param success coverage exceeded the success threshold before the step limit
   * @param steps control steps taken (at success, or the step limit)
   * @param maxCoverage highest coverage seen in the episode, in [0, 1]
   */
  public record Episode(long seed, boolean success, int steps, double maxCoverage) {}

  /**
   * The expert as a visuomotor student at its best: it plans {@code horizon}-action chunks from
   * what it perceives, the true state with Gaussian noise on the block's pose, and executes the
   * first {@code executeSteps} of each open loop, as a chunked policy does. Its score estimates
   * what a student that imitated it perfectly, but saw the block only this precisely, could reach
   * (with noise drawn afresh at every plan; a student whose errors are correlated over time may do
   * better or worse).
   *
   * @param blockNoisePixels standard deviation of the perceived block position, per axis, workspace
   *     units
   * @param blockNoiseDegrees standard deviation of the perceived block angle, degrees
   * @param horizon actions per plan
   * @param executeSteps actions executed per plan, 1..horizon
   * @param seed seeds the perception noise (mixed with each episode's seed)
   */
  public record Perception(
      double blockNoisePixels, double blockNoiseDegrees, int horizon, int executeSteps, long seed) {
    public Perception {
      if (!(blockNoisePixels >= 0 && Double.isFinite(blockNoisePixels))
          || !(blockNoiseDegrees >= 0 && Double.isFinite(blockNoiseDegrees))) {
        throw new IllegalArgumentException(
            "perception noise must be finite and >= 0, got "
                + blockNoisePixels
                + " px, "
                + blockNoiseDegrees
                + " deg");
      }
      if (horizon < 1 || executeSteps < 1 || executeSteps > horizon) {
        throw new IllegalArgumentException(
            "perception: executeSteps must lie in 1..horizon, got "
                + executeSteps
                + " of "
                + horizon);
      }
    }
  }

  /**
   * The expert of one embodiment on a seed range, summed up.
   *
   * @param scene the scene's name
   * @param embodiment the embodiment's id
   * @param seeds the seed range, {@code first..last}
   * @param perception how the expert saw the state, or null when it read the true state every step
   * @param successRate share of successful episodes, in [0, 1]
   * @param meanMaxCoverage mean over episodes of their highest coverage
   * @param meanStepsOfSuccesses mean steps of the successful episodes (0 without any)
   * @param failedSeeds seeds whose episode did not succeed, in order
   * @param seconds wall-clock time of the rollouts
   * @param perSeed every episode, in seed order
   */
  public record Summary(
      String scene,
      String embodiment,
      String seeds,
      Perception perception,
      int episodes,
      double successRate,
      double meanMaxCoverage,
      double meanStepsOfSuccesses,
      List<Long> failedSeeds,
      double seconds,
      List<Episode> perSeed) {
    /** Successful episodes. */
    public long successes() {
      return perSeed.stream().filter(Episode::success).count();
    }
  }

  /**
   * Runs the expert of each embodiment on {@code count} seeds from {@code firstSeed}, seeing the
   * true state ({@code perception} null) or planning from a noisy one; {@code done} (may be null)
   * gets each summary as it is ready.
   */
  public static List<Summary> summarize(
      Scene scene,
      List<Embodiment> embodiments,
      long firstSeed,
      int count,
      Perception perception,
      Consumer<Summary> done) {
    List<Summary> summaries = new ArrayList<>(embodiments.size());
    for (Embodiment e : embodiments) {
      long t0 = System.nanoTime();
      List<Episode> eps =
          perception == null
              ? run(scene, e, firstSeed, count)
              : run(scene, e, firstSeed, count, perception);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Summary s =
          new Summary(
              scene.name(),
              e.id(),
              firstSeed + ".." + (firstSeed + count - 1),
              perception,
              eps.size(),
              successRate(eps),
              eps.stream().mapToDouble(Episode::maxCoverage).average().orElse(0),
              eps.stream().filter(Episode::success).mapToInt(Episode::steps).average().orElse(0),
              eps.stream().filter(x -> !x.success()).map(Episode::seed).toList(),
              seconds,
              eps);
      summaries.add(s);
      if (done != null) done.accept(s);
    }
    return List.copyOf(summaries);
  }

  /** Runs the expert on {@code count} consecutive seeds starting at {@code firstSeed}. */
  public static List<Episode> run(Scene scene, Embodiment embodiment, long firstSeed, int count) {
    return run(scene, embodiment, new PushExpert(scene, embodiment), firstSeed, count);
  }

  /**
   * Runs any state-reading {@code policy} (reset at each episode) on {@code count} consecutive
   * seeds from {@code firstSeed}.
   */
  public static List<Episode> run(
      Scene scene, Embodiment embodiment, Policy expert, long firstSeed, int count) {
    PushTEnv env = new PushTEnv(scene, embodiment);
    double[] action = new double[2];
    List<Episode> episodes = new ArrayList<>(count);
    for (long seed = firstSeed; seed < firstSeed + count; seed++) {
      env.reset(seed);
      expert.reset();
      double max = env.coverage();
      while (!env.terminated() && !env.truncated()) {
        expert.act(env, action);
        env.step(action[0], action[1]);
        max = Math.max(max, env.coverage());
      }
      episodes.add(new Episode(seed, env.terminated(), env.stepCount(), max));
    }
    return episodes;
  }

  /**
   * The same, with the expert planning chunks from a noisy perception of the state ({@link
   * Perception}).
   */
  public static List<Episode> run(
      Scene scene, Embodiment embodiment, long firstSeed, int count, Perception perception) {
    PushTEnv env = new PushTEnv(scene, embodiment), seen = new PushTEnv(scene, embodiment);
    PushExpert expert = new PushExpert(scene, embodiment);
    double[] action = new double[2], chunk = new double[2 * perception.horizon()];
    double sigmaAngle = Math.toRadians(perception.blockNoiseDegrees());
    List<Episode> episodes = new ArrayList<>(count);
    for (long seed = firstSeed; seed < firstSeed + count; seed++) {
      env.reset(seed);
      SplittableRandom rng =
          new SplittableRandom(
              perception.seed() * 0x9E3779B97F4A7C15L
                  ^ seed); // an episode's noise whatever the range
      double max = env.coverage();
      while (!env.terminated() && !env.truncated()) {
        seen.copyStateFrom(env);
        seen.perturbBlock(
            perception.blockNoisePixels() * gaussian(rng),
            perception.blockNoisePixels() * gaussian(rng),
            sigmaAngle * gaussian(rng));
        expert.reset(); // a plan is a function of the observation, as a student's is
        for (int j = 0; j < perception.horizon(); j++) {
          expert.act(seen, action);
          chunk[2 * j] = action[0];
          chunk[2 * j + 1] = action[1];
          seen.step(action[0], action[1]);
        }
        for (int j = 0;
            j < perception.executeSteps() && !env.terminated() && !env.truncated();
            j++) {
          env.step(chunk[2 * j], chunk[2 * j + 1]);
          max = Math.max(max, env.coverage());
        }
      }
      episodes.add(new Episode(seed, env.terminated(), env.stepCount(), max));
    }
    return episodes;
  }

  private static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble(), u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Share of successful episodes, in [0, 1]. */
  public static double successRate(List<Episode> episodes) {
    return episodes.stream().filter(Episode::success).count() / (double) episodes.size();
  }

  /**
   * Usage: {@code ExpertEvaluation [robot|hand|both] [firstSeed] [count] [builtinScene]} (defaults:
   * both, 0, 100, pusht); prints the success rate and the failed seeds with their max coverage.
   */
  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "both";
    long first = args.length > 1 ? Long.parseLong(args[1]) : 0;
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Scene scene = dev.wam4j.sim.scene.Scenes.builtin(args.length > 3 ? args[3] : "pusht");
    PrintStream out = System.out;
    for (Embodiment e :
        List.of(Embodiment.RobotPusher.reference(), Embodiment.HumanHand.standard())) {
      if (!which.equals("both") && !which.equals(e.id())) continue;
      List<Episode> eps = run(scene, e, first, count);
      StringBuilder failed = new StringBuilder();
      double steps = 0;
      for (Episode ep : eps) {
        if (!ep.success())
          failed.append(' ').append(ep.seed()).append(String.format("(%.2f)", ep.maxCoverage()));
        else steps += ep.steps();
      }
      long ok = eps.stream().filter(Episode::success).count();
      out.printf(
          "%s %s seeds %d..%d: success %.1f%% (%d/%d), mean steps of successes %.1f%n",
          scene.name(),
          e.id(),
          first,
          first + count - 1,
          100 * successRate(eps),
          ok,
          eps.size(),
          ok == 0 ? 0 : steps / ok);
      out.println("  failed:" + failed);
    }
  }
}
