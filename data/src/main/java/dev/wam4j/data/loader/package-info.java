/**
 * Training data loaders: LeRobot datasets turned into random mini-batches of observation histories
 * and action chunks, fast enough that a training step never waits on data.
 */
package dev.wam4j.data.loader;
