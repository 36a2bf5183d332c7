package dev.wam4j.sim.cousins;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.render.Sampling;
import dev.wam4j.sim.render.SceneLook;
import dev.wam4j.sim.render.SceneRenderer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Samples digital cousins, runs the scripted expert on each (robot, legacy reset with the cousin's
 * seed) and draws a gallery: first row the start, second row the end of each episode.
 */
public final class CousinGallery {
  private CousinGallery() {}

  /**
   * One cousin and how the expert did on it.
   *
   * @param seed the cousin's seed and its episode's legacy reset seed
   * @param shape the block's shape family (its object name)
   * @param mass block mass
   * @param friction block friction
   * @param expertSuccess whether the expert reached the goal
   * @param expertSteps steps the episode ran
   * @param maxCoverage the episode's highest goal coverage
   */
  public record Row(
      long seed,
      String shape,
      double mass,
      double friction,
      boolean expertSuccess,
      int expertSteps,
      double maxCoverage) {}

  /** Writes the gallery PNG atomically and returns one row per cousin. */
  public static List<Row> write(
      CousinConfig config, long firstSeed, int count, int tilePx, Path png) throws IOException {
    if (count < 1 || tilePx < 16)
      throw new IllegalArgumentException(
          "cousin gallery: count " + count + " must be >= 1 and tiles >= 16 px, got " + tilePx);
    BufferedImage sheet = new BufferedImage(count * tilePx, 2 * tilePx, BufferedImage.TYPE_INT_RGB);
    List<Row> rows = new ArrayList<>();
    double[] action = new double[2];
    for (int i = 0; i < count; i++) {
      long seed = firstSeed + i;
      Cousin cousin = Cousins.sample(config, seed);
      PushTEnv env = new PushTEnv(cousin.scene(), Embodiment.RobotPusher.reference());
      env.reset(seed);
      SceneLook base = SceneLook.of(cousin.scene());
      SceneLook look =
          new SceneLook(
              base.blockParts(),
              base.goal(),
              base.walls(),
              cousin.appearance().renderStyle(),
              base.agent());
      SceneRenderer renderer =
          new SceneRenderer(
              look, cousin.appearance().camera().toRender(), tilePx, tilePx, Sampling.SUPERSAMPLED);
      byte[] frame = new byte[renderer.frameBytes()];
      renderer.render(
          env.agentX(), env.agentY(), 0, env.blockX(), env.blockY(), env.blockAngle(), frame, 0);
      paste(sheet, frame, tilePx, i * tilePx, 0);
      PushExpert expert = PushExpert.of(env);
      expert.reset();
      double maxCoverage = env.coverage();
      while (!env.terminated() && !env.truncated()) {
        expert.act(env, action);
        env.step(action[0], action[1]);
        maxCoverage = Math.max(maxCoverage, env.coverage());
      }
      renderer.render(
          env.agentX(), env.agentY(), 0, env.blockX(), env.blockY(), env.blockAngle(), frame, 0);
      paste(sheet, frame, tilePx, i * tilePx, tilePx);
      rows.add(
          new Row(
              seed,
              cousin.scene().goalObject().name(),
              cousin.scene().goalObject().mass(),
              cousin.scene().goalObject().friction(),
              env.terminated(),
              env.stepCount(),
              maxCoverage));
    }
    Path tmp = png.resolveSibling("." + png.getFileName() + ".part");
    try {
      if (!ImageIO.write(sheet, "png", tmp.toFile()))
        throw new IOException("no PNG writer available for " + png);
      Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return rows;
  }

  /** Share of the cousins on which the expert reached the goal, in [0, 1]. */
  public static double expertSuccessRate(List<Row> rows) {
    return rows.stream().filter(Row::expertSuccess).count() / (double) rows.size();
  }

  private static void paste(BufferedImage sheet, byte[] rgb, int size, int x0, int y0) {
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int p = (y * size + x) * 3;
        sheet.setRGB(
            x0 + x, y0 + y, (rgb[p] & 255) << 16 | (rgb[p + 1] & 255) << 8 | (rgb[p + 2] & 255));
      }
    }
  }
}
