/**
 * Measurement harness (not product code): replays the PushT human demonstrations on dyn4j and
 * compares them with the recorded Chipmunk states, and measures dyn4j's env-step throughput.
 * World units are the 512 x 512 PushT screen units, time in seconds, angles in radians.
 */
package dev.wam4j.bench.dyn4j;
