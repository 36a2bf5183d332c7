package dev.wam4j.data.collect;

import dev.wam4j.data.video.VideoWriter;
import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.AgentLook;
import dev.wam4j.sim.render.Camera;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import dev.wam4j.sim.scene.Scene;
import java.io.IOException;

/**
 * The scripted expert pushing the T on film: one episode from a legacy reset, drawn supersampled (a
 * hand as a hand, turned along its motion) into a video, one frame per control step, the reset
 * first.
 */
public final class ExpertFilm {
  private ExpertFilm() {}

  /**
   * One filmed episode.
   *
   * @param embodiment the embodiment's id ({@code robot}, {@code hand})
   * @param seed the legacy reset seed
   * @param success whether the expert reached the goal
   * @param steps control steps run
   * @param maxCoverage the episode's highest goal coverage
   */
  public record Episode(
      String embodiment, long seed, boolean success, int steps, double maxCoverage) {}

  /**
   * Runs the expert as {@code embodiment} on PushT from {@code seed}, writing {@code side} x {@code
   * side} frames to {@code writer}.
   */
  public static Episode record(Embodiment embodiment, long seed, int side, VideoWriter writer)
      throws IOException {
    Scene scene = Scene.pushT();
    PushTEnv env = new PushTEnv(scene, embodiment);
    env.reset(seed);
    PushExpert expert = PushExpert.of(env);
    expert.reset();
    SceneLook look = SceneLook.of(scene);
    if (embodiment instanceof Embodiment.HumanHand)
      look = look.withAgent(AgentLook.Hand.defaultLook());
    SceneRenderer renderer =
        new SceneRenderer(look, Camera.identity(), side, side, Sampling.SUPERSAMPLED);
    byte[] frame = new byte[renderer.frameBytes()];
    double[] action = new double[2];
    double maxCoverage = env.coverage(), heading = 0;
    renderer.render(
        env.agentX(),
        env.agentY(),
        heading,
        env.blockX(),
        env.blockY(),
        env.blockAngle(),
        frame,
        0);
    writer.writeFrame(frame, 0);
    while (!env.terminated() && !env.truncated()) {
      expert.act(env, action);
      double px = env.agentX(), py = env.agentY();
      env.step(action[0], action[1]);
      heading = AgentLook.Hand.heading(heading, px, py, env.agentX(), env.agentY());
      maxCoverage = Math.max(maxCoverage, env.coverage());
      renderer.render(
          env.agentX(),
          env.agentY(),
          heading,
          env.blockX(),
          env.blockY(),
          env.blockAngle(),
          frame,
          0);
      writer.writeFrame(frame, 0);
    }
    return new Episode(embodiment.id(), seed, env.terminated(), env.stepCount(), maxCoverage);
  }
}
