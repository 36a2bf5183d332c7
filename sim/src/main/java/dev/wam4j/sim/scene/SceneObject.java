package dev.wam4j.sim.scene;

import java.util.List;

/**
 * A dynamic object made of interior-disjoint convex parts (body-local coordinates, world units).
 *
 * @param mass mass (reference T: 1)
 * @param moment moment of inertia about the centre of gravity (reference T: 3000, which counts the
 *     crossbar twice, a quirk kept for fidelity)
 * @param cogX centre of gravity, local x (reference T: 0)
 * @param cogY centre of gravity, local y (reference T: 45, the plain mean of the two part centres)
 * @param friction Coulomb friction coefficient between the object and the agent or walls (reference
 *     0)
 * @param elasticity restitution of its surfaces (reference 0)
 * @param start the pose at which the world is built, before any reset sets the state
 */
public record SceneObject(
    String name,
    List<ConvexPart> parts,
    double mass,
    double moment,
    double cogX,
    double cogY,
    double friction,
    double elasticity,
    Pose start) {
  public SceneObject {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("object.name is required");
    if (parts == null || parts.isEmpty())
      throw new IllegalArgumentException("object '" + name + "': needs at least one part");
    parts = List.copyOf(parts);
    if (!(mass > 0 && Double.isFinite(mass)))
      throw new IllegalArgumentException("object '" + name + "': mass must be > 0, got " + mass);
    if (!(moment > 0 && Double.isFinite(moment)))
      throw new IllegalArgumentException(
          "object '" + name + "': moment must be > 0, got " + moment);
    if (!Double.isFinite(cogX) || !Double.isFinite(cogY))
      throw new IllegalArgumentException("object '" + name + "': centre of gravity must be finite");
    if (!(friction >= 0 && Double.isFinite(friction)))
      throw new IllegalArgumentException(
          "object '" + name + "': friction must be >= 0, got " + friction);
    if (!(elasticity >= 0 && elasticity <= 1))
      throw new IllegalArgumentException(
          "object '" + name + "': elasticity must be in [0, 1], got " + elasticity);
    if (start == null)
      throw new IllegalArgumentException("object '" + name + "': start pose is required");
    // Coverage and mass properties add up per part, which is only right if parts do not overlap.
    for (int i = 0; i < parts.size(); i++) {
      for (int j = i + 1; j < parts.size(); j++) {
        ConvexPart a = parts.get(i), b = parts.get(j);
        int size = ConvexClip.scratchSize(Math.max(a.size(), b.size()));
        double overlap = ConvexClip.area(a.xy(), b.xy(), new double[size], new double[size]);
        if (overlap > 1e-9 * Math.min(a.area(), b.area())) {
          throw new IllegalArgumentException(
              "object '"
                  + name
                  + "': parts "
                  + i
                  + " and "
                  + j
                  + " overlap (area "
                  + overlap
                  + "); parts must be interior-disjoint");
        }
      }
    }
  }

  /** Total area of the parts (square world units). */
  public double area() {
    double a = 0;
    for (ConvexPart p : parts) a += p.area();
    return a;
  }

  /**
   * An object whose centre of gravity and moment follow from uniform density over its parts
   * (area-weighted centroid, polygon second moments), for shapes that carry no reference quirks.
   */
  public static SceneObject uniform(
      String name,
      List<ConvexPart> parts,
      double mass,
      double friction,
      double elasticity,
      Pose start) {
    double area = 0, cx = 0, cy = 0;
    for (ConvexPart p : parts) {
      area += p.area();
      cx += p.area() * p.centroidX();
      cy += p.area() * p.centroidY();
    }
    cx /= area;
    cy /= area;
    double moment = 0;
    for (ConvexPart p : parts) moment += p.secondMoment(cx, cy);
    moment *= mass / area;
    return new SceneObject(name, parts, mass, moment, cx, cy, friction, elasticity, start);
  }
}
