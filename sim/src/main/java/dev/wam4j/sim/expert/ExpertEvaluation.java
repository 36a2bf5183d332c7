package dev.wam4j.sim.expert;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.Scene;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

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

  /** Runs the expert on {@code count} consecutive seeds starting at {@code firstSeed}. */
  public static List<Episode> run(Scene scene, Embodiment embodiment, long firstSeed, int count) {
    PushTEnv env = new PushTEnv(scene, embodiment);
    PushExpert expert = new PushExpert(scene, embodiment);
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
    for (Embodiment e : List.of(Embodiment.RobotPusher.reference(), Embodiment.HumanHand.standard())) {
      if (!which.equals("both") && !which.equals(e.id())) continue;
      List<Episode> eps = run(scene, e, first, count);
      StringBuilder failed = new StringBuilder();
      double steps = 0;
      for (Episode ep : eps) {
        if (!ep.success()) failed.append(' ').append(ep.seed()).append(String.format("(%.2f)", ep.maxCoverage()));
        else steps += ep.steps();
      }
      long ok = eps.stream().filter(Episode::success).count();
      out.printf("%s %s seeds %d..%d: success %.1f%% (%d/%d), mean steps of successes %.1f%n",
          scene.name(), e.id(), first, first + count - 1, 100 * successRate(eps), ok, eps.size(), ok == 0 ? 0 : steps / ok);
      out.println("  failed:" + failed);
    }
  }
}
