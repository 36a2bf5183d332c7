package dev.wam4j.eval.study;

/**
 * One study run: its training and its closed-loop outcome on the Diffusion Policy protocol.
 *
 * @param run run directory
 * @param step checkpoint step evaluated
 * @param trainSeconds training wall time of the run
 * @param trainFrames frames of the data the run trained on
 * @param seeds evaluation seeds, {@code A..B}
 * @param episodes episodes evaluated
 * @param successRate share of episodes reaching coverage 0.95
 * @param meanMaxCoverage mean over episodes of the best {@code min(coverage / 0.95, 1)}: the
 *     protocol's score
 */
public record RunOutcome(
    String run,
    long step,
    double trainSeconds,
    long trainFrames,
    String seeds,
    int episodes,
    double successRate,
    double meanMaxCoverage) {}
