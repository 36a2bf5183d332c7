/**
 * Steering a frozen world action model with a small actor trained by RL (in {@code dev.wam4j.rl}):
 * in the flow's noise space (DSRL) or by a residual on its chunk. {@link
 * dev.wam4j.model.steer.SteeredPolicy} runs a trained actor as a {@link
 * dev.wam4j.model.policy.ChunkPolicy}.
 */
package dev.wam4j.model.steer;
