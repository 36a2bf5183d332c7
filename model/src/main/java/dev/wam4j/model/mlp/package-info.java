/**
 * Small networks in plain Java on flat float arrays: the {@link dev.wam4j.model.mlp.Mlp} that PPO
 * trains (a state teacher, or an actor steering a world action model) and a checkpointable random
 * stream. No native engine: a 64-wide MLP is faster on the JVM than a round trip through libtorch.
 */
package dev.wam4j.model.mlp;
