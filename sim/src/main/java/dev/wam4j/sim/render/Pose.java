package dev.wam4j.sim.render;

/**
 * A rigid 2D pose: a body-local point {@code v} is at world {@code (x, y) + R(angle) v}.
 *
 * @param x world units
 * @param y world units
 * @param angle radians
 */
public record Pose(double x, double y, double angle) {}
