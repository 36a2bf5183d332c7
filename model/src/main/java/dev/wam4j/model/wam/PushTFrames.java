package dev.wam4j.model.wam;

import dev.wam4j.data.loader.RowRenderer;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;

/**
 * PushT's 96x96 observation drawn from a row's agent position and block pose, with the renderer the
 * closed-loop evaluation and DAgger's collector use: the frames a policy sees at run time, bit for
 * bit ({@link WamConfig#renderFrames}). Not thread-safe.
 */
final class PushTFrames implements RowRenderer {
  private final SceneRenderer renderer;

  PushTFrames(int imageSize) {
    this.renderer =
        new SceneRenderer(
            SceneLook.of(Scene.pushT()),
            Camera.identity(),
            imageSize,
            imageSize,
            Sampling.REFERENCE);
  }

  @Override
  public int frameBytes() {
    return renderer.frameBytes();
  }

  @Override
  public void render(
      float[] state, int stateOffset, float[] blockPose, int poseOffset, byte[] out, int offset) {
    renderer.render(
        state[stateOffset],
        state[stateOffset + 1],
        0,
        blockPose[poseOffset],
        blockPose[poseOffset + 1],
        blockPose[poseOffset + 2],
        out,
        offset);
  }
}
