package dev.wam4j.sim.expert;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.pusht.Coverage;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneObject;
import java.util.List;

/**
 * A scripted pushing expert for any scene whose goal object is a union of convex parts (the T of
 * PushT, and the L, I and plus of the digital cousins), for either embodiment.
 *
 * <p>Every step it re-plans from the current state:
 *
 * <ol>
 *   <li>the wanted block motion is the error to the goal pose — translation of the centre of
 *       gravity plus rotation scaled by the radius of gyration — towards whichever symmetric copy
 *       of the goal is nearest;
 *   <li>every candidate contact (points along the block's outer edges that the agent's disc can
 *       touch) predicts a motion: with no friction the push acts along the face normal, and with no
 *       momentum (damping 0) the block moves like an impulse would move it, translation {@code d/m}
 *       and rotation {@code (r x d)/I}; the contact whose predicted motion best aligns with the
 *       wanted one wins (off-centre contacts give rotation), with hysteresis so it sticks;
 *   <li>if the agent is at that contact it pushes through the face by the predicted distance;
 *       otherwise it walks to a point just off the face, circling the block at a clearance when the
 *       straight path would hit it.
 * </ol>
 *
 * The robot's PD lag is handled by pushing deeper and walking with a longer stride; the hand moves
 * exactly where told, so its stride is capped to avoid tunnelling through the block.
 *
 * <p>{@link #act} allocates nothing. Not thread-safe; one instance per environment.
 */
public final class PushExpert implements Policy {
  private static final int MAX_GOALS = 4;

  // Block geometry, body-local.
  private final double[][] parts;
  private final double[][] normals;
  private final double cogX, cogY, rho, orbitRadius;
  // Candidate contacts, body-local: point on an outer edge and the edge's outward normal.
  private final double[] candPx, candPy, candNx, candNy;
  private final int candCount;
  // Goal and its symmetric copies: angle and world centre of gravity.
  private final double[] goalAngle = new double[MAX_GOALS],
      goalCx = new double[MAX_GOALS],
      goalCy = new double[MAX_GOALS];
  private final int goalCount;

  private final double radius;
  private final boolean robot;
  private final double maxStride, pushGain, maxPush;

  private int current = -1;

  /** An expert for {@code scene}'s goal object, pushed by {@code embodiment}. */
  public PushExpert(Scene scene, Embodiment embodiment) {
    SceneObject obj = scene.goalObject();
    List<ConvexPart> ps = obj.parts();
    parts = new double[ps.size()][];
    normals = new double[ps.size()][];
    double ext = 0;
    for (int i = 0; i < ps.size(); i++) {
      double[] xy = ps.get(i).xy();
      parts[i] = xy;
      normals[i] = outwardNormals(xy);
      for (int v = 0; v < xy.length; v += 2)
        ext = Math.max(ext, Math.hypot(xy[v] - obj.cogX(), xy[v + 1] - obj.cogY()));
    }
    cogX = obj.cogX();
    cogY = obj.cogY();
    rho = Math.sqrt(obj.moment() / obj.mass());
    radius = embodiment.radius();
    robot = embodiment instanceof Embodiment.RobotPusher;
    orbitRadius = ext + radius + 10;
    // Tuned on seeds 0..99 (robot: stride 60, gain 2, push 15; hand: 30, 1, 12); the robot lags
    // about two control steps behind a moving target, hence its longer stride and deeper push.
    maxStride = robot ? 60 : 30;
    pushGain = robot ? 2.0 : 1.0;
    maxPush = robot ? 15 : 12;

    // Candidates every ~4 units along each edge whose off-face disc position is free of the block.
    int cap = 0;
    for (double[] xy : parts) {
      for (int v = 0; v < xy.length; v += 2) {
        int w = (v + 2) % xy.length;
        cap += (int) (Math.hypot(xy[w] - xy[v], xy[w + 1] - xy[v + 1]) / 4) + 2;
      }
    }
    double[] px = new double[cap], py = new double[cap], nx = new double[cap], ny = new double[cap];
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      double[] xy = parts[i];
      for (int v = 0; v < xy.length; v += 2) {
        int w = (v + 2) % xy.length;
        double len = Math.hypot(xy[w] - xy[v], xy[w + 1] - xy[v + 1]);
        int n = Math.max(1, (int) ((len - 4) / 4));
        double enx = normals[i][v], eny = normals[i][v + 1];
        for (int k = 0; k <= n; k++) {
          double t = (2 + k * (len - 4) / n) / len;
          double qx = xy[v] + t * (xy[w] - xy[v]), qy = xy[v + 1] + t * (xy[w + 1] - xy[v + 1]);
          // Reachable: the disc fits against the face with room to spare, also backed off by 40.
          if (localDistance(qx + enx * (radius + 3), qy + eny * (radius + 3)) < radius + 2)
            continue;
          px[count] = qx;
          py[count] = qy;
          nx[count] = enx;
          ny[count] = eny;
          count++;
        }
      }
    }
    candPx = px;
    candPy = py;
    candNx = nx;
    candNy = ny;
    candCount = count;

    // Symmetric copies of the goal: rotations by k * pi/2 about the area centroid that cover it.
    Pose g = scene.goal().pose();
    Coverage cov = new Coverage(ps, g);
    double area = 0, acx = 0, acy = 0;
    for (ConvexPart p : ps) {
      area += p.area();
      acx += p.area() * p.centroidX();
      acy += p.area() * p.centroidY();
    }
    acx /= area;
    acy /= area;
    double wcx = g.x() + Math.cos(g.angle()) * acx - Math.sin(g.angle()) * acy;
    double wcy = g.y() + Math.sin(g.angle()) * acx + Math.cos(g.angle()) * acy;
    int gc = 0;
    for (int k = 0; k < 4; k++) {
      double a = g.angle() + k * Math.PI / 2;
      double c = Math.cos(a), s = Math.sin(a);
      double ox = wcx - (c * acx - s * acy), oy = wcy - (s * acx + c * acy);
      if (k > 0 && cov.of(ox, oy, a) < 0.999) continue;
      goalAngle[gc] = a;
      goalCx[gc] = ox + c * cogX - s * cogY;
      goalCy[gc] = oy + s * cogX + c * cogY;
      gc++;
    }
    goalCount = gc;
  }

  /** An expert for the environment's own scene and embodiment. */
  public static PushExpert of(PushTEnv env) {
    return new PushExpert(env.scene(), env.embodiment());
  }

  @Override
  public void reset() {
    current = -1;
  }

  @Override
  public void act(PushTEnv env, double[] out) {
    act(env.agentX(), env.agentY(), env.blockX(), env.blockY(), env.blockAngle(), out);
  }

  /**
   * The next target for a pusher at (agentX, agentY) and the block's body origin and angle, in
   * world units and radians (any world holding this block, e.g. a cell of several parts), into
   * {@code out[0..1]}.
   */
  public void act(double ax, double ay, double bx, double by, double ba, double[] out) {
    int k = choose(ax, ay, bx, by, ba);
    if (k < 0) {
      out[0] = ax;
      out[1] = ay;
      return;
    }
    drive(k, ax, ay, bx, by, ba, out);
  }

  /** Candidate contacts of the block (points along its outer edges a pusher can touch). */
  public int contacts() {
    return candCount;
  }

  /**
   * Contact {@code k} in the block's own frame (body-local, world units): the point on the edge,
   * into {@code out[0..1]}, and the edge's outward normal, into {@code out[2..3]}.
   */
  public void contact(int k, double[] out) {
    if (k < 0 || k >= candCount)
      throw new IllegalArgumentException("contact " + k + " of " + candCount);
    out[0] = candPx[k];
    out[1] = candPy[k];
    out[2] = candNx[k];
    out[3] = candNy[k];
  }

  /** The block's radius of gyration (world units): how rotation is weighed against translation. */
  public double gyrationRadius() {
    return rho;
  }

  /**
   * The contact {@link #act} pushes at now, {@code 0 .. contacts() - 1} (with its hysteresis: the
   * contact it chose last gets a bonus, and this call records the new choice), or -1 when the block
   * is on its goal.
   *
   * @throws IllegalArgumentException when no contact scores (a pose that is not finite)
   */
  public int choose(double ax, double ay, double bx, double by, double ba) {
    double c = Math.cos(ba), s = Math.sin(ba);
    double cx = bx + c * cogX - s * cogY, cy = by + s * cogX + c * cogY;
    if (!wantedMotion(cx, cy, ba)) return -1;
    double ex = wanted[0], ey = wanted[1], er = wanted[2], eNorm = wanted[3];

    // Best contact by predicted-motion alignment, with hysteresis and a mild preference for near
    // ones.
    int pick = -1;
    double pickScore = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < candCount; k++) {
      double nx = c * candNx[k] - s * candNy[k], ny = s * candNx[k] + c * candNy[k];
      double px = bx + c * candPx[k] - s * candPy[k], py = by + s * candPx[k] + c * candPy[k];
      double dx = -nx, dy = -ny;
      double rot = ((px - cx) * dy - (py - cy) * dx) / rho;
      double predNorm = Math.sqrt(1 + rot * rot);
      double along = dx * ex + dy * ey + rot * er;
      double score = along / (predNorm * eNorm);
      double fx = px + nx * radius - ax, fy = py + ny * radius - ay;
      score -= 0.0004 * Math.sqrt(fx * fx + fy * fy);
      if (k == current) score += 0.1;
      if (score > pickScore) {
        pickScore = score;
        pick = k;
      }
    }
    if (pick < 0)
      throw new IllegalArgumentException(
          String.format("no contact scores for a block at (%s, %s, %s)", bx, by, ba));
    current = pick;
    return pick;
  }

  private final double[] wanted = new double[4];

  /**
   * The wanted motion of the block whose centre of gravity is at (cx, cy), turned {@code ba}:
   * translation and rotation (as arc length at the radius of gyration) towards the nearest
   * symmetric copy of the goal, and its norm, into {@link #wanted}; false when it is nil.
   */
  private boolean wantedMotion(double cx, double cy, double ba) {
    double ex = 0, ey = 0, er = 0, best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < goalCount; k++) {
      double dx = goalCx[k] - cx, dy = goalCy[k] - cy, dr = rho * wrap(goalAngle[k] - ba);
      double d2 = dx * dx + dy * dy + dr * dr;
      if (d2 < best) {
        best = d2;
        ex = dx;
        ey = dy;
        er = dr;
      }
    }
    double eNorm = Math.sqrt(best);
    wanted[0] = ex;
    wanted[1] = ey;
    wanted[2] = er;
    wanted[3] = eNorm;
    return eNorm >= 1e-9;
  }

  /**
   * The next target, into {@code out[0..1]}, for a pusher that pushes at contact {@code k}: at the
   * contact it pushes through the face by the motion it predicts; otherwise it walks to a point
   * just off the face, into a pocket by a point backed off along the normal, or around the block at
   * a clearance. Does not change the expert's choice of contact.
   */
  public void drive(int k, double ax, double ay, double bx, double by, double ba, double[] out) {
    if (k < 0 || k >= candCount)
      throw new IllegalArgumentException("contact " + k + " of " + candCount);
    double c = Math.cos(ba), s = Math.sin(ba);
    double cx = bx + c * cogX - s * cogY, cy = by + s * cogX + c * cogY;
    if (!wantedMotion(cx, cy, ba)) {
      out[0] = ax;
      out[1] = ay;
      return;
    }
    double ex = wanted[0], ey = wanted[1], er = wanted[2];
    int pick = k;
    double nx = c * candNx[pick] - s * candNy[pick], ny = s * candNx[pick] + c * candNy[pick];
    double px = bx + c * candPx[pick] - s * candPy[pick],
        py = by + s * candPx[pick] + c * candPy[pick];
    double rotK = ((px - cx) * -ny - (py - cy) * -nx) / rho;
    double predNormK = Math.sqrt(1 + rotK * rotK);
    double pickPred = (-nx * ex + -ny * ey + rotK * er) / (predNormK * predNormK);
    double contactX = px + nx * radius, contactY = py + ny * radius;
    double relX = ax - px, relY = ay - py;
    double normal = relX * nx + relY * ny, tangent = -relX * ny + relY * nx;
    boolean atContact = Math.abs(tangent) < 6 && normal > radius - 6 && normal < radius + 6;
    double tx, ty;
    if (atContact) {
      double push = Math.min(Math.max(pickPred, 0), maxPush) * pushGain;
      tx = contactX - nx * push;
      ty = contactY - ny * push;
    } else {
      double qx = contactX + nx * 3, qy = contactY + ny * 3;
      double fx = contactX + nx * 40, fy = contactY + ny * 40;
      if (pathClear(ax, ay, qx, qy, bx, by, c, s)) {
        tx = qx;
        ty = qy;
      } else if (pathClear(ax, ay, fx, fy, bx, by, c, s)
          && pathClear(fx, fy, qx, qy, bx, by, c, s)) {
        // Into a pocket: first to a point backed off along the face normal, then straight in.
        tx = fx;
        ty = fy;
      } else {
        // Circle the block at a clearance towards the approach point.
        double angA = Math.atan2(ay - cy, ax - cx), angQ = Math.atan2(qy - cy, qx - cx);
        double d = wrap(angQ - angA);
        double next = angA + Math.copySign(Math.max(Math.min(Math.abs(d), 0.8), 0.3), d);
        tx = cx + orbitRadius * Math.cos(next);
        ty = cy + orbitRadius * Math.sin(next);
      }
      double mx = tx - ax, my = ty - ay, m = Math.sqrt(mx * mx + my * my);
      if (m > maxStride) {
        tx = ax + mx * maxStride / m;
        ty = ay + my * maxStride / m;
      }
    }
    out[0] = tx;
    out[1] = ty;
  }

  /** True when the agent's disc can travel from (x0, y0) to (x1, y1) without touching the block. */
  private boolean pathClear(
      double x0, double y0, double x1, double y1, double bx, double by, double c, double s) {
    double len = Math.hypot(x1 - x0, y1 - y0);
    int n = (int) (len / 3) + 1;
    for (int i = 1; i <= n; i++) {
      double t = (double) i / n;
      double wx = x0 + t * (x1 - x0) - bx, wy = y0 + t * (y1 - y0) - by;
      // World to body-local: rotate by -angle.
      double lx = c * wx + s * wy, ly = -s * wx + c * wy;
      if (localDistance(lx, ly) < radius + 1) return false;
    }
    return true;
  }

  /** Distance from a body-local point to the block (negative inside). */
  private double localDistance(double x, double y) {
    double best = Double.POSITIVE_INFINITY;
    for (int p = 0; p < parts.length; p++) {
      double[] xy = parts[p], nrm = normals[p];
      double inside = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < xy.length; v += 2)
        inside = Math.max(inside, (x - xy[v]) * nrm[v] + (y - xy[v + 1]) * nrm[v + 1]);
      double d;
      if (inside <= 0) {
        d = inside;
      } else {
        d = Double.POSITIVE_INFINITY;
        for (int v = 0; v < xy.length; v += 2) {
          int w = (v + 2) % xy.length;
          d = Math.min(d, segmentDistance(x, y, xy[v], xy[v + 1], xy[w], xy[w + 1]));
        }
      }
      best = Math.min(best, d);
    }
    return best;
  }

  private static double segmentDistance(
      double x, double y, double ax, double ay, double bx, double by) {
    double dx = bx - ax, dy = by - ay;
    double t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);
    t = Math.min(Math.max(t, 0), 1);
    return Math.hypot(x - ax - t * dx, y - ay - t * dy);
  }

  /** Unit outward normals of a polygon with positive signed area, per edge (v -> v+1). */
  private static double[] outwardNormals(double[] xy) {
    double[] n = new double[xy.length];
    for (int v = 0; v < xy.length; v += 2) {
      int w = (v + 2) % xy.length;
      double dx = xy[w] - xy[v], dy = xy[w + 1] - xy[v + 1], len = Math.hypot(dx, dy);
      n[v] = dy / len;
      n[v + 1] = -dx / len;
    }
    return n;
  }

  /** Angle wrapped to [-pi, pi). */
  static double wrap(double a) {
    double w = (a + Math.PI) % (2 * Math.PI);
    if (w < 0) w += 2 * Math.PI;
    return w - Math.PI;
  }
}
