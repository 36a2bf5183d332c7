/**
 * Studies that measure wam4j's claims from training runs: {@link dev.wam4j.eval.study.ScalingStudy}
 * fits validation loss against hours of pre-training video ({@link
 * dev.wam4j.eval.study.ScalingFit}, {@link dev.wam4j.eval.study.ScalingPlot}); {@link
 * dev.wam4j.eval.study.SuccessiveHalving} schedules a search's trials (ASHA).
 */
package dev.wam4j.eval.study;
