package dev.wam4j.eval.study;

import dev.wam4j.eval.SeedRange;
import dev.wam4j.model.wam.WamConfig;
import java.io.IOException;
import java.nio.file.Path;

/** How {@link Research} trains and scores a trial, and evaluates its winner. */
public interface TrialRunner {
  /**
   * Trains {@code config} in {@code dir} (resuming what a killed run left there) and evaluates it
   * on {@code seeds}.
   *
   * @param deadlineNanos {@link System#nanoTime()} by which it must have finished
   * @return its outcome, or {@code null} when the deadline came first (the run dir keeps its last
   *     checkpoint)
   * @throws IOException or a runtime exception when the trial failed (it is recorded and skipped)
   */
  RunOutcome train(String name, WamConfig config, Path dir, SeedRange seeds, long deadlineNanos)
      throws IOException;

  /**
   * Checks before the search that a trial of {@code config} could start training (e.g. that its
   * init checkpoint can seed that architecture), so a space that cannot work fails at once rather
   * than one failed trial at a time.
   *
   * @throws IOException or a runtime exception naming what is wrong
   */
  default void check(WamConfig config) throws IOException {}

  /** Evaluates the run in {@code dir} on {@code seeds} (the winner, on the protocol seeds). */
  RunOutcome evaluate(String name, Path dir, SeedRange seeds) throws IOException;
}
