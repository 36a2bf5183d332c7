package dev.wam4j.eval.study;

import dev.wam4j.eval.CheckpointEvaluator;
import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.wam.WamConfig;
import dev.wam4j.model.wam.WamRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The trials of a {@link Research} search as study runs: each trained in its own run directory
 * (resumed after a kill, reused when finished; stopped at the budget's deadline with its last
 * checkpoint kept) and evaluated once per seed block, the outcome cached beside the run.
 */
public final class StudyTrials implements TrialRunner {
  private final StudyRuns runs;
  private final WamRun.Stage stage;

  /**
   * @param stage the training stage every trial runs
   * @param evaluator where the closed-loop evaluations run (this JVM, or Spark)
   */
  public StudyTrials(WamRun.Stage stage, CheckpointEvaluator evaluator, Consumer<String> log) {
    this.runs = new StudyRuns(log, evaluator);
    this.stage = stage;
  }

  @Override
  public RunOutcome train(
      String name, WamConfig config, Path dir, SeedRange seeds, long deadlineNanos)
      throws IOException {
    try {
      runs.train(name, config, stage, dir, deadlineNanos);
    } catch (StudyRuns.DeadlinePassed stopped) {
      return null;
    }
    return runs.evaluate(name, dir, seeds);
  }

  @Override
  public void check(WamConfig config) throws IOException {
    WamRun.checkInit(config);
  }

  @Override
  public RunOutcome evaluate(String name, Path dir, SeedRange seeds) throws IOException {
    return runs.evaluate(name, dir, seeds);
  }
}
