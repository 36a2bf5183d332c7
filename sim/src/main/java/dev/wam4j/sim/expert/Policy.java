package dev.wam4j.sim.expert;

import dev.wam4j.sim.pusht.PushTEnv;

/**
 * A closed-loop controller for {@link PushTEnv}: reads the environment's current state and writes
 * the next action (the agent's absolute target position, world units) into a caller-owned array.
 *
 * <p>Implementations may keep per-episode memory; call {@link #reset()} at every episode start.
 * {@link #act} must not allocate. Not thread-safe: one policy per environment.
 */
public interface Policy {

  /** Writes the action for the current state of {@code env} into {@code actionOut[0..1]}. */
  void act(PushTEnv env, double[] actionOut);

  /** Forgets per-episode memory. */
  default void reset() {}
}
