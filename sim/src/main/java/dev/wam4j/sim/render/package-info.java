/**
 * Software renderer of 2D pushing scenes (PushT and its digital cousins) into HWC RGB uint8 frames.
 *
 * <p>A {@link dev.wam4j.sim.render.SceneRenderer} is built once for a fixed scene description
 * ({@link dev.wam4j.sim.render.SceneLook}: convex block parts, goal pose, walls, colours, agent
 * look; {@link dev.wam4j.sim.render.SceneLook#of} makes one from a {@link
 * dev.wam4j.sim.scene.Scene}), a {@link dev.wam4j.sim.render.Camera} and an output size; each frame
 * then costs no allocation. Two samplings: {@link dev.wam4j.sim.render.Sampling#REFERENCE}
 * reproduces the reference pipeline (pygame drawing at 512 x 512, then OpenCV {@code INTER_LINEAR}
 * resize) rule for rule, and {@link dev.wam4j.sim.render.Sampling#SUPERSAMPLED} draws exact
 * geometry antialiased by 4 x 4 supersampling, for pictures at any size.
 *
 * <p>Coordinates: world units of the reference (a 512 x 512 world, y grows downwards), radians.
 */
package dev.wam4j.sim.render;
