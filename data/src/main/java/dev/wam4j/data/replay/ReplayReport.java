package dev.wam4j.data.replay;

import java.util.List;

/**
 * Outcome of replaying recorded demonstrations.
 *
 * @param episodes episodes replayed
 * @param frames recorded states compared
 * @param replaySuccessRate share of episodes whose replay reaches coverage above the success
 *     threshold at some step, the terminal state (after the last action) included
 * @param positionErrorFinalMedian median over episodes of the block position error (world units) at
 *     the last recorded state
 * @param positionErrorMax largest block position error over all steps of all episodes
 * @param angleErrorFinalMedian median over episodes of the block angle error (radians, wrapped) at
 *     the last recorded state
 * @param float32ExactFraction share of recorded state values equal to the simulated double rounded
 *     to float32
 * @param terminalCoverageMedian median coverage of the terminal states (not in the data)
 * @param successEpisodes episodes whose replay succeeds
 * @param stepsPerSecond replay speed, env steps per second (coverage included)
 */
public record ReplayReport(
    int episodes,
    long frames,
    double replaySuccessRate,
    double positionErrorFinalMedian,
    double positionErrorMax,
    double angleErrorFinalMedian,
    double float32ExactFraction,
    double terminalCoverageMedian,
    List<Integer> successEpisodes,
    double stepsPerSecond,
    List<Episode> perEpisode) {

  /** One replayed episode. */
  public record Episode(
      int episode,
      long seed,
      int frames,
      double float32ExactFraction,
      double positionErrorFinal,
      double positionErrorMax,
      double angleErrorFinal,
      double terminalCoverage,
      double maxCoverage,
      boolean success) {}
}
