/**
 * What a training run records about itself: {@link dev.wam4j.model.train.TrainingLog} appends one
 * CSV row of losses, throughput and memory per logged step and survives kills and resumes; {@link
 * dev.wam4j.model.train.LossChart} draws such a log to a PNG loss curve.
 */
package dev.wam4j.model.train;
