package dev.wam4j.rl.ppo;

import dev.wam4j.model.mlp.Mlp;
import dev.wam4j.model.mlp.SplitMix;

/**
 * The actor and the critic of a PPO policy and where their parameters lie in one flat array: the
 * actor (observation -> mean action, unbounded; the environment clips actions), the critic
 * (observation -> value), then the policy's log standard deviation per action axis
 * (state-independent, as in CleanRL).
 */
final class PpoNetworks {
  final int observations;
  final int actions;
  final Mlp actor;
  final Mlp critic;
  final int criticOffset;
  final int logStdOffset;
  final int parameters;

  PpoNetworks(int observations, int actions, int hidden, int layers) {
    this.observations = observations;
    this.actions = actions;
    int[] a = new int[layers + 2], v = new int[layers + 2];
    a[0] = v[0] = observations;
    for (int l = 1; l <= layers; l++) a[l] = v[l] = hidden;
    a[layers + 1] = actions;
    v[layers + 1] = 1;
    actor = new Mlp(a);
    critic = new Mlp(v);
    criticOffset = actor.parameters();
    logStdOffset = criticOffset + critic.parameters();
    parameters = logStdOffset + actions;
  }

  /**
   * Fresh parameters: scaled Gaussian weights (policy mean gain 0.01, value gain 1), log std {@code
   * initialLogStd}.
   */
  float[] initialise(SplitMix rng, double initialLogStd) {
    float[] p = new float[parameters];
    actor.initialise(p, 0, rng, 0.01);
    critic.initialise(p, criticOffset, rng, 1.0);
    for (int k = 0; k < actions; k++) p[logStdOffset + k] = (float) initialLogStd;
    return p;
  }
}
