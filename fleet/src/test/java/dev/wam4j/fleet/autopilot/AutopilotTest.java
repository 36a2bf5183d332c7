package dev.wam4j.fleet.autopilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.SeedRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autopilot's decisions against a simulated fleet: nothing before the data threshold; a
 * candidate that loses in simulation never reaches a robot; one that wins goes to a canary and is
 * promoted when it is better live, rolled back when it is worse (the deliberately bad candidate); a
 * kill between deployment and save does not deploy twice; a pause stops it; every decision keeps
 * its evidence.
 */
class AutopilotTest {
  @TempDir Path dir;

  /**
   * A fleet whose candidates have a true live success rate and a simulated one, both chosen here.
   */
  static class FakeFleet implements Autopilot.Fleet {
    double hours;
    double deployedLive = 0.6, deployedSim = 0.6;
    double candidateLive = 0.9, candidateSim = 0.8;
    boolean failTraining, failToLoad, stopTraining;
    final List<String> trained = new ArrayList<>(), actions = new ArrayList<>();
    final List<Autopilot.Canary> canaries = new ArrayList<>();
    long canaryS, canaryN, groupS, groupN;
    final SplittableRandom rng = new SplittableRandom(3);
    int versions;

    /** Robots work: the canary runs one episode, the other four robots four. */
    void work(int rounds) {
      for (int i = 0; i < rounds; i++) {
        if (!canaries.isEmpty()) {
          canaryN++;
          if (rng.nextDouble() < candidateLive) canaryS++;
        }
        for (int g = 0; g < 4; g++) {
          groupN++;
          if (rng.nextDouble() < deployedLive) groupS++;
        }
      }
    }

    @Override
    public double hours(String task) {
      return hours;
    }

    @Override
    public Autopilot.Candidate train(String name, String task, String group, boolean successfulOnly)
        throws IOException {
      trained.add(name);
      if (failTraining) throw new IOException("checkpoint " + name + " does not load");
      if (stopTraining) throw new java.io.InterruptedIOException("labelling stopped");
      return new Autopilot.Candidate(name, "/runs/" + name, 40, hours, null);
    }

    @Override
    public double simSuccess(Optional<Autopilot.Candidate> c, String group, SeedRange seeds)
        throws IOException {
      if (c.isPresent() && failToLoad)
        throw new IOException(
            "checkpoint " + c.get().checkpoint() + ": policy.ndlist is corrupted");
      return c.isPresent() ? candidateSim : deployedSim;
    }

    @Override
    public int register(Autopilot.Candidate candidate) {
      actions.add("register " + candidate.name());
      return ++versions;
    }

    @Override
    public Optional<Autopilot.Canary> canaryOf(int version, String group) {
      return canaries.stream().filter(c -> c.version() == version).findFirst();
    }

    @Override
    public Autopilot.Canary deployCanary(int version, String group) {
      actions.add("canary v" + version);
      Autopilot.Canary c = new Autopilot.Canary(100 + version, version, "arm-1", 0);
      canaries.add(c);
      canaryS = canaryN = groupS = groupN = 0;
      return c;
    }

    final java.util.Map<Long, Autopilot.CanaryStatus> statuses = new java.util.HashMap<>();

    @Override
    public Autopilot.CanaryStatus status(Autopilot.Canary canary) {
      return statuses.getOrDefault(canary.deploymentId(), Autopilot.CanaryStatus.OUT);
    }

    @Override
    public Autopilot.Live live(Autopilot.Canary canary) {
      return new Autopilot.Live(canaryS, canaryN, groupS, groupN);
    }

    @Override
    public void promote(Autopilot.Canary canary) {
      actions.add("promote v" + canary.version());
      statuses.put(canary.deploymentId(), Autopilot.CanaryStatus.PROMOTED);
      canaries.clear();
      deployedLive = candidateLive;
      deployedSim = candidateSim;
    }

    @Override
    public void rollBack(Autopilot.Canary canary) {
      actions.add("roll back v" + canary.version());
      statuses.put(canary.deploymentId(), Autopilot.CanaryStatus.ROLLED_BACK);
      canaries.clear();
    }
  }

  private static AutopilotConfig config() {
    return AutopilotConfig.of("push", "lab");
  }

  /** Steps until the canary is decided (or 200 rounds of work). */
  private static void runCanary(Autopilot a, FakeFleet f) throws IOException {
    for (int i = 0; i < 200 && a.state().phase() instanceof Autopilot.Phase.OnCanary; i++) {
      f.work(5);
      a.step();
    }
  }

  @Test
  void aBetterCandidateGoesThroughACanaryAndIsPromotedWithItsEvidence() throws Exception {
    FakeFleet f = new FakeFleet();
    Autopilot a = new Autopilot(config(), f, dir, () -> 42L);
    f.hours = 0.5;
    a.step();
    assertThat(f.trained).as("below the threshold").isEmpty();
    f.hours = 1.2;
    a.step();
    assertThat(f.actions).containsExactly("register candidate-1.20h", "canary v1");
    runCanary(a, f);
    assertThat(f.actions).endsWith("promote v1");
    assertThat(a.state().promoted()).isEqualTo(1);
    assertThat(a.state().interventions()).isZero();
    List<Autopilot.Decision> d = a.decisions();
    assertThat(d.stream().map(Autopilot.Decision::kind))
        .containsExactly("better_in_simulation", "canary_deployed", "promoted");
    assertThat(d.get(0).evidence())
        .containsEntry("sim_success_candidate", 0.8)
        .containsEntry("sim_success_deployed", 0.6);
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> canary =
        (java.util.Map<String, Object>) d.get(2).evidence().get("canary");
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> group =
        (java.util.Map<String, Object>) d.get(2).evidence().get("group");
    assertThat(((Number) canary.get("lower")).doubleValue())
        .isGreaterThan(((Number) group.get("upper")).doubleValue());
  }

  @Test
  void aCandidateThatWinsInSimulationButLosesLiveIsRolledBack() throws Exception {
    FakeFleet f = new FakeFleet();
    f.candidateLive = 0.2; // trained on corrupted data: fine in simulation, poor on the robots
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.0;
    a.step();
    runCanary(a, f);
    assertThat(f.actions).containsExactly("register candidate-1.00h", "canary v1", "roll back v1");
    assertThat(a.state().rolledBack()).isEqualTo(1);
    assertThat(f.deployedLive).as("the group keeps its model").isEqualTo(0.6);
    assertThat(a.decisions().get(2).kind()).isEqualTo("rolled_back");
  }

  @Test
  void aCanaryWhoseRobotGivesNoEpisodesIsRolledBackAfterMaxCanaryHoursNotWaitedOnForEver()
      throws Exception {
    FakeFleet f = new FakeFleet();
    long[] nowMs = {0};
    Autopilot a = new Autopilot(config(), f, dir, () -> nowMs[0]);
    f.hours = 1.0;
    a.step();
    assertThat(f.actions).containsExactly("register candidate-1.00h", "canary v1");
    // the canary robot went offline: no episode comes from it; the rest of the group works on
    for (int i = 0; i < 30; i++) {
      nowMs[0] += 3_600_000; // an hour between steps
      f.groupN += 20;
      f.groupS += 12;
      a.step();
      if (!(a.state().phase() instanceof Autopilot.Phase.OnCanary)) break;
    }
    assertThat(f.actions).containsExactly("register candidate-1.00h", "canary v1", "roll back v1");
    Autopilot.Decision d = a.decisions().get(2);
    assertThat(d.kind()).isEqualTo("rolled_back_undecided");
    assertThat(d.evidence())
        .containsEntry("undecided_after_episodes", 0)
        .containsEntry("undecided_after_hours", 24.0);
  }

  @Test
  void aCandidateThatLosesInSimulationNeverReachesARobot() throws Exception {
    FakeFleet f = new FakeFleet();
    f.candidateSim = 0.6; // equal is not better
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.0;
    a.step();
    assertThat(f.actions).isEmpty();
    assertThat(a.decisions().get(0).kind()).isEqualTo("not_better_in_simulation");
    a.step();
    assertThat(f.trained).as("the next candidate waits for another hour of data").hasSize(1);
  }

  @Test
  void aStopWhileACandidateIsPreparedIsNotItsFailure() throws Exception {
    FakeFleet f = new FakeFleet();
    f.stopTraining = true; // the server closes while the candidate's episodes are labelled
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.0;
    assertThatThrownBy(a::step).isInstanceOf(java.io.InterruptedIOException.class);
    assertThat(a.decisions()).isEmpty();
    assertThat(a.state().phase()).isInstanceOf(Autopilot.Phase.Training.class);
    f.stopTraining = false; // the next start resumes the same candidate
    a.step();
    assertThat(f.trained).containsExactly("candidate-1.00h", "candidate-1.00h");
  }

  @Test
  void aCandidateThatFailsIsRecordedAndSkipped() throws Exception {
    FakeFleet f = new FakeFleet();
    f.failTraining = true;
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.0;
    a.step();
    assertThat(a.decisions().get(0).kind()).isEqualTo("candidate_failed");
    assertThat(a.decisions().get(0).evidence().get("error").toString()).contains("does not load");
    assertThat(a.state().phase()).isEqualTo(new Autopilot.Phase.Watching(1.0));
  }

  @Test
  void aKilledAutopilotResumesWithoutDeployingTwice() throws Exception {
    FakeFleet f = new FakeFleet();
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.0;
    a.step();
    assertThat(f.canaries).hasSize(1);
    // a kill after the deployment, before its state was saved: the saved phase is still Deploying
    Autopilot.Phase onCanary = a.state().phase();
    Autopilot.Candidate c = ((Autopilot.Phase.OnCanary) onCanary).candidate();
    java.nio.file.Files.writeString(
        dir.resolve(Autopilot.STATE_FILE),
        Autopilot.JSON.writeValueAsString(
            new Autopilot.State(new Autopilot.Phase.Deploying(1.0, 1, c), false, 1, 0, 0, 0)));
    Autopilot b = new Autopilot(config(), f, dir, () -> 2L);
    b.step();
    assertThat(f.canaries).as("the canary out is adopted, not deployed again").hasSize(1);
    assertThat(f.actions).containsExactly("register candidate-1.00h", "canary v1");
    assertThat(b.decisions().getLast().evidence()).containsEntry("adopted_after_restart", true);
    runCanary(b, f);
    assertThat(f.actions).endsWith("promote v1");
  }

  @Test
  void aPausedAutopilotDoesNothingAndCountsTheIntervention() throws Exception {
    FakeFleet f = new FakeFleet();
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    a.pause("ops");
    f.hours = 5;
    a.step();
    assertThat(f.trained).isEmpty();
    a.resume("ops");
    a.step();
    assertThat(f.trained).hasSize(1);
    assertThat(new Autopilot(config(), f, dir, () -> 1L).state().interventions()).isEqualTo(2);
  }

  @Test
  void anOperatorsReplyShowsWhatTheOperatorSetWhileTheLoopSteps() throws Exception {
    // the loop steps as fast as it can (nothing due) while an operator pauses and resumes: every
    // reply must show what was set, never the loop's read from just before (a flaky API test)
    FakeFleet f = new FakeFleet();
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (!stop.get()) a.step();
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    try {
      for (int i = 0; i < 300; i++) {
        assertThat(a.pause("ops").paused()).as("pause %d", i).isTrue();
        assertThat(a.resume("ops").paused()).as("resume %d", i).isFalse();
      }
    } finally {
      stop.set(true);
      loop.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(a.state().interventions()).isEqualTo(600);
    assertThat(f.trained).isEmpty();
  }

  @Test
  void aPauseSentToAnotherServerOnTheSameDataFolderIsNeverOverwrittenByTheLeadersStep()
      throws Exception {
    // two servers on one data folder: the leader's loop steps (each step saves a new phase: a
    // candidate that loses in simulation every hour), an operator's calls reach the other server
    FakeFleet f = new FakeFleet();
    f.candidateSim = 0.5;
    Autopilot leader = new Autopilot(config(), f, dir, () -> 1L);
    Autopilot other = new Autopilot(config(), new FakeFleet(), dir, () -> 1L);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (!stop.get()) {
                      f.hours += 1;
                      leader.step();
                    }
                  } catch (Throwable t) {
                    failure.set(t);
                  }
                });
    try {
      for (int i = 0; i < 300; i++) {
        assertThat(other.pause("ops").paused()).as("pause %d", i).isTrue();
        assertThat(leader.state().paused()).as("still paused after pause %d", i).isTrue();
        assertThat(other.resume("ops").paused()).as("resume %d", i).isFalse();
      }
    } finally {
      stop.set(true);
      loop.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(leader.state().interventions()).isEqualTo(600);
  }

  @Test
  void aPauseWhileACandidateIsEvaluatedInSimulationHoldsItsCanaryBackUntilResumed()
      throws Exception {
    Autopilot[] a = {null};
    FakeFleet f =
        new FakeFleet() {
          @Override
          public double simSuccess(Optional<Autopilot.Candidate> c, String group, SeedRange seeds)
              throws IOException {
            if (c.isPresent()) a[0].pause("ops"); // the operator acts during the evaluation
            return super.simSuccess(c, group, seeds);
          }
        };
    a[0] = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.0;
    a[0].step();
    assertThat(f.actions)
        .as("registered, not deployed")
        .containsExactly("register candidate-1.00h");
    a[0].step();
    assertThat(f.actions).hasSize(1);
    a[0].resume("ops");
    a[0].step();
    assertThat(f.actions).containsExactly("register candidate-1.00h", "canary v1");
    assertThat(a[0].decisions().stream().map(Autopilot.Decision::kind))
        .containsExactly("paused", "better_in_simulation", "resumed", "canary_deployed");
  }

  @Test
  void aKillDuringTrainingResumesTheSameCandidateNotANewOne() throws Exception {
    FakeFleet f = new FakeFleet();
    Autopilot a =
        new Autopilot(
            config(),
            new Autopilot.Fleet() {
              @Override
              public double hours(String task) {
                return f.hours;
              }

              @Override
              public Autopilot.Candidate train(String n, String t, String g, boolean s) {
                throw new Error("killed while training " + n); // not caught: a kill
              }

              @Override
              public double simSuccess(Optional<Autopilot.Candidate> c, String g, SeedRange r) {
                throw new AssertionError();
              }

              @Override
              public int register(Autopilot.Candidate c) {
                throw new AssertionError();
              }

              @Override
              public Optional<Autopilot.Canary> canaryOf(int v, String g) {
                throw new AssertionError();
              }

              @Override
              public Autopilot.Canary deployCanary(int v, String g) {
                throw new AssertionError();
              }

              @Override
              public Autopilot.CanaryStatus status(Autopilot.Canary c) {
                throw new AssertionError();
              }

              @Override
              public Autopilot.Live live(Autopilot.Canary c) {
                throw new AssertionError();
              }

              @Override
              public void promote(Autopilot.Canary c) {}

              @Override
              public void rollBack(Autopilot.Canary c) {}
            },
            dir,
            () -> 1L);
    f.hours = 1.2;
    assertThatThrownBy(a::step).hasMessage("killed while training candidate-1.20h");
    f.hours = 1.7; // the fleet worked on while the autopilot was down
    Autopilot b = new Autopilot(config(), f, dir, () -> 2L);
    b.step();
    assertThat(f.trained).containsExactly("candidate-1.20h"); // resumed, not candidate-1.70h
    assertThat(b.state().phase()).isInstanceOf(Autopilot.Phase.OnCanary.class);
  }

  @Test
  void aCanaryPromotedOrRolledBackElsewhereIsAdoptedNotDecidedAgain() throws Exception {
    FakeFleet f = new FakeFleet();
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.5;
    a.step();
    Autopilot.Canary c = f.canaries.getFirst();
    f.rollBack(c); // an operator took it back by hand (or this loop did, then was killed)
    f.actions.clear();
    a.step();
    assertThat(f.actions).isEmpty(); // not promoted over the operator's decision
    assertThat(a.decisions().getLast().kind()).isEqualTo("rolled_back_already");
    assertThat(a.state().rolledBack()).isEqualTo(1);
    assertThat(a.state().phase()).isEqualTo(new Autopilot.Phase.Watching(1.5));
  }

  @Test
  void aPauseWhileACandidateTrainsHoldsItBackUntilResumed() throws Exception {
    FakeFleet f =
        new FakeFleet() {
          @Override
          public Autopilot.Candidate train(String n, String t, String g, boolean s)
              throws IOException {
            Autopilot.Candidate c = super.train(n, t, g, s);
            // an operator pauses it meanwhile (here through another server's autopilot object)
            if (trained.size() == 1) new Autopilot(config(), this, dir, () -> 2L).pause("ops");
            return c;
          }
        };
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.5;
    a.step();
    assertThat(f.actions).isEmpty(); // trained, but nothing registered or deployed while paused
    assertThat(a.state().phase()).isInstanceOf(Autopilot.Phase.Training.class);
    a.step();
    assertThat(f.actions).isEmpty();
    a.resume("ops");
    a.step();
    // the same candidate taken up again (a real fleet finds it trained), registered once
    assertThat(f.trained).containsExactly("candidate-1.50h", "candidate-1.50h");
    assertThat(f.actions).containsExactly("register candidate-1.50h", "canary v1");
  }

  @Test
  void aCandidateThatFailsToLoadIsRecordedAndSkipped() throws Exception {
    FakeFleet f = new FakeFleet();
    f.failToLoad = true;
    Autopilot a = new Autopilot(config(), f, dir, () -> 1L);
    f.hours = 1.5;
    a.step();
    assertThat(a.decisions())
        .extracting(Autopilot.Decision::kind)
        .containsExactly("candidate_failed");
    assertThat(a.decisions().get(0).evidence())
        .containsEntry("stage", "simulation")
        .containsEntry("error", "checkpoint /runs/candidate-1.50h: policy.ndlist is corrupted");
    assertThat(f.actions).isEmpty(); // nothing registered, nothing deployed
    assertThat(a.state().phase()).isEqualTo(new Autopilot.Phase.Watching(1.5));
    assertThat(a.state().candidates()).isEqualTo(1);
  }

  /** A config with the defaults but for the three settings these checks vary. */
  private static AutopilotConfig with(
      double hoursPerCandidate, long maxCanaryEpisodes, double maxCanaryHours) {
    return new AutopilotConfig(
        "push",
        "lab",
        hoursPerCandidate,
        true,
        0,
        null,
        new SeedRange(1, 2),
        0,
        dev.wam4j.eval.stats.RateComparison.Config.defaults(),
        maxCanaryEpisodes,
        maxCanaryHours,
        "pusht",
        null,
        10);
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> with(0, 500, 24))
        .hasMessageContaining("hoursPerCandidate must be > 0, got 0.0");
    assertThatThrownBy(() -> with(1, 5, 24))
        .hasMessageContaining(
            "maxCanaryEpisodes (5) must be >= the canary test's minEpisodes (20)");
    assertThatThrownBy(() -> with(1, 500, 0))
        .hasMessageContaining("maxCanaryHours must be > 0, got 0.0");
  }
}
