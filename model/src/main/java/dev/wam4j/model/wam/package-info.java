/**
 * The world action model: a policy whose backbone is a video world model. {@link
 * dev.wam4j.model.wam.WamConfig} holds every setting; {@link dev.wam4j.model.wam.WamTrainer} trains
 * the network on one joint objective (flow-matching action chunks, predicted future frames,
 * reconstruction); {@link dev.wam4j.model.wam.WamRun} runs training in a resumable directory with
 * logs, loss curves and {@link dev.wam4j.model.wam.WamCheckpoint checkpoints}; {@link
 * dev.wam4j.model.wam.WamPolicy} plans action chunks and dreams at run time. See docs/TRAINING.md.
 */
package dev.wam4j.model.wam;
