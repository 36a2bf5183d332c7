/**
 * The autopilot: a fleet that improves itself. {@link dev.wam4j.fleet.autopilot.Autopilot} watches
 * a task's data, fine-tunes a candidate from the deployed model when enough has come in, lets it on
 * a canary robot only if it beats the deployed model in simulation, and promotes or rolls it back
 * by a sequential test on live results ({@link dev.wam4j.eval.stats.RateComparison}); every
 * decision is recorded with its evidence. What training, evaluating and deploying mean is the
 * {@link dev.wam4j.fleet.autopilot.Autopilot.Fleet} it is given.
 */
package dev.wam4j.fleet.autopilot;
