/**
 * Statistics that stay honest when someone watches the numbers as they come in: anytime-valid
 * confidence sequences for success rates ({@link dev.wam4j.eval.stats.ConfidenceSequence}) and a
 * sequential comparison of two rates ({@link dev.wam4j.eval.stats.RateComparison}), e.g. a canary
 * robot's against the rest of its group, which may be checked after every episode.
 */
package dev.wam4j.eval.stats;
