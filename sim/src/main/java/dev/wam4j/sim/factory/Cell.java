package dev.wam4j.sim.factory;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.physics.World;
import dev.wam4j.sim.pusht.Coverage;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Goal;
import dev.wam4j.sim.scene.Physics;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneObject;
import dev.wam4j.sim.scene.Wall;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A lights-out cell in the simulator: PushT's floor (its walls made thick) and physics, the parts
 * of a design (each a body of its shape at scale 1, uniform density, PushT's block mass and
 * surfaces) and one or more robot pushers, each driven towards its own target by PushT's PD law.
 * Parts without a start pose in the design are dropped by a feeder at seeded poses that overlap
 * neither each other, the targets nor the pushers. Not thread-safe.
 */
public final class Cell {
  /** Gap, in pixels, the feeder keeps between a dropped part and any target or other part. */
  static final double FEEDER_GAP = 6;

  /** Room the feeder leaves between a dropped part and a wall: a pusher fits in behind it. */
  static final double WALL_GAP = 2 * Embodiment.RobotPusher.reference().radius() + FEEDER_GAP;

  /** Room the feeder leaves around a pusher's start: its radius, the gap, and space to move off. */
  static final double PUSHER_CLEARANCE =
      Embodiment.RobotPusher.reference().radius() + FEEDER_GAP + 20;

  private final Design design;
  private final Scene scene;
  private final Physics physics;
  private final World world;
  private final int[] pushers;
  private final int[] bodies;
  private final Coverage[] coverage;
  private final List<Pose> starts;
  private final Embodiment.RobotPusher robot = Embodiment.RobotPusher.reference();
  private final DesignCheck.Workspace floor = DesignCheck.Workspace.pushT();
  private long steps;

  /**
   * The cell of {@code design}, its feeder drawing from {@code seed}.
   *
   * @throws DesignException when the feeder finds no free place for a part
   */
  public Cell(Design design, long seed) {
    this.design = design;
    Scene pushT = Scene.pushT();
    this.physics = pushT.physics();
    List<Design.Part> parts = design.parts();
    int robots = design.options().robots();
    List<Pose> pusherStarts = new ArrayList<>();
    for (int r = 0; r < robots; r++)
      pusherStarts.add(new Pose(512.0 * (r + 1) / (robots + 1), 480, 0));
    this.starts = List.copyOf(feed(design, pusherStarts, seed));
    List<SceneObject> objects = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      objects.add(body(parts.get(i), starts.get(i), pushT));
    }
    this.scene =
        new Scene(
            design.title(),
            pushT.width(),
            pushT.height(),
            walls(DesignCheck.Workspace.pushT()),
            pusherStarts.get(0),
            objects,
            new Goal(0, parts.get(0).target(), design.options().tolerance()),
            physics);
    int shapes = scene.walls().size() + robots, vertices = 3;
    for (SceneObject o : objects) {
      shapes += o.parts().size();
      for (ConvexPart p : o.parts()) vertices += p.size();
    }
    this.world = new World(shapes, vertices);
    world.setDamping(physics.damping());
    for (Wall w : scene.walls())
      world.addStaticSegment(w.ax(), w.ay(), w.bx(), w.by(), w.radius(), 1.0);
    this.pushers = new int[robots];
    for (int r = 0; r < robots; r++)
      pushers[r] =
          world.addAgent(robot.radius(), pusherStarts.get(r).x(), pusherStarts.get(r).y(), 1.0);
    this.bodies = new int[objects.size()];
    this.coverage = new Coverage[objects.size()];
    for (int i = 0; i < objects.size(); i++) {
      SceneObject o = objects.get(i);
      // the world turns a new body about its centre of gravity: shift it so that its origin lands
      // on the start
      Pose at = o.start();
      double c = Math.cos(at.angle()), sn = Math.sin(at.angle());
      double x = at.x() - o.cogX() + (c * o.cogX() - sn * o.cogY()),
          y = at.y() - o.cogY() + (sn * o.cogX() + c * o.cogY());
      bodies[i] = world.addDynamicBody(o.mass(), o.moment(), o.cogX(), o.cogY(), x, y, at.angle());
      for (ConvexPart p : o.parts())
        world.addConvexPart(bodies[i], p.xy(), o.friction(), o.elasticity());
      coverage[i] = new Coverage(o.parts(), parts.get(i).target());
    }
  }

  /**
   * Thickness of the cell's walls, in pixels: thick enough that a part pressed into one by a pusher
   * cannot pass it.
   */
  static final double WALL_THICKNESS = 60;

  /**
   * Walls whose inner faces are PushT's (so the floor is the same) but {@link #WALL_THICKNESS}
   * thick: PushT's are 4 pixels, which a part squeezed by a pusher (a body of infinite mass) can
   * pass.
   */
  static List<Wall> walls(DesignCheck.Workspace floor) {
    double r = WALL_THICKNESS / 2;
    double left = floor.minX() - r,
        right = floor.maxX() + r,
        top = floor.minY() - r,
        bottom = floor.maxY() + r;
    return List.of(
        new Wall(left, bottom, left, top, r),
        new Wall(left, top, right, top, r),
        new Wall(right, top, right, bottom, r),
        new Wall(left, bottom, right, bottom, r));
  }

  /**
   * Start poses: the design's, or the feeder's drops (rejection sampling inside the walls). Drops
   * earlier in a round can leave no room for a later part; then the feeder clears its drops and
   * starts a new round, up to 50.
   */
  private static List<Pose> feed(Design design, List<Pose> pushers, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    DesignCheck.Workspace space = DesignCheck.Workspace.pushT();
    List<Design.Part> parts = design.parts();
    Design.Part stuck = null;
    for (int round = 0; round < 50; round++) {
      List<Pose> starts = new ArrayList<>();
      for (Design.Part p : parts) starts.add(p.from());
      stuck = null;
      for (int i = 0; i < parts.size() && stuck == null; i++) {
        if (starts.get(i) != null) continue;
        Design.Part p = parts.get(i);
        Pose drop = null;
        // first with room for a pusher between part and wall; a crowded floor gets the plain gap
        for (int attempt = 0; attempt < 4_000 && drop == null; attempt++) {
          double wallGap = attempt < 2_000 ? WALL_GAP : FEEDER_GAP;
          Pose candidate =
              new Pose(
                  random.nextDouble(space.minX(), space.maxX()),
                  random.nextDouble(space.minY(), space.maxY()),
                  random.nextDouble(-Math.PI, Math.PI));
          if (free(p, candidate, parts, starts, pushers, space, wallGap)) drop = candidate;
        }
        if (drop == null) stuck = p;
        else starts.set(i, drop);
      }
      if (stuck == null) return starts;
    }
    throw new DesignException(
        stuck.line(), "the feeder found no free place for '" + stuck.name() + "' in 50 rounds");
  }

  private static boolean free(
      Design.Part p,
      Pose at,
      List<Design.Part> parts,
      List<Pose> starts,
      List<Pose> pushers,
      DesignCheck.Workspace space,
      double wallGap) {
    for (double[] xy : DesignCheck.footprint(p, at)) {
      for (int k = 0; k < xy.length; k += 2) {
        if (xy[k] < space.minX() + wallGap
            || xy[k] > space.maxX() - wallGap
            || xy[k + 1] < space.minY() + wallGap
            || xy[k + 1] > space.maxY() - wallGap) {
          return false;
        }
      }
    }
    for (int j = 0; j < parts.size(); j++) {
      Design.Part q = parts.get(j);
      if (DesignCheck.overlap(p, at, q, q.target()) > 0 || near(p, at, q, q.target())) return false;
      if (starts.get(j) != null
          && (DesignCheck.overlap(p, at, q, starts.get(j)) > 0 || near(p, at, q, starts.get(j))))
        return false;
    }
    for (Pose pusher : pushers) {
      for (double[] xy : DesignCheck.footprint(p, at)) {
        if (distanceToPolygon(pusher.x(), pusher.y(), xy) < PUSHER_CLEARANCE) return false;
      }
    }
    return true;
  }

  /** Whether two footprints come closer than the feeder's gap (vertex to polygon, both ways). */
  private static boolean near(Design.Part a, Pose pa, Design.Part b, Pose pb) {
    List<double[]> fa = DesignCheck.footprint(a, pa), fb = DesignCheck.footprint(b, pb);
    for (double[] x : fa) {
      for (double[] y : fb) {
        for (int k = 0; k < x.length; k += 2)
          if (distanceToPolygon(x[k], x[k + 1], y) < FEEDER_GAP) return true;
        for (int k = 0; k < y.length; k += 2)
          if (distanceToPolygon(y[k], y[k + 1], x) < FEEDER_GAP) return true;
      }
    }
    return false;
  }

  /** Distance from (x, y) to a convex polygon's boundary, 0 inside. */
  static double distanceToPolygon(double x, double y, double[] xy) {
    int n = xy.length / 2;
    boolean inside = true;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * j], by = xy[2 * j + 1];
      double cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
      if (cross < 0) inside = false;
      double len2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay);
      double t =
          len2 == 0 ? 0 : Math.clamp(((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2, 0, 1);
      best = Math.min(best, Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))));
    }
    return inside ? 0 : best;
  }

  /**
   * One control step: each pusher r moves towards (targets[2r], targets[2r+1]) by PushT's PD law,
   * the target held inside the walls (a pusher is a body on the cell's floor: unlike PushT's agent
   * it is never sent through a wall, and so cannot squeeze a part through one either).
   */
  public void step(double[] targets) {
    double dt = physics.dtSeconds(), kp = physics.kp(), kv = physics.kv();
    for (int r = 0; r < pushers.length; r++) {
      targets[2 * r] =
          Math.clamp(targets[2 * r], floor.minX() + robot.radius(), floor.maxX() - robot.radius());
      targets[2 * r + 1] =
          Math.clamp(
              targets[2 * r + 1], floor.minY() + robot.radius(), floor.maxY() - robot.radius());
    }
    for (int k = 0; k < physics.substeps(); k++) {
      for (int r = 0; r < pushers.length; r++) {
        int a = pushers[r];
        double vx = world.velocityX(a), vy = world.velocityY(a);
        world.setVelocity(
            a,
            vx + (kp * (targets[2 * r] - world.positionX(a)) - kv * vx) * dt,
            vy + (kp * (targets[2 * r + 1] - world.positionY(a)) - kv * vy) * dt);
      }
      world.step(dt);
    }
    steps++;
  }

  /** An expert that pushes part {@code i} onto its target. */
  public PushExpert expert(int i) {
    return expert(i, design.parts().get(i).target());
  }

  /** An expert that pushes part {@code i} to {@code goal} (a staging pose, say). */
  public PushExpert expert(int i, Pose goal) {
    Scene s =
        new Scene(
            scene.name(),
            scene.width(),
            scene.height(),
            scene.walls(),
            scene.agentStart(),
            scene.objects(),
            new Goal(i, goal, design.options().tolerance()),
            physics);
    return new PushExpert(s, robot);
  }

  /**
   * The scripted expert that pushes {@code part} to {@code goal} with one of a cell's robots, made
   * from the design's part alone (the same geometry and mass as {@link #expert(int, Pose)} gives
   * it): for a robot that sees the cell only through its camera and holds no {@code Cell}. Feed its
   * {@link PushExpert#act(double, double, double, double, double, double[]) act} the part's pose as
   * located.
   */
  public static PushExpert expert(Design.Part part, Pose goal, double tolerance) {
    Scene pushT = Scene.pushT();
    Scene s =
        new Scene(
            part.name(),
            pushT.width(),
            pushT.height(),
            walls(DesignCheck.Workspace.pushT()),
            pushT.agentStart(),
            List.of(body(part, part.target(), pushT)),
            new Goal(0, goal, tolerance),
            pushT.physics());
    return new PushExpert(s, Embodiment.RobotPusher.reference());
  }

  /** A part as a body of PushT's block mass and surfaces, starting at {@code at}. */
  private static SceneObject body(Design.Part p, Pose at, Scene pushT) {
    SceneObject reference = pushT.goalObject();
    return SceneObject.uniform(
        p.name(),
        p.shape().parts(1),
        reference.mass(),
        reference.friction(),
        reference.elasticity(),
        at);
  }

  /** The design the cell builds. */
  public Design design() {
    return design;
  }

  /** Where each part started (the design's start, or the feeder's drop). */
  public List<Pose> starts() {
    return starts;
  }

  /** Pushers in the cell. */
  public int robots() {
    return pushers.length;
  }

  /** Part {@code i}'s pose now: body origin and angle. */
  public Pose pose(int i) {
    return new Pose(world.positionX(bodies[i]), world.positionY(bodies[i]), world.angle(bodies[i]));
  }

  public double pusherX(int r) {
    return world.positionX(pushers[r]);
  }

  public double pusherY(int r) {
    return world.positionY(pushers[r]);
  }

  /**
   * Coverage of part {@code i}'s target by the part, from the simulator's state (the camera's
   * estimate is {@link CellCamera}).
   */
  public double coverage(int i) {
    Pose p = pose(i);
    return coverage[i].of(p.x(), p.y(), p.angle());
  }

  /** Control steps so far. */
  public long steps() {
    return steps;
  }

  /** Simulated minutes so far (10 control steps a second). */
  public double minutes() {
    return steps * physics.dtSeconds() * physics.substeps() / 60.0;
  }
}
