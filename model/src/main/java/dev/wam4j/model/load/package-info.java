/**
 * Opening a trained policy for running: {@link dev.wam4j.model.load.ChunkPolicies} is the one place
 * that knows every kind of policy checkpoint and how it ships to plan (a world action model,
 * planning by imagination when its config says so). It sits above the interface ({@code
 * dev.wam4j.model.policy}) and the policies ({@code dev.wam4j.model.wam}, {@code
 * dev.wam4j.model.imagine}), none of which depends on it.
 */
package dev.wam4j.model.load;
