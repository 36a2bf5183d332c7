/**
 * Training data loaders: LeRobot datasets turned into random mini-batches of observation histories,
 * action chunks and future observation frames (a world model's targets), fast enough that a
 * training step never waits on data.
 */
package dev.wam4j.data.loader;
