package dev.wam4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.data.video.VideoReader;
import dev.wam4j.eval.ClosedLoopEvaluation.Config;
import dev.wam4j.eval.ClosedLoopEvaluation.Episode;
import dev.wam4j.eval.ClosedLoopEvaluation.Result;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosedLoopEvaluationTest {
  private static final int FRAME = 96 * 96 * 3;

  @Test
  void episodesAreReproducibleAndIndependentOfTheOtherSeedsInTheRange() throws Exception {
    Config config = Config.seeds(0, 2).withMaxSteps(30).withPolicySeed(7);
    Result a = ClosedLoopEvaluation.run(new ScriptedChunkPolicy(2, 8, 4), config, null);
    Result b = ClosedLoopEvaluation.run(new ScriptedChunkPolicy(2, 8, 4), config, null);
    assertThat(b.perSeed()).isEqualTo(a.perSeed());
    Result alone =
        ClosedLoopEvaluation.run(
            new ScriptedChunkPolicy(2, 8, 4),
            Config.seeds(1, 1).withMaxSteps(30).withPolicySeed(7),
            null);
    assertThat(alone.perSeed()).containsExactly(a.perSeed().get(1));
    assertThat(a.perSeed()).extracting(Episode::seed).containsExactly(0L, 1L, 2L);
    // the random walk does touch the block in some episode, so the comparison is not of zeros
    assertThat(a.perSeed()).anySatisfy(e -> assertThat(e.maxCoverage()).isPositive());
  }

  @Test
  void thePolicyIsResetWithAMixOfThePolicySeedAndTheEpisodeSeed() throws Exception {
    ExpertChunkPolicy policy = new ExpertChunkPolicy(10, 1, 4);
    ClosedLoopEvaluation.run(policy, Config.seeds(10, 12).withMaxSteps(4).withPolicySeed(3), null);
    assertThat(policy.resetSeeds)
        .containsExactly(
            ClosedLoopEvaluation.episodePolicySeed(3, 10),
            ClosedLoopEvaluation.episodePolicySeed(3, 11),
            ClosedLoopEvaluation.episodePolicySeed(3, 12));
    assertThat(policy.resetSeeds).doesNotHaveDuplicates();
    assertThat(ClosedLoopEvaluation.episodePolicySeed(4, 10))
        .isNotEqualTo(ClosedLoopEvaluation.episodePolicySeed(3, 10));
  }

  @Test
  void maxCoverageIsTheMaxOverTheStepsOfTheClippedReward() throws Exception {
    long seed = 100000;
    int steps = 40;
    Result r =
        ClosedLoopEvaluation.run(
            new ExpertChunkPolicy(seed, 2, 4), Config.seeds(seed, seed).withMaxSteps(steps), null);

    PushTEnv env = PushTEnv.reference();
    env.reset(seed);
    PushExpert expert = PushExpert.of(env);
    double[] a = new double[2];
    double maxReward = 0, maxRawCoverage = 0;
    for (int t = 0; t < steps && !env.terminated(); t++) {
      expert.act(env, a);
      env.step((float) a[0], (float) a[1]);
      maxReward = Math.max(maxReward, Math.min(env.coverage() / 0.95, 1.0));
      maxRawCoverage = Math.max(maxRawCoverage, env.coverage());
    }
    Episode e = r.perSeed().get(0);
    assertThat(e.success()).isFalse();
    assertThat(e.steps()).isEqualTo(steps);
    assertThat(e.maxCoverage()).isEqualTo(maxReward).isLessThan(1.0).isGreaterThan(maxRawCoverage);
    assertThat(r.meanMaxCoverage()).isEqualTo(maxReward);
    assertThat(r.successRate()).isZero();
  }

  @Test
  void anEpisodeEndsAtSuccessWithScoreOne() throws Exception {
    long seed = 100000;
    Result r =
        ClosedLoopEvaluation.run(new ExpertChunkPolicy(seed, 2, 8), Config.seeds(seed, seed), null);
    Episode e = r.perSeed().get(0);
    assertThat(e.success()).isTrue();
    assertThat(e.maxCoverage()).isEqualTo(1.0);
    assertThat(e.steps()).isLessThan(300);
    assertThat(r.successRate()).isEqualTo(1.0);
    // the expert, stepped the same way, succeeds at the same step
    PushTEnv env = PushTEnv.reference();
    env.reset(seed);
    PushExpert expert = PushExpert.of(env);
    double[] a = new double[2];
    while (!env.terminated()) {
      expert.act(env, a);
      env.step((float) a[0], (float) a[1]);
    }
    assertThat(e.steps()).isEqualTo(env.stepCount());
  }

  @Test
  void theConfiguredSceneIsWhereTheRobotPushesAndItsStepLimitHolds() throws Exception {
    Scene reference = Scene.pushT();
    var p = reference.physics();
    Scene soft =
        new Scene(
            "pusht_soft",
            reference.width(),
            reference.height(),
            reference.walls(),
            reference.agentStart(),
            reference.objects(),
            reference.goal(),
            new dev.wam4j.sim.scene.Physics(p.dtSeconds(), p.substeps(), 0.03, 30, 5, 40));
    List<float[]> seenOnPushT = new ArrayList<>(), seenOnSoft = new ArrayList<>();
    Config config = Config.seeds(3, 3).withMaxSteps(40);
    ClosedLoopEvaluation.run(positionsSeen(seenOnPushT), config, null);
    ClosedLoopEvaluation.run(positionsSeen(seenOnSoft), config.withScene(soft), null);
    assertThat(config.scene()).isEqualTo(reference);
    assertThat(seenOnSoft).hasSameSizeAs(seenOnPushT);
    assertThat(seenOnSoft.get(0)).isEqualTo(seenOnPushT.get(0)); // the same reset
    // the same plans, a softer controller on slippery ground: the agent ends up elsewhere
    assertThat(seenOnSoft.get(seenOnSoft.size() - 1))
        .isNotEqualTo(seenOnPushT.get(seenOnPushT.size() - 1));
    assertThatThrownBy(
            () ->
                ClosedLoopEvaluation.run(
                    new ScriptedChunkPolicy(1, 8, 4),
                    config.withMaxSteps(41).withScene(soft),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSteps 41 exceeds the scene's step limit 40");
  }

  /** A scripted policy that keeps the agent position of each observation it plans from. */
  private static ScriptedChunkPolicy positionsSeen(List<float[]> seen) {
    return new ScriptedChunkPolicy(1, 8, 4) {
      @Override
      public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
        seen.add(agentPositions.clone());
        return super.plan(images, agentPositions, dream);
      }
    };
  }

  @Test
  void thePolicyPlansAgainEveryExecuteStepsSteps() throws Exception {
    ScriptedChunkPolicy policy = new ScriptedChunkPolicy(1, 8, 3);
    Result r = ClosedLoopEvaluation.run(policy, Config.seeds(5, 6).withMaxSteps(10), null);
    // steps 0, 3, 6, 9 of each episode
    assertThat(policy.calls).isEqualTo(8);
    assertThat(r.perSeed()).extracting(Episode::plans).containsExactly(4, 4);
    assertThat(r.perSeed()).extracting(Episode::steps).containsExactly(10, 10);
    assertThat(r.planLatency().plans()).isEqualTo(8);
    assertThat(r.dreamPlanLatency()).isNull();
    assertThat(r.planLatency().p50Ms()).isLessThanOrEqualTo(r.planLatency().p99Ms());
  }

  @Test
  void aPlanShorterThanExecuteStepsRunsWhole() throws Exception {
    ScriptedChunkPolicy policy = new ScriptedChunkPolicy(1, 2, 3);
    Result r = ClosedLoopEvaluation.run(policy, Config.seeds(5, 5).withMaxSteps(10), null);
    assertThat(policy.calls).isEqualTo(5);
    assertThat(r.perSeed().get(0).steps()).isEqualTo(10);
  }

  @Test
  void theHistoryStartsAsTheFirstObservationRepeatedThenSlides() throws Exception {
    long seed = 100001;
    ExpertChunkPolicy policy = new ExpertChunkPolicy(seed, 3, 2);
    ClosedLoopEvaluation.run(policy, Config.seeds(seed, seed).withMaxSteps(6), null);

    PushTEnv env = PushTEnv.reference();
    env.reset(seed);
    byte[] first = new byte[FRAME];
    SceneRenderer.pushtObservation()
        .render(
            env.agentX(), env.agentY(), 0, env.blockX(), env.blockY(), env.blockAngle(), first, 0);

    List<ExpertChunkPolicy.Call> calls = policy.calls;
    assertThat(calls).extracting(ExpertChunkPolicy.Call::step).containsExactly(0, 2, 4);
    ExpertChunkPolicy.Call c0 = calls.get(0);
    for (int k = 0; k < 3; k++) {
      assertThat(Arrays.copyOfRange(c0.images(), k * FRAME, (k + 1) * FRAME)).isEqualTo(first);
      assertThat(c0.positions()[2 * k]).isEqualTo((float) env.agentX());
      assertThat(c0.positions()[2 * k + 1]).isEqualTo((float) env.agentY());
    }
    // later plans see the last three observations, oldest first
    for (ExpertChunkPolicy.Call c : calls.subList(1, calls.size())) {
      for (int k = 0; k < 3; k++) {
        float[] p = policy.trajectory.get(c.step() - 2 + k);
        assertThat(new float[] {c.positions()[2 * k], c.positions()[2 * k + 1]})
            .as("step %d slot %d", c.step(), k)
            .isEqualTo(p);
      }
      assertThat(Arrays.copyOfRange(c.images(), 0, FRAME))
          .isNotEqualTo(Arrays.copyOfRange(c.images(), 2 * FRAME, 3 * FRAME));
    }
    // the newest image of the second plan is the oldest of the third
    assertThat(Arrays.copyOfRange(calls.get(1).images(), 2 * FRAME, 3 * FRAME))
        .isEqualTo(Arrays.copyOfRange(calls.get(2).images(), 0, FRAME));
  }

  @Test
  void dreamOffAsksForNoDreamAndDreamOnIsTimedSeparately() throws Exception {
    ExpertChunkPolicy quiet = new ExpertChunkPolicy(3, 1, 4, 2, 4);
    Result off =
        ClosedLoopEvaluation.run(quiet, Config.seeds(3, 3).withMaxSteps(8).withDream(false), null);
    assertThat(quiet.calls).extracting(ExpertChunkPolicy.Call::dream).containsOnly(false);
    assertThat(off.dreamPlanLatency()).isNull();
    assertThat(off.planLatency().plans()).isEqualTo(2);

    ExpertChunkPolicy dreamer = new ExpertChunkPolicy(3, 1, 4, 2, 4);
    Result on = ClosedLoopEvaluation.run(dreamer, Config.seeds(3, 3).withMaxSteps(8), null);
    assertThat(dreamer.calls).extracting(ExpertChunkPolicy.Call::dream).containsOnly(true);
    assertThat(on.planLatency()).isNull();
    assertThat(on.dreamPlanLatency().plans()).isEqualTo(2);
    assertThat(on.perSeed()).isEqualTo(off.perSeed());
  }

  @Test
  void badSeedRangesAndStepLimitsAreRejected() {
    assertThatThrownBy(() -> Config.seeds(5, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5..4");
    assertThatThrownBy(() -> Config.seeds(-1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1..4");
    assertThatThrownBy(() -> Config.seeds(0, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2^32");
    assertThatThrownBy(() -> Config.seeds(0, 1).withMaxSteps(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSteps");
    assertThatThrownBy(
            () ->
                ClosedLoopEvaluation.run(
                    new ScriptedChunkPolicy(1, 8, 8), Config.seeds(0, 1).withMaxSteps(301), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("301")
        .hasMessageContaining("300");
  }

  @Test
  void malformedDreamFramesAreRejected() {
    ChunkPolicy bad =
        new ScriptedChunkPolicy(1, 4, 4) {
          @Override
          public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
            return new Plan(
                new float[] {100, 100, 100, 100, 100, 100, 100, 100},
                4,
                new byte[FRAME],
                new int[] {1, 2},
                0);
          }
        };
    assertThatThrownBy(
            () -> ClosedLoopEvaluation.run(bad, Config.seeds(0, 0).withMaxSteps(4), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed 0")
        .hasMessageContaining("2 offsets");
  }

  @Test
  void progressIsReportedOncePerEpisodeInSeedOrder() throws Exception {
    List<Long> seen = new ArrayList<>();
    ClosedLoopEvaluation.run(
        new ScriptedChunkPolicy(1, 4, 4),
        Config.seeds(7, 9).withMaxSteps(4),
        e -> seen.add(e.seed()));
    assertThat(seen).containsExactly(7L, 8L, 9L);
  }

  @Test
  void theVideoShowsRealityBesideTheDreamForTheFirstEpisodes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("eval.mp4");
    long seed = 100000;
    ExpertChunkPolicy policy = new ExpertChunkPolicy(seed, 2, 4, 2, 4);
    Result r =
        ClosedLoopEvaluation.run(
            policy,
            Config.seeds(seed, seed + 1).withMaxSteps(12).withVideo(file, 1).withVideoScale(1),
            null);
    assertThat(r.perSeed()).extracting(Episode::steps).containsExactly(12, 12);

    try (VideoReader reader = VideoReader.open(file)) {
      assertThat(reader.info().width()).isEqualTo(2 * 96);
      assertThat(reader.info().height()).isEqualTo(96);
      byte[] f = new byte[reader.info().frameBytes()];
      List<byte[]> frames = new ArrayList<>();
      while (reader.readFrame(f)) frames.add(f.clone());
      // the first episode only: its reset observation, then one frame per step
      assertThat(frames).hasSize(1 + 12);
      // before the first plan the dream half is grey
      assertThat(meanAbsDiff(frames.get(0), 96, 128)).isLessThan(4);
      // 2 and 4 steps after each plan (made every 4 steps) the dream is the double's simulated
      // future,
      // which is reality: the halves agree up to coding noise; 1 step after, the dream is one step
      // ahead
      for (int step : new int[] {2, 4, 6, 8, 10, 12}) {
        assertThat(halfDiff(frames.get(step))).as("step %d", step).isLessThan(3);
      }
    }
    assertThat(Files.list(dir)).containsExactly(file);
  }

  @Test
  void theVideoIsMagnifiedByTheScale(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("eval.mp4");
    ClosedLoopEvaluation.run(
        new ScriptedChunkPolicy(1, 4, 4),
        Config.seeds(0, 0).withMaxSteps(3).withVideo(file, 5),
        null);
    try (VideoReader reader = VideoReader.open(file)) {
      assertThat(reader.info().width()).isEqualTo(2 * 2 * 96);
      assertThat(reader.info().height()).isEqualTo(2 * 96);
      assertThat(reader.info().frameCount()).hasValue(4);
    }
  }

  /** Mean |left - right| over the rows below the labels, columns clear of the separator. */
  private static double halfDiff(byte[] frame) {
    long sum = 0, n = 0;
    for (int y = 16; y < 96; y++) {
      for (int x = 2; x < 94; x++) {
        for (int c = 0; c < 3; c++) {
          sum +=
              Math.abs(
                  (frame[(y * 192 + x) * 3 + c] & 0xFF)
                      - (frame[(y * 192 + 96 + x) * 3 + c] & 0xFF));
          n++;
        }
      }
    }
    return sum / (double) n;
  }

  /** Mean |pixel - value| over the right half. */
  private static double meanAbsDiff(byte[] frame, int x0, int value) {
    long sum = 0, n = 0;
    for (int y = 0; y < 96; y++) {
      for (int x = 2; x < 94; x++) {
        for (int c = 0; c < 3; c++) {
          sum += Math.abs((frame[(y * 192 + x0 + x) * 3 + c] & 0xFF) - value);
          n++;
        }
      }
    }
    return sum / (double) n;
  }
}
