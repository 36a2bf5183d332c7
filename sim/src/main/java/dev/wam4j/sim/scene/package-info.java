/**
 * Scene descriptions: records for walls, objects made of convex parts, the goal and the physics
 * settings, and the JSON scene-file format that loads and writes them ({@link
 * dev.wam4j.sim.scene.SceneFile}) — the real-to-sim entry point — with the built-in scenes in
 * {@link dev.wam4j.sim.scene.Scenes}.
 */
package dev.wam4j.sim.scene;
