/**
 * Policies and world models trained with DJL on the PyTorch engine (CPU). The only module that
 * depends on DJL. {@link dev.wam4j.model.Engines} opens the engine offline from the natives jar;
 * {@link dev.wam4j.model.BaselineTrainer} and {@link dev.wam4j.model.BaselinePolicy} are an MLP
 * regression baseline that proves the training path end to end (loader, scoped native memory,
 * atomic checkpoints that carry their config). The world action model is in {@code
 * dev.wam4j.model.wam}, the runtime policy interface in {@code dev.wam4j.model.policy}, planning by
 * imagination in {@code dev.wam4j.model.imagine}; {@code dev.wam4j.model.load} opens a checkpoint
 * as the policy it ships. See {@code model/README.md}.
 */
package dev.wam4j.model;
