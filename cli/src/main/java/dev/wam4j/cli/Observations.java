package dev.wam4j.cli;

import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.vector.VectorEnv;

/** The reference PushT pixel observation (96 x 96 RGB) as a vector-env frame renderer. */
final class Observations {
  static final int PUSHT_FRAME_BYTES = 96 * 96 * 3;

  private Observations() {}

  static VectorEnv.FrameRenderer pushTRenderer() {
    SceneRenderer renderer = SceneRenderer.pushtObservation();
    return (env, out, offset) -> renderer.render(env.agentX(), env.agentY(), 0.0, env.blockX(), env.blockY(), env.blockAngle(), out, offset);
  }

  static void render(SceneRenderer renderer, PushTEnv env, byte[] out) {
    renderer.render(env.agentX(), env.agentY(), 0.0, env.blockX(), env.blockY(), env.blockAngle(), out, 0);
  }
}
