package dev.wam4j.fleet.autopilot;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.eval.stats.RateComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The loop that improves a fleet with no person in it, one {@link #step} at a time: when a task's
 * data has grown by {@code hoursPerCandidate}, fine-tune a candidate from the deployed model;
 * evaluate both in simulation on validation seeds; only a candidate that wins there goes to a
 * canary robot; compare the canary's live episodes with the rest of its group by a sequential test
 * after every step, promote it when it is better, roll it back when it is worse (or undecided after
 * {@code maxCanaryEpisodes} or {@code maxCanaryHours}). Every decision, with its evidence, is
 * appended to {@code decisions.jsonl}; the state is saved in {@code autopilot.json} (atomically)
 * before and after every action that changes the fleet, so a killed autopilot resumes where it was
 * and never deploys a candidate twice. An operator may pause and resume it (counted as
 * interventions).
 */
public final class Autopilot {
  static final String STATE_FILE = "autopilot.json", DECISIONS_FILE = "decisions.jsonl";
  static final ObjectMapper JSON = new ObjectMapper();

  /** What the autopilot acts on: the fleet's data, training, simulation and model registry. */
  public interface Fleet {
    /** Hours of the task's episodes collected so far. */
    double hours(String task) throws IOException;

    /**
     * Fine-tunes a candidate from the model deployed to the group on the task's episodes (only the
     * successful ones when asked); {@code name} is stable for one candidate, so a run killed midway
     * resumes.
     */
    Candidate train(String name, String task, String group, boolean successfulOnly)
        throws IOException;

    /** The closed-loop success rate in simulation of the group's deployed model, or a candidate. */
    double simSuccess(Optional<Candidate> candidate, String group, SeedRange seeds)
        throws IOException;

    /**
     * Registers the candidate as a model version; returns the version (the same one when it was
     * registered before a kill).
     */
    int register(Candidate candidate) throws IOException;

    /** The group's canary deployment of that version, if one exists (after a kill). */
    Optional<Canary> canaryOf(int version, String group) throws IOException;

    /** Deploys that version to one canary robot of the group. */
    Canary deployCanary(int version, String group) throws IOException;

    /** Whether the canary is still out, or was promoted or rolled back. */
    CanaryStatus status(Canary canary) throws IOException;

    /** Live episodes since the canary went out: the canary robot's and the rest of the group's. */
    Live live(Canary canary) throws IOException;

    /** Rolls the canary out to the whole group. */
    void promote(Canary canary) throws IOException;

    /** Takes the canary back: the group keeps the model it had. */
    void rollBack(Canary canary) throws IOException;
  }

  /**
   * A trained candidate: where its checkpoint is, and what it trained on.
   *
   * @param injected why this candidate skips the simulation gate, or null (every real candidate): a
   *     test's deliberately bad candidate goes to a canary whatever simulation says, to test the
   *     live check behind the gate; its simulation results are recorded all the same
   */
  public record Candidate(
      String name, String checkpoint, long episodes, double hours, String injected) {}

  /** A canary deployment. */
  public record Canary(long deploymentId, int version, String robotId, long sinceMs) {}

  /** Where a canary deployment stands. */
  public enum CanaryStatus {
    /** On its canary robot, undecided. */
    OUT,
    /** Active for the whole group. */
    PROMOTED,
    /** Withdrawn. */
    ROLLED_BACK
  }

  /** Live outcomes: successes and episodes of the canary and of the rest of its group. */
  public record Live(
      long canarySuccesses, long canaryEpisodes, long groupSuccesses, long groupEpisodes) {}

  /** Where the loop is. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "phase")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Phase.Watching.class, name = "watching"),
    @JsonSubTypes.Type(value = Phase.Training.class, name = "training"),
    @JsonSubTypes.Type(value = Phase.Deploying.class, name = "deploying"),
    @JsonSubTypes.Type(value = Phase.OnCanary.class, name = "canary")
  })
  public sealed interface Phase {
    /** Waiting for data; the last candidate was made at {@code hoursAtLastCandidate}. */
    record Watching(double hoursAtLastCandidate) implements Phase {}

    /**
     * A candidate named {@code name} is being trained from the data at {@code hours} (saved before
     * training starts, so a killed run resumes the same candidate instead of starting another).
     */
    record Training(double hours, String name) implements Phase {}

    /** A candidate won in simulation and is registered; its canary may or may not be out yet. */
    record Deploying(double hoursAtLastCandidate, int version, Candidate candidate)
        implements Phase {}

    /** A canary is out. */
    record OnCanary(double hoursAtLastCandidate, Canary canary, Candidate candidate)
        implements Phase {}
  }

  /** The saved state: the phase, whether an operator paused it, and the counts so far. */
  public record State(
      Phase phase,
      boolean paused,
      int candidates,
      int promoted,
      int rolledBack,
      int interventions) {}

  /** One decision and its evidence, as {@code decisions.jsonl} holds it. */
  public record Decision(long atMs, String kind, String task, Map<String, Object> evidence) {}

  private final AutopilotConfig config;
  private final Fleet fleet;
  private final Path dir;
  private final LongSupplier clockMs;
  // the stepping thread's copy; operators work on their own read of the file
  private volatile State state;
  // guards the state file's read-modify-write: an operator's pause arrives while a step trains,
  // maybe at another server on the same data folder (its own instance, in this process or another)
  private final Object fileLock;
  private static final java.util.concurrent.ConcurrentHashMap<Path, Object> DIR_LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();
  static final String LOCK_FILE = "autopilot.lock";

  /** An autopilot keeping its state in {@code dir} (resumed from it when it holds one). */
  public Autopilot(AutopilotConfig config, Fleet fleet, Path dir, LongSupplier clockMs)
      throws IOException {
    this.config = config;
    this.fleet = fleet;
    this.dir = Files.createDirectories(dir);
    this.fileLock = DIR_LOCKS.computeIfAbsent(this.dir.toRealPath(), d -> new Object());
    this.clockMs = clockMs;
    this.state = read();
  }

  /**
   * The saved state: the file is the truth, since the autopilot may run in another server on the
   * same database and data folder (the one holding the leader lock), and an operator's pause may
   * have reached any of them.
   */
  private State read() throws IOException {
    Path f = dir.resolve(STATE_FILE);
    return Files.isRegularFile(f)
        ? JSON.readValue(f.toFile(), State.class)
        : new State(new Phase.Watching(0), false, 0, 0, 0, 0);
  }

  /** The saved state (read from its file: another server on the data folder may lead). */
  public State state() throws IOException {
    return read();
  }

  /** The config it runs. */
  public AutopilotConfig config() {
    return config;
  }

  /**
   * An operator pauses the loop: no step acts until {@link #resume} (a step already training
   * finishes its candidate, then waits); returns the state it saved.
   */
  public State pause(String operator) throws IOException {
    return operatorSets(true, operator);
  }

  /** An operator lets the loop go on; returns the state it saved. */
  public State resume(String operator) throws IOException {
    return operatorSets(false, operator);
  }

  private State operatorSets(boolean paused, String operator) throws IOException {
    // locals only: the field belongs to the stepping thread, which may assign it meanwhile (an
    // operator's reply once showed the step's stale read: paused=false right after a pause)
    return underStateLock(
        () -> {
          State now = read();
          if (now.paused() == paused) return now; // already so: no second intervention
          State next =
              new State(
                  now.phase(),
                  paused,
                  now.candidates(),
                  now.promoted(),
                  now.rolledBack(),
                  now.interventions() + 1);
          save(next);
          decide(paused ? "paused" : "resumed", Map.of("by", operator));
          return next;
        });
  }

  /** What a body returns, computed under the state file's lock. */
  @FunctionalInterface
  private interface Locked<T> {
    T call() throws IOException;
  }

  /**
   * Runs {@code body} holding the state file's lock: this process's for the folder, then an OS file
   * lock for other processes (servers on one data folder); a read-modify-write of the state under
   * it loses no other server's pause.
   */
  private <T> T underStateLock(Locked<T> body) throws IOException {
    synchronized (fileLock) {
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(
              dir.resolve(LOCK_FILE),
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE)) {
        ch.lock(); // released when the channel closes
        return body.call();
      }
    }
  }

  /** Advances the loop by what is due now (nothing when paused or nothing is due). */
  public synchronized void step() throws IOException {
    state = read();
    if (state.paused()) return;
    switch (state.phase()) {
      case Phase.Watching w -> watch(w);
      case Phase.Training t -> train(t);
      case Phase.Deploying d -> deploy(d);
      case Phase.OnCanary c -> judge(c);
    }
  }

  private void watch(Phase.Watching w) throws IOException {
    double hours = fleet.hours(config.task());
    if (hours - w.hoursAtLastCandidate() < config.hoursPerCandidate()) return;
    Phase.Training t =
        new Phase.Training(hours, String.format(java.util.Locale.ROOT, "candidate-%.2fh", hours));
    phase(t, 0, 0, 0);
    train(t);
  }

  private void train(Phase.Training t) throws IOException {
    double hours = t.hours();
    String name = t.name();
    Candidate candidate;
    try {
      candidate = fleet.train(name, config.task(), config.group(), config.successfulOnly());
    } catch (IOException | RuntimeException e) {
      // stopped (the server closing), not failed: the state stays Training, the next start resumes
      if (e instanceof java.io.InterruptedIOException || Thread.currentThread().isInterrupted())
        throw e;
      phase(new Phase.Watching(hours), 1, 0, 0);
      decide(
          "candidate_failed",
          ordered(
              "candidate",
              name,
              "hours",
              hours,
              "stage",
              "training",
              "error",
              String.valueOf(e.getMessage())));
      return;
    }
    if (read().paused()) return; // paused while it trained: the next step after resume goes on
    double deployed = fleet.simSuccess(Optional.empty(), config.group(), config.validationSeeds());
    double cand;
    try {
      cand = fleet.simSuccess(Optional.of(candidate), config.group(), config.validationSeeds());
    } catch (IOException | RuntimeException e) { // e.g. its checkpoint does not load: skipped
      phase(new Phase.Watching(hours), 1, 0, 0);
      decide(
          "candidate_failed",
          ordered(
              "candidate",
              name,
              "hours",
              hours,
              "stage",
              "simulation",
              "error",
              String.valueOf(e.getMessage())));
      return;
    }
    Map<String, Object> evidence =
        ordered(
            "candidate", candidate.name(),
            "trained_on_episodes", candidate.episodes(),
            "hours", hours,
            "successful_only", config.successfulOnly(),
            "validation_seeds", config.validationSeeds().toString(),
            "sim_success_candidate", cand,
            "sim_success_deployed", deployed,
            "min_gain", config.minSimGain());
    boolean better = cand > deployed + config.minSimGain();
    if (!better && candidate.injected() == null) {
      phase(new Phase.Watching(hours), 1, 0, 0);
      decide("not_better_in_simulation", evidence);
      return;
    }
    int version = fleet.register(candidate);
    evidence.put("version", version);
    if (candidate.injected() != null) evidence.put("injected", candidate.injected());
    phase(new Phase.Deploying(hours, version, candidate), 1, 0, 0);
    decide(
        better ? "better_in_simulation" : "injected_past_simulation",
        evidence); // the second only for a test's deliberately bad candidate
    if (state.paused()) return; // paused while it was evaluated: deployed after the resume
    deploy((Phase.Deploying) state.phase());
  }

  private void deploy(Phase.Deploying d) throws IOException {
    // after a kill between the deployment and the save, the canary already out is adopted
    Optional<Canary> existing = fleet.canaryOf(d.version(), config.group());
    Canary canary =
        existing.isPresent() ? existing.get() : fleet.deployCanary(d.version(), config.group());
    phase(new Phase.OnCanary(d.hoursAtLastCandidate(), canary, d.candidate()), 0, 0, 0);
    decide(
        "canary_deployed",
        ordered(
            "candidate", d.candidate().name(),
            "version", d.version(),
            "canary_robot", canary.robotId(),
            "deployment", canary.deploymentId(),
            "adopted_after_restart", existing.isPresent()));
  }

  private void judge(Phase.OnCanary c) throws IOException {
    // promoted or rolled back already: by this loop before a kill took it before its save, or by
    // an operator; that decision stands
    CanaryStatus now = fleet.status(c.canary());
    if (now != CanaryStatus.OUT) {
      boolean promoted = now == CanaryStatus.PROMOTED;
      phase(new Phase.Watching(c.hoursAtLastCandidate()), 0, promoted ? 1 : 0, promoted ? 0 : 1);
      decide(
          promoted ? "promoted_already" : "rolled_back_already",
          ordered(
              "candidate", c.candidate().name(),
              "version", c.canary().version(),
              "deployment", c.canary().deploymentId()));
      return;
    }
    Live live = fleet.live(c.canary());
    RateComparison.Outcome o =
        RateComparison.compare(
            config.canary(),
            live.canarySuccesses(),
            live.canaryEpisodes(),
            live.groupSuccesses(),
            live.groupEpisodes());
    double hoursOut = (clockMs.getAsLong() - c.canary().sinceMs()) / 3.6e6;
    boolean giveUp =
        o instanceof RateComparison.Outcome.Undecided
            && (live.canaryEpisodes() >= config.maxCanaryEpisodes()
                || hoursOut >= config.maxCanaryHours());
    if (o instanceof RateComparison.Outcome.Undecided && !giveUp) return;
    Map<String, Object> evidence =
        ordered(
            "candidate", c.candidate().name(),
            "version", c.canary().version(),
            "canary_robot", c.canary().robotId(),
            "canary", bounds(o.candidate()),
            "group", bounds(o.reference()),
            "alpha", config.canary().alpha(),
            "test",
                "anytime-valid confidence sequences (normal mixture), alpha/2 each; decided when"
                    + " they separate");
    if (o instanceof RateComparison.Outcome.Better) {
      fleet.promote(c.canary());
      phase(new Phase.Watching(c.hoursAtLastCandidate()), 0, 1, 0);
      decide("promoted", evidence);
    } else {
      fleet.rollBack(c.canary());
      phase(new Phase.Watching(c.hoursAtLastCandidate()), 0, 0, 1);
      if (giveUp) {
        evidence.put("undecided_after_episodes", live.canaryEpisodes());
        evidence.put("undecided_after_hours", hoursOut);
      }
      decide(giveUp ? "rolled_back_undecided" : "rolled_back", evidence);
    }
  }

  private static Map<String, Object> bounds(dev.wam4j.eval.stats.RateBounds b) {
    return ordered(
        "successes", b.successes(), "episodes", b.trials(), "lower", b.lower(), "upper", b.upper());
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  private void phase(Phase next, int candidates, int promoted, int rolledBack) throws IOException {
    underStateLock(
        () -> {
          State operator = read(); // a pause that came in while this step trained stays
          state =
              new State(
                  next,
                  operator.paused(),
                  state.candidates() + candidates,
                  state.promoted() + promoted,
                  state.rolledBack() + rolledBack,
                  operator.interventions());
          save(state);
          return state;
        });
  }

  private void save(State s) throws IOException {
    AtomicFiles.writeString(dir.resolve(STATE_FILE), JSON.writeValueAsString(s));
  }

  private void decide(String kind, Map<String, Object> evidence) throws IOException {
    Decision d = new Decision(clockMs.getAsLong(), kind, config.task(), evidence);
    Files.writeString(
        dir.resolve(DECISIONS_FILE),
        JSON.writeValueAsString(d) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND,
        java.nio.file.StandardOpenOption.SYNC);
  }

  /** Every decision so far, in order (a line torn by a kill is skipped). */
  public List<Decision> decisions() throws IOException {
    Path f = dir.resolve(DECISIONS_FILE);
    if (!Files.isRegularFile(f)) return List.of();
    List<Decision> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      try {
        out.add(JSON.readValue(line, Decision.class));
      } catch (com.fasterxml.jackson.core.JacksonException torn) {
        // the last line of a process killed while writing it
      }
    }
    return out;
  }
}
