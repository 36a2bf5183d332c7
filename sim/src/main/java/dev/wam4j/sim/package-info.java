/**
 * Simulated environments behind one small interface: PushT physics faithful to the reference
 * (pymunk / Chipmunk 7), its renderer, the batched vector environment, embodiments, scripted
 * experts, digital cousins and scene files.
 *
 * <p>Units: the reference's world units (a 512 x 512 world, y grows downwards), seconds, radians.
 */
package dev.wam4j.sim;
