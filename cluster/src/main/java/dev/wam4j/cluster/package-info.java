/**
 * Simulation on Apache Spark: closed-loop evaluation with its seeds spread over Spark executors
 * ({@link dev.wam4j.cluster.SparkEvaluation}), each executor JVM loading its policy once and
 * keeping it for the seeds that follow, also for the studies' evaluations ({@link
 * dev.wam4j.cluster.SparkEvaluation#evaluator}); and scripted-expert collection into one LeRobot
 * dataset merged from per-partition ones ({@link dev.wam4j.cluster.SparkCollect}). The only module
 * that knows Spark; {@code cli} calls it, the others stay Spark-free.
 */
package dev.wam4j.cluster;
