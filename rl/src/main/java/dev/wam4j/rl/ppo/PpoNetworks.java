package dev.wam4j.rl.ppo;

/**
 * The actor and the critic of a state-based PPO policy and where their parameters lie in one flat
 * array: the actor (observation -> mean action, unbounded; the environment clips actions to [-1, 1]^2), the critic (observation ->
 * value), then the policy's log standard deviation per action axis (state-independent, as in CleanRL).
 */
final class PpoNetworks {
  static final int ACTIONS = 2;

  final Mlp actor;
  final Mlp critic;
  final int criticOffset;
  final int logStdOffset;
  final int parameters;

  PpoNetworks(int hidden, int layers) {
    int[] a = new int[layers + 2], v = new int[layers + 2];
    a[0] = v[0] = PushTask.OBSERVATIONS;
    for (int l = 1; l <= layers; l++) a[l] = v[l] = hidden;
    a[layers + 1] = ACTIONS;
    v[layers + 1] = 1;
    actor = new Mlp(a);
    critic = new Mlp(v);
    criticOffset = actor.parameters();
    logStdOffset = criticOffset + critic.parameters();
    parameters = logStdOffset + ACTIONS;
  }

  /** Fresh parameters: scaled Gaussian weights (policy mean gain 0.01, value gain 1), log std {@code initialLogStd}. */
  float[] initialise(SplitMix rng, double initialLogStd) {
    float[] p = new float[parameters];
    actor.initialise(p, 0, rng, 0.01);
    critic.initialise(p, criticOffset, rng, 1.0);
    for (int k = 0; k < ACTIONS; k++) p[logStdOffset + k] = (float) initialLogStd;
    return p;
  }
}
