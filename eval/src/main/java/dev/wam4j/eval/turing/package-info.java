/**
 * The physical Turing test's automatic judge (issue 18): {@link dev.wam4j.eval.turing.TuringTest}
 * sets human PushT demonstrations against robot episodes from the same start states, describes each
 * pusher's motion by {@link dev.wam4j.eval.turing.MotionFeatures} and lets {@link
 * dev.wam4j.eval.turing.TuringJudge}, a cross-validated logistic regression, try to tell them apart
 * (ROC-AUC 0.5: indistinguishable).
 */
package dev.wam4j.eval.turing;
