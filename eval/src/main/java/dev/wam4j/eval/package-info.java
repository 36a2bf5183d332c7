/**
 * Evaluation of policies: {@link dev.wam4j.eval.ClosedLoopEvaluation} rolls a {@link
 * dev.wam4j.model.policy.ChunkPolicy} out in the PushT simulator on the Diffusion Policy protocol
 * (seeded legacy resets, 300 steps, max-coverage score, success rate, plan latency), measures how
 * well the policy's dreams foretold the observations ({@link dev.wam4j.eval.DreamQuality}) and can
 * write a side-by-side reality / dream video.
 */
package dev.wam4j.eval;
