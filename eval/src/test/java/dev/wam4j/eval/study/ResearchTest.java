package dev.wam4j.eval.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.wam.WamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The research loop on a synthetic objective (no training: a trial's validation success depends on
 * its drawn learning rate, and each job costs clock time in proportion to its steps): the search
 * finds the good region, writes its notebook after every job, evaluates the winner once on the
 * protocol seeds, resumes after a kill without running a job twice, records a failing trial and
 * goes on, and says when the budget is too small for one trial.
 */
class ResearchTest {
  @TempDir Path dir;

  static final String SPACE =
      """
      {"stage": "finetune", "hypothesis": "a learning rate near 3e-4 works best",
       "base": {"dataset": "demos", "batchSize": 8},
       "search": {"learningRate": {"logUniform": [1e-5, 1e-2]}, "headWidth": {"choice": [64, 128]}},
       "budget": {"field": "steps", "min": 100, "max": 900, "eta": 3},
       "validationSeeds": "200000..200009", "seed": 4}
      """;

  private Path space(String json) throws IOException {
    Path f = dir.resolve("space.json");
    Files.writeString(f, json);
    return f;
  }

  /** A fake trainer on a fake clock: one step costs 0.01 s; success peaks at lr 3e-4. */
  static class Synthetic implements TrialRunner {
    final AtomicLong clock = new AtomicLong();
    final List<String> trained = new ArrayList<>(), evaluated = new ArrayList<>();
    int failTrial = -1, killAtJob = -1;
    boolean failBaseline;

    @Override
    public RunOutcome train(
        String name, WamConfig config, Path run, SeedRange seeds, long deadlineNanos)
        throws IOException {
      if (failBaseline && name.equals("baseline")) throw new IOException("disk full");
      if (trained.size() == killAtJob) throw new Killed();
      trained.add(name);
      clock.addAndGet(config.steps() * 10_000_000L);
      if (clock.get() > deadlineNanos) return null;
      if (name.startsWith("trial-" + failTrial + "-")) throw new IOException("loss became NaN");
      double off = Math.abs(Math.log10(config.learningRate()) - Math.log10(3e-4));
      double success = Math.max(0, 1 - off / 2) * Math.min(1, config.steps() / 900.0 + 0.5);
      return new RunOutcome(
          run.toString(), config.steps(), 1, 1, seeds.toString(), 10, success, success);
    }

    @Override
    public RunOutcome evaluate(String name, Path run, SeedRange seeds) {
      evaluated.add(name + " " + seeds);
      return new RunOutcome(run.toString(), 900, 1, 1, seeds.toString(), 50, 0.9, 0.99);
    }
  }

  /** Thrown as a kill -9 would end the process: nothing after it runs. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }

  /** Runs the search in out/ until {@code first} kills it; returns a runner that continues it. */
  private Synthetic runUntilKilled(ResearchSpace s, Synthetic first) {
    assertThatThrownBy(
            () -> Research.run(s, dir.resolve("out"), 5, first, line -> {}, first.clock::get))
        .isInstanceOf(Killed.class);
    Synthetic second = new Synthetic();
    second.clock.set(first.clock.get());
    return second;
  }

  @Test
  void theSearchFindsTheGoodRegionWritesItsNotebookAndEvaluatesTheWinnerOnce() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(SPACE));
    Synthetic runner = new Synthetic();
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get);
    assertThat(b.stopped()).startsWith("budget of 5.0 minutes used");
    assertThat(b.entries()).hasSizeGreaterThan(20);
    assertThat(b.winner().rung()).isEqualTo(2);
    double lr = b.winner().drawn().get("learningRate").asDouble();
    assertThat(Math.abs(Math.log10(lr) - Math.log10(3e-4))).isLessThan(0.5);
    assertThat(runner.evaluated)
        .containsExactly("winner trial-" + b.winner().trial() + " 100000..100049");
    assertThat(b.protocol().successRate()).isEqualTo(0.9);
    assertThat(b.entries().stream().filter(e -> e.why().startsWith("promoted from rung 1")))
        .isNotEmpty();
    String md = Files.readString(dir.resolve("out").resolve(Research.NOTEBOOK_MD));
    assertThat(md)
        .contains("a learning rate near 3e-4 works best")
        .contains("| job | trial | rung |")
        .contains("## Winner")
        .contains("Once on the protocol seeds 100000..100049");
    // run again: finished, nothing trains or evaluates again
    Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get);
    assertThat(runner.evaluated).hasSize(1);
    // an edited space would give the saved trials other values: refused
    ResearchSpace edited = ResearchSpace.load(space(SPACE.replace("\"seed\": 4", "\"seed\": 5")));
    assertThatThrownBy(
            () ->
                Research.run(edited, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get))
        .hasMessageContaining("changed since the search in");
  }

  static final String WITH_BASELINE =
      SPACE.replace(
          "\"seed\": 4}",
          "\"seed\": 4, \"baseline\": {\"learningRate\": 1e-3, \"headWidth\": 64}}");

  @Test
  void
      aBaselineRunsOnceOnTheLargestBudgetBeforeTheTrialsAndIsJudgedAgainstTheWinnerOnProtocolSeeds()
          throws Exception {
    ResearchSpace s = ResearchSpace.load(space(WITH_BASELINE));
    Synthetic runner = new Synthetic();
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get);
    assertThat(runner.trained.get(0)).isEqualTo("baseline");
    assertThat(runner.trained.stream().filter("baseline"::equals)).hasSize(1);
    Research.Entry base = b.baseline();
    assertThat(base.budget()).as("the largest budget").isEqualTo(900);
    assertThat(base.drawn().get("learningRate").asDouble()).isEqualTo(1e-3);
    assertThat(b.entries()).noneMatch(e -> e.trial() < 0); // not one of the search's trials
    // the synthetic success at lr 1e-3 on 900 steps is 1 - 0.52/2 = 0.74
    assertThat(base.outcome().successRate())
        .isCloseTo(0.739, org.assertj.core.data.Offset.offset(1e-3));
    // the protocol seeds: the winner, then the baseline, once each, after the choice
    assertThat(runner.evaluated)
        .containsExactly(
            "winner trial-" + b.winner().trial() + " 100000..100049", "baseline 100000..100049");
    assertThat(b.baselineProtocol().successRate()).isEqualTo(0.9);
    assertThat(b.verdict())
        .startsWith("on the protocol seeds 100000..100049 (each evaluated once, after the choice)")
        .contains("winner trial " + b.winner().trial())
        .contains("45/50 [0.79, 0.96], hand-tuned baseline (900) 45/50 [0.79, 0.96]")
        .contains("at least as good (95% intervals overlap: a difference within noise)")
        .contains("(in its favour): ")
        .endsWith(" against 0.739");
    assertThat(Files.readString(dir.resolve("out").resolve(Research.NOTEBOOK_MD)))
        .contains("## Baseline")
        .contains("The baseline, once on the protocol seeds 100000..100049")
        .contains("**Against the baseline**: on the protocol seeds");
    // finished: a rerun trains and evaluates nothing again
    Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get);
    assertThat(runner.trained.stream().filter("baseline"::equals)).hasSize(1);
    assertThat(runner.evaluated).hasSize(2);
    // a budget too small for the baseline says so
    Synthetic small = new Synthetic();
    assertThatThrownBy(
            () -> Research.run(s, dir.resolve("small"), 0.1, small, line -> {}, small.clock::get))
        .hasMessageContaining("budget too small for the baseline")
        .hasMessageContaining("900 steps");
  }

  @Test
  void aSearchKilledDuringOrJustAfterItsBaselineResumesRunningItExactlyOnce() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(WITH_BASELINE));
    for (int killAt : new int[] {0, 1}) {
      Path out = dir.resolve("out-" + killAt);
      Synthetic first = new Synthetic();
      first.killAtJob = killAt; // 0: in the baseline; 1: in the first trial, the baseline saved
      assertThatThrownBy(() -> Research.run(s, out, 5, first, line -> {}, first.clock::get))
          .isInstanceOf(Killed.class);
      Synthetic second = new Synthetic();
      second.clock.set(first.clock.get());
      Research.Notebook b = Research.run(s, out, 5, second, line -> {}, second.clock::get);
      long baselines =
          java.util.stream.Stream.concat(first.trained.stream(), second.trained.stream())
              .filter("baseline"::equals)
              .count();
      assertThat(baselines).as("killed at job %d", killAt).isEqualTo(1);
      assertThat(b.baseline().budget()).isEqualTo(900);
      assertThat(b.verdict()).contains("hand-tuned baseline (900)");
    }
  }

  @Test
  void aFailedBaselineIsRecordedAndRunAgainWhenTheSearchContinues() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(WITH_BASELINE));
    Synthetic first = new Synthetic();
    first.failBaseline = true;
    first.killAtJob =
        2; // the failed baseline is not among the jobs trained: two trials, then killed
    assertThatThrownBy(
            () -> Research.run(s, dir.resolve("out"), 5, first, line -> {}, first.clock::get))
        .isInstanceOf(Killed.class);
    Research.Notebook saved =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(
                dir.resolve("out").resolve(Research.NOTEBOOK_JSON).toFile(),
                Research.Notebook.class);
    assertThat(saved.baseline().decision()).isEqualTo("failed: disk full");
    assertThat(saved.verdict()).isEqualTo("no comparison, the baseline failed: disk full");
    Synthetic second = new Synthetic();
    second.clock.set(first.clock.get());
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 5, second, line -> {}, second.clock::get);
    assertThat(second.trained.get(0)).isEqualTo("baseline");
    assertThat(b.baseline().decision()).startsWith("scored");
    assertThat(b.verdict()).startsWith("on the protocol seeds");
  }

  @Test
  void aFailedBaselineStaysOnRecordWhenItsRetryRunsOutOfBudget() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(WITH_BASELINE));
    Synthetic first = new Synthetic();
    first.failBaseline = true;
    first.killAtJob = 2;
    Synthetic second = runUntilKilled(s, first);
    // 0.1 minutes in all: the two trials used ~0.03, the baseline's 900 steps need 0.15
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 0.1, second, line -> {}, second.clock::get);
    assertThat(second.trained).as("the retry was tried").containsExactly("baseline");
    assertThat(b.baseline().decision()).isEqualTo("failed: disk full");
    assertThat(b.verdict()).isEqualTo("no comparison, the baseline failed: disk full");
  }

  @Test
  void aSearchedValueThatCouldNotTrainFailsBeforeAnyJobNamingTheFieldAndValue() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(WITH_BASELINE));
    Synthetic runner =
        new Synthetic() {
          @Override
          public void check(WamConfig config) throws IOException {
            if (config.headWidth() == 128)
              throw new IOException("init checkpoint has another architecture: headWidth");
          }
        };
    assertThatThrownBy(
            () -> Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("search.headWidth = 128 could not train")
        .hasMessageContaining("another architecture: headWidth");
    assertThat(runner.trained).as("no job ran").isEmpty();
    assertThat(dir.resolve("out").resolve(Research.NOTEBOOK_JSON)).doesNotExist();
    Synthetic baselineOnly =
        new Synthetic() {
          @Override
          public void check(WamConfig config) throws IOException {
            if (config.steps() == 900) throw new IOException("no room for the largest budget");
          }
        };
    assertThatThrownBy(
            () ->
                Research.run(
                    s, dir.resolve("out"), 5, baselineOnly, line -> {}, baselineOnly.clock::get))
        .hasMessageContaining(": baseline {")
        .hasMessageContaining("could not train: no room for the largest budget");
    assertThat(baselineOnly.trained).as("no job ran").isEmpty();
  }

  @Test
  void theCheckSetsTheOtherSearchedFieldsToTheBaselineNotTheBasesDefaults() throws Exception {
    // the base leaves headWidth to its default (512), which this runner's init could not seed
    ResearchSpace s = ResearchSpace.load(space(WITH_BASELINE));
    List<Integer> checked = new ArrayList<>();
    Synthetic runner =
        new Synthetic() {
          @Override
          public void check(WamConfig config) throws IOException {
            checked.add(config.headWidth());
            if (config.headWidth() != 64 && config.headWidth() != 128)
              throw new IOException("another architecture: headWidth " + config.headWidth());
          }
        };
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get);
    assertThat(b.protocol()).isNotNull();
    assertThat(checked).contains(64, 128).doesNotContain(512);
  }

  @Test
  void aWinnerWithFewerProtocolSuccessesIsWorseAndSeparateIntervalsAreSaid() {
    Research.Entry winner =
        new Research.Entry(
            0,
            3,
            1,
            300,
            null,
            "",
            new RunOutcome("r", 300, 1, 1, "v", 50, 0.9, 0.9),
            0.9009,
            "",
            1);
    Research.Entry base =
        new Research.Entry(
            -1,
            -1,
            2,
            900,
            null,
            "",
            new RunOutcome("b", 900, 1, 1, "v", 50, 0.8, 0.9),
            0.8009,
            "",
            3);
    RunOutcome worse = new RunOutcome("r", 300, 1, 1, "p", 50, 0.2, 0.5);
    RunOutcome better = new RunOutcome("b", 900, 1, 1, "p", 50, 0.9, 0.99);
    assertThat(ResearchNotebook.verdict(winner, worse, base, better))
        .contains("winner trial 3 (rung 1, 300) 10/50")
        .contains("worse than the baseline (95% intervals separate)")
        .endsWith("0.900 against 0.800");
    assertThat(ResearchNotebook.verdict(winner, null, base, better))
        .as("not yet evaluated")
        .isNull();
    assertThat(ResearchNotebook.verdict(winner, worse, null, null)).as("no baseline").isNull();
  }

  @Test
  void aKilledSearchResumesWithoutRunningAJobTwice() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(SPACE));
    Synthetic first = new Synthetic();
    first.killAtJob = 7;
    Synthetic second = runUntilKilled(s, first);
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 5, second, line -> {}, second.clock::get);
    assertThat(b.entries().subList(0, 7).stream().map(e -> e.trial() + "/" + e.rung()).toList())
        .isEqualTo(
            first.trained.stream()
                .map(n -> n.replace("trial-", "").replace("-rung-", "/"))
                .toList());
    assertThat(second.trained).doesNotContainAnyElementsOf(first.trained);
    assertThat(b.minutesUsed()).isGreaterThanOrEqualTo(5);
    // the uninterrupted search makes the same decisions
    Synthetic whole = new Synthetic();
    Research.Notebook c =
        Research.run(s, dir.resolve("whole"), 5, whole, line -> {}, whole.clock::get);
    assertThat(c.winner().trial()).isEqualTo(b.winner().trial());
  }

  @Test
  void aFailingTrialIsRecordedSkippedAndNeverPromoted() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(SPACE));
    Synthetic runner = new Synthetic();
    runner.failTrial = 2;
    Research.Notebook b =
        Research.run(s, dir.resolve("out"), 5, runner, line -> {}, runner.clock::get);
    List<Research.Entry> two = b.entries().stream().filter(e -> e.trial() == 2).toList();
    assertThat(two).hasSize(1);
    assertThat(two.get(0).decision()).isEqualTo("failed, skipped: loss became NaN");
    assertThat(two.get(0).score()).isNaN();
    assertThat(b.winner()).isNotNull();
  }

  @Test
  void whenEveryTrialFailsTheErrorSaysSoNotThatTheBudgetWasSmall() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(SPACE));
    TrialRunner failing =
        new Synthetic() {
          @Override
          public RunOutcome train(
              String name, WamConfig config, Path run, SeedRange seeds, long deadlineNanos)
              throws IOException {
            clock.addAndGet(60_000_000_000L);
            throw new IOException("dataset missing");
          }
        };
    assertThatThrownBy(
            () ->
                Research.run(
                    s,
                    dir.resolve("out"),
                    3,
                    failing,
                    line -> {},
                    ((Synthetic) failing).clock::get))
        .hasMessageContaining("no trial succeeded: 3 failed");
  }

  @Test
  void aBudgetTooSmallForOneTrialIsAClearErrorWithItsNotebook() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(SPACE));
    Synthetic runner = new Synthetic();
    assertThatThrownBy(
            () -> Research.run(s, dir.resolve("out"), 0.01, runner, line -> {}, runner.clock::get))
        .hasMessageContaining("budget too small for one trial")
        .hasMessageContaining("notebook.md");
    assertThat(Files.readString(dir.resolve("out").resolve(Research.NOTEBOOK_MD)))
        .contains("out of budget before it finished");
    assertThat(runner.evaluated).isEmpty();
  }

  @Test
  void badSpacesAreRefusedNamingTheFileAndField() throws Exception {
    assertThatThrownBy(() -> ResearchSpace.load(space(SPACE.replace("\"seed\": 4", "\"sed\": 4"))))
        .hasMessageContaining("space.json: unknown field 'sed'");
    assertThatThrownBy(
            () -> ResearchSpace.load(space(SPACE.replace("\"headWidth\"", "\"headWidht\""))))
        .hasMessageContaining("field 'search.headWidht'")
        .hasMessageContaining("unknown field 'headWidht'");
    assertThatThrownBy(() -> ResearchSpace.load(space(SPACE.replace("\"headWidth\"", "\"steps\""))))
        .hasMessageContaining("holds the budget field 'steps'");
    assertThatThrownBy(
            () ->
                ResearchSpace.load(
                    space(SPACE.replace("\"200000..200009\"", "\"100040..100059\""))))
        .hasMessageContaining("overlap 'protocolSeeds'");
    assertThatThrownBy(() -> ResearchSpace.load(space(SPACE.replace("logUniform", "logNormal"))))
        .hasMessageContaining("unknown kind 'logNormal'");
    assertThatThrownBy(
            () -> ResearchSpace.load(space(SPACE.replace("\"max\": 900", "\"max\": 50"))))
        .hasMessageContaining("field 'budget': maxBudget must be >= minBudget");
    assertThatThrownBy(
            () ->
                ResearchSpace.load(
                    space(WITH_BASELINE.replace(", \"headWidth\": 64}", ", \"batchSize\": 4}"))))
        .hasMessageContaining("field 'baseline' must give a value for every searched field")
        .hasMessageContaining("missing [headWidth]")
        .hasMessageContaining("not searched [batchSize]");
    assertThatThrownBy(
            () ->
                ResearchSpace.load(
                    space(WITH_BASELINE.replace("\"headWidth\": 64", "\"headWidth\": -5"))))
        .hasMessageContaining("field 'baseline'");
    assertThatThrownBy(() -> ResearchSpace.load(dir.resolve("missing.json")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void aTrialDrawsTheSameValuesEveryTime() throws Exception {
    ResearchSpace s = ResearchSpace.load(space(SPACE));
    assertThat(s.drawn(5)).isEqualTo(s.drawn(5));
    assertThat(s.drawn(5)).isNotEqualTo(s.drawn(6));
    WamConfig c = s.config(5, 300);
    assertThat(c.steps()).isEqualTo(300);
    assertThat(c.learningRate()).isEqualTo(s.drawn(5).get("learningRate").asDouble());
    assertThat(c.batchSize()).isEqualTo(8);
  }
}
