package dev.wam4j.sim.cousins;

import dev.wam4j.sim.cousins.CousinConfig.ColourRange;
import dev.wam4j.sim.cousins.CousinConfig.Range;
import dev.wam4j.sim.render.Rgb;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Goal;
import dev.wam4j.sim.scene.Physics;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneObject;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws digital cousins. Deterministic: the same config and seed give the same cousin on every JVM
 * ({@link SplittableRandom} with a fixed draw order). Stateless and thread-safe.
 */
public final class Cousins {
  private Cousins() {}

  /**
   * A cousin of PushT drawn from {@code config} with {@code seed}. Walls, agent start, block start
   * pose (256, 300, 0), time step and episode length are the reference ones. A T keeps the
   * reference's inertia quirks (moment 3000, centre of gravity (0, 45)) scaled by mass and size;
   * the other shapes have uniform density.
   */
  public static Cousin sample(CousinConfig config, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ShapeFamily family = config.shapes().get(rng.nextInt(config.shapes().size()));
    double scale = draw(rng, config.scale());
    Pose goal =
        new Pose(
            draw(rng, config.goalX()), draw(rng, config.goalY()), draw(rng, config.goalAngle()));
    double friction = draw(rng, config.friction());
    double mass = draw(rng, config.mass());
    double inertia = draw(rng, config.inertia());
    Rgb bg = draw(rng, config.background()),
        goalColour = draw(rng, config.goal()),
        block = draw(rng, config.block());
    Rgb edge = draw(rng, config.blockEdge()), wall = draw(rng, config.wall());
    Appearance.Camera camera =
        new Appearance.Camera(
            draw(rng, config.cameraDx()),
            draw(rng, config.cameraDy()),
            draw(rng, config.cameraRotation()),
            draw(rng, config.cameraZoom()));
    // drawn last, so that a config without physics ranges yields the cousins it always did
    double damping = draw(rng, config.damping()),
        kp = draw(rng, config.kp()),
        kv = draw(rng, config.kv());

    Scene ref = Scene.pushT();
    SceneObject refBlock = ref.goalObject();
    List<ConvexPart> parts = family.parts(scale);
    SceneObject shaped =
        family == ShapeFamily.T
            ? new SceneObject(
                family.objectName(),
                parts,
                mass,
                refBlock.moment() * mass * scale * scale,
                refBlock.cogX() * scale,
                refBlock.cogY() * scale,
                friction,
                0.0,
                refBlock.start())
            : SceneObject.uniform(
                family.objectName(), parts, mass, friction, 0.0, refBlock.start());
    SceneObject object =
        inertia == 1.0
            ? shaped
            : new SceneObject(
                shaped.name(),
                shaped.parts(),
                shaped.mass(),
                shaped.moment() * inertia,
                shaped.cogX(),
                shaped.cogY(),
                shaped.friction(),
                shaped.elasticity(),
                shaped.start());
    String name =
        family == ShapeFamily.T
            ? ref.name()
            : ref.name() + "_" + family.id().toLowerCase(java.util.Locale.ROOT);
    Scene scene =
        new Scene(
            name,
            ref.width(),
            ref.height(),
            ref.walls(),
            ref.agentStart(),
            List.of(object),
            new Goal(0, goal, ref.goal().successCoverage()),
            new Physics(
                ref.physics().dtSeconds(),
                ref.physics().substeps(),
                damping,
                kp,
                kv,
                ref.physics().maxSteps()));
    return new Cousin(scene, new Appearance(bg, goalColour, block, edge, wall, camera));
  }

  /** Uniform in [min, max); exactly min when the range is a single value. */
  private static double draw(SplittableRandom rng, Range r) {
    double u = rng.nextDouble();
    return r.min() == r.max() ? r.min() : r.min() + (r.max() - r.min()) * u;
  }

  private static Rgb draw(SplittableRandom rng, ColourRange c) {
    return new Rgb(
        channel(rng, c.min().r(), c.max().r()),
        channel(rng, c.min().g(), c.max().g()),
        channel(rng, c.min().b(), c.max().b()));
  }

  private static int channel(SplittableRandom rng, int lo, int hi) {
    return lo + rng.nextInt(hi - lo + 1);
  }
}
