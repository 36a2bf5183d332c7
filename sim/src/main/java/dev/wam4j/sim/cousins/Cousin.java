package dev.wam4j.sim.cousins;

import dev.wam4j.sim.scene.Scene;

/** One sampled digital cousin: the scene to simulate and how to draw it. */
public record Cousin(Scene scene, Appearance appearance) {
  public Cousin {
    if (scene == null || appearance == null)
      throw new IllegalArgumentException("cousin needs a scene and an appearance");
  }
}
