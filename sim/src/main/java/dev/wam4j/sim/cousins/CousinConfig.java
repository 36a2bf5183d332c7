package dev.wam4j.sim.cousins;

import dev.wam4j.sim.render.Rgb;
import dev.wam4j.sim.scene.JsonFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ranges from which {@link Cousins#sample} draws a digital cousin. Every range is inclusive and a
 * range with {@code min == max} always yields exactly that value, so {@link #reference()} (all
 * ranges collapsed onto PushT) reproduces the reference scene and look.
 *
 * <p>JSON form (every field optional, defaulting to the reference; a range is a number or {@code
 * [min, max]}; a colour is {@code [r, g, b]} or {@code {"min": [r, g, b], "max": [r, g, b]}}):
 *
 * <pre>{@code
 * { "shapes": ["T", "L", "I", "plus"], "scale": [0.8, 1.2],
 *   "goal": {"x": [200, 300], "y": [200, 300], "angle": [-3.14, 3.14]},
 *   "friction": [0, 0.3], "mass": [0.5, 2], "inertia": [0.7, 1.4],
 *   "colours": {"background": ..., "goal": ..., "block": ..., "block_edge": ..., "wall": ...},
 *   "camera": {"dx": [-4, 4], "dy": [-4, 4], "rotation": [-0.05, 0.05], "zoom": [0.95, 1.05]},
 *   "physics": {"damping": [0, 0.05], "kp": [80, 120], "kv": [15, 25]} }
 * }</pre>
 *
 * Unknown fields and bad values raise {@link dev.wam4j.sim.scene.SceneFileException} naming the
 * file and the field.
 *
 * @param shapes shape families drawn uniformly (each with a goal of its own shape)
 * @param scale size factor of the block and goal shapes
 * @param goalX goal origin x, world units
 * @param goalY goal origin y, world units
 * @param goalAngle goal angle, radians
 * @param friction friction coefficient of the block
 * @param mass block mass (the moment scales with it). Pushed quasi-statically by a kinematic agent
 *     against static walls, a body's motion does not depend on its mass alone (every impulse scales
 *     with it); mass matters once scenes hold several dynamic bodies or damping is non-zero
 * @param inertia factor on the moment of inertia, independent of the mass: how readily the block
 *     turns rather than slides under an off-centre push
 * @param background background colour
 * @param goal goal colour
 * @param block block fill colour
 * @param blockEdge block edge colour
 * @param wall wall colour
 * @param cameraDx camera shift x, world units (512 = frame width)
 * @param cameraDy camera shift y, world units
 * @param cameraRotation camera rotation, radians
 * @param cameraZoom camera zoom factor
 * @param damping space damping: the share of its velocity a body keeps per second (0, the
 *     reference, keeps none: quasi-static pushing; any value above 0 lets the block slide on after
 *     a push, more the higher: a slippery block)
 * @param kp proportional gain of the robot's PD controller
 * @param kv derivative gain of the robot's PD controller
 */
public record CousinConfig(
    List<ShapeFamily> shapes,
    Range scale,
    Range goalX,
    Range goalY,
    Range goalAngle,
    Range friction,
    Range mass,
    Range inertia,
    ColourRange background,
    ColourRange goal,
    ColourRange block,
    ColourRange blockEdge,
    ColourRange wall,
    Range cameraDx,
    Range cameraDy,
    Range cameraRotation,
    Range cameraZoom,
    Range damping,
    Range kp,
    Range kv) {

  public CousinConfig {
    if (shapes == null || shapes.isEmpty())
      throw new IllegalArgumentException("shapes: need at least one shape family");
    if (Set.copyOf(shapes).size() != shapes.size())
      throw new IllegalArgumentException("shapes: duplicate shape family in " + shapes);
    shapes = List.copyOf(shapes);
    for (Object o :
        new Object[] {
          scale,
          goalX,
          goalY,
          goalAngle,
          friction,
          mass,
          inertia,
          background,
          goal,
          block,
          blockEdge,
          wall,
          cameraDx,
          cameraDy,
          cameraRotation,
          cameraZoom,
          damping,
          kp,
          kv
        }) {
      if (o == null) throw new IllegalArgumentException("cousin config: every range is required");
    }
    if (!(scale.min() > 0)) throw new IllegalArgumentException("scale: must be > 0, got " + scale);
    if (!(mass.min() > 0)) throw new IllegalArgumentException("mass: must be > 0, got " + mass);
    if (!(inertia.min() > 0))
      throw new IllegalArgumentException("inertia: must be > 0, got " + inertia);
    if (!(friction.min() >= 0))
      throw new IllegalArgumentException("friction: must be >= 0, got " + friction);
    if (!(cameraZoom.min() > 0))
      throw new IllegalArgumentException("camera.zoom: must be > 0, got " + cameraZoom);
    if (!(damping.min() >= 0 && damping.max() <= 1))
      throw new IllegalArgumentException("physics.damping: must lie in [0, 1], got " + damping);
    if (!(kp.min() >= 0)) throw new IllegalArgumentException("physics.kp: must be >= 0, got " + kp);
    if (!(kv.min() >= 0)) throw new IllegalArgumentException("physics.kv: must be >= 0, got " + kv);
  }

  /**
   * The reference: T only, scale 1, goal (256, 256, pi/4), friction 0, mass 1, PushT colours, no
   * camera offset, PushT's physics (damping 0, kp 100, kv 20).
   */
  public static CousinConfig reference() {
    Appearance a = Appearance.reference();
    dev.wam4j.sim.scene.Physics ref = dev.wam4j.sim.scene.Physics.pushT();
    return new CousinConfig(
        List.of(ShapeFamily.T),
        Range.fixed(1),
        Range.fixed(256),
        Range.fixed(256),
        Range.fixed(Math.PI / 4),
        Range.fixed(0),
        Range.fixed(1),
        Range.fixed(1),
        ColourRange.fixed(a.background()),
        ColourRange.fixed(a.goal()),
        ColourRange.fixed(a.block()),
        ColourRange.fixed(a.blockEdge()),
        ColourRange.fixed(a.wall()),
        Range.fixed(0),
        Range.fixed(0),
        Range.fixed(0),
        Range.fixed(1),
        Range.fixed(ref.damping()),
        Range.fixed(ref.kp()),
        Range.fixed(ref.kv()));
  }

  /** A config shipped with wam4j: {@code wide} randomises every dimension moderately. */
  public static CousinConfig builtin(String name) {
    String resource = "/dev/wam4j/sim/cousins/" + name + ".json";
    try (var in = CousinConfig.class.getResourceAsStream(resource)) {
      if (in == null)
        throw new IllegalArgumentException(
            "no built-in cousin config '" + name + "' (available: wide)");
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".json");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read built-in cousin config " + resource, e);
    }
  }

  /** Reads a config file; errors name the file and the field. */
  public static CousinConfig load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
  }

  /** Parses config JSON; {@code sourceName} names it in error messages. */
  public static CousinConfig parse(String json, String sourceName) {
    CousinConfig r = reference();
    JsonFields root =
        JsonFields.parse(json, sourceName)
            .object(
                Set.of(
                    "shapes",
                    "scale",
                    "goal",
                    "friction",
                    "mass",
                    "inertia",
                    "colours",
                    "camera",
                    "physics"));
    List<ShapeFamily> shapes = r.shapes();
    if (root.has("shapes")) {
      shapes = new ArrayList<>();
      for (JsonFields s : root.get("shapes").elements()) {
        String id = s.string();
        shapes.add(s.build(() -> ShapeFamily.parse(id)));
      }
    }
    Range scale = range(root, "scale", r.scale());
    Range gx = r.goalX(), gy = r.goalY(), ga = r.goalAngle();
    if (root.has("goal")) {
      JsonFields g = root.get("goal").object(Set.of("x", "y", "angle"));
      gx = range(g, "x", gx);
      gy = range(g, "y", gy);
      ga = range(g, "angle", ga);
    }
    Range friction = range(root, "friction", r.friction());
    Range mass = range(root, "mass", r.mass());
    Range inertia = range(root, "inertia", r.inertia());
    ColourRange bg = r.background(),
        goal = r.goal(),
        block = r.block(),
        edge = r.blockEdge(),
        wall = r.wall();
    if (root.has("colours")) {
      JsonFields c =
          root.get("colours").object(Set.of("background", "goal", "block", "block_edge", "wall"));
      bg = colour(c, "background", bg);
      goal = colour(c, "goal", goal);
      block = colour(c, "block", block);
      edge = colour(c, "block_edge", edge);
      wall = colour(c, "wall", wall);
    }
    Range dx = r.cameraDx(), dy = r.cameraDy(), rot = r.cameraRotation(), zoom = r.cameraZoom();
    if (root.has("camera")) {
      JsonFields c = root.get("camera").object(Set.of("dx", "dy", "rotation", "zoom"));
      dx = range(c, "dx", dx);
      dy = range(c, "dy", dy);
      rot = range(c, "rotation", rot);
      zoom = range(c, "zoom", zoom);
    }
    Range damping = r.damping(), kp = r.kp(), kv = r.kv();
    if (root.has("physics")) {
      JsonFields c = root.get("physics").object(Set.of("damping", "kp", "kv"));
      damping = range(c, "damping", damping);
      kp = range(c, "kp", kp);
      kv = range(c, "kv", kv);
    }
    List<ShapeFamily> fs = shapes;
    Range fscale = scale,
        fgx = gx,
        fgy = gy,
        fga = ga,
        ffr = friction,
        fm = mass,
        fin = inertia,
        fdx = dx,
        fdy = dy,
        frot = rot,
        fzoom = zoom;
    Range fdamp = damping, fkp = kp, fkv = kv;
    ColourRange fbg = bg, fgoal = goal, fblock = block, fedge = edge, fwall = wall;
    return root.build(
        () ->
            new CousinConfig(
                fs, fscale, fgx, fgy, fga, ffr, fm, fin, fbg, fgoal, fblock, fedge, fwall, fdx, fdy,
                frot, fzoom, fdamp, fkp, fkv));
  }

  private static Range range(JsonFields parent, String name, Range fallback) {
    if (!parent.has(name)) return fallback;
    JsonFields f = parent.get(name);
    if (f.isArray()) {
      double[] mm = f.numbers(2);
      return f.build(() -> new Range(mm[0], mm[1]));
    }
    return Range.fixed(f.number());
  }

  private static ColourRange colour(JsonFields parent, String name, ColourRange fallback) {
    if (!parent.has(name)) return fallback;
    JsonFields f = parent.get(name);
    if (f.isArray()) {
      Rgb c = rgb(f);
      return ColourRange.fixed(c);
    }
    f.object(Set.of("min", "max"));
    Rgb min = rgb(f.get("min")), max = rgb(f.get("max"));
    return f.build(() -> new ColourRange(min, max));
  }

  private static Rgb rgb(JsonFields f) {
    List<JsonFields> el = f.elements();
    if (el.size() != 3) throw f.error("expected [r, g, b], got " + el.size() + " values");
    int r = el.get(0).integer(), g = el.get(1).integer(), b = el.get(2).integer();
    return f.build(() -> new Rgb(r, g, b));
  }

  /** An inclusive range of reals; {@code min == max} is a fixed value. */
  public record Range(double min, double max) {
    public Range {
      if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
        throw new IllegalArgumentException(
            "range must be finite with min <= max, got [" + min + ", " + max + "]");
      }
    }

    public static Range fixed(double v) {
      return new Range(v, v);
    }
  }

  /** An inclusive per-channel colour range; {@code min == max} is a fixed colour. */
  public record ColourRange(Rgb min, Rgb max) {
    public ColourRange {
      if (min == null || max == null)
        throw new IllegalArgumentException("colour range needs min and max");
      if (min.r() > max.r() || min.g() > max.g() || min.b() > max.b()) {
        throw new IllegalArgumentException(
            "colour range min must not exceed max per channel, got " + min + " .. " + max);
      }
    }

    public static ColourRange fixed(Rgb c) {
      return new ColourRange(c, c);
    }
  }
}
