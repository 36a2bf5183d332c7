package dev.wam4j.sim.scene;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.sim.Embodiment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A scene file: the JSON description the simulator loads — the real-to-sim entry point, since a
 * scan pipeline can emit one. Holds the {@link Scene} and the embodiment that acts in it.
 *
 * <p>Format ({@value #FORMAT_VERSION}; snake_case keys; lengths in world units, y down; angles in
 * radians):
 *
 * <pre>{@code
 * { "format_version": 1,                       // optional
 *   "name": "pusht", "width": 512, "height": 512,
 *   "walls": [ {"a": [5, 506], "b": [5, 5], "radius": 2}, ... ],
 *   "agent_start": {"x": 256, "y": 400, "angle": 0},          // angle optional (0)
 *   "objects": [ {"name": "tee",
 *                 "parts": [ [[-60, 0], [60, 0], [60, 30], [-60, 30]], ... ],  // convex polygons
 *                 "mass": 1,
 *                 "moment": 3000, "center_of_gravity": [0, 45],  // both or neither: uniform density
 *                 "friction": 0, "elasticity": 0,                // optional (0)
 *                 "start": {"x": 256, "y": 300, "angle": 0}} ],
 *   "goal": {"object": 0 or "tee", "pose": {"x": .., "y": .., "angle": ..}, "success_coverage": 0.95},
 *   "physics": {"dt_seconds": 0.01, "substeps": 10, "damping": 0, "kp": 100, "kv": 20, "max_steps": 300},
 *   "embodiment": "robot" }                      // or "hand"; optional (robot)
 * }</pre>
 *
 * Unknown fields, wrong types, missing required fields and bad values (non-convex or degenerate
 * parts, ...) raise {@link SceneFileException} naming the file and the field's JSON path. Numbers
 * round-trip exactly (shortest repr), so a written scene reads back equal.
 *
 * @param scene the scene
 * @param embodiment what acts in it
 */
public record SceneFile(Scene scene, Embodiment embodiment) {
  /** The format version this code reads and writes. */
  public static final int FORMAT_VERSION = 1;

  public SceneFile {
    if (scene == null || embodiment == null)
      throw new IllegalArgumentException("scene file needs a scene and an embodiment");
  }

  /** Reads and validates a scene file; errors name the file. */
  public static SceneFile load(Path file) throws IOException {
    if (!Files.isRegularFile(file))
      throw new SceneFileException(file.toString(), "", "file not found");
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
  }

  /** Parses scene JSON; {@code sourceName} names it in error messages. */
  public static SceneFile parse(String json, String sourceName) {
    JsonFields root =
        JsonFields.parse(json, sourceName)
            .object(
                Set.of(
                    "format_version",
                    "name",
                    "width",
                    "height",
                    "walls",
                    "agent_start",
                    "objects",
                    "goal",
                    "physics",
                    "embodiment"));
    if (root.has("format_version")) {
      JsonFields v = root.get("format_version");
      if (v.integer() != FORMAT_VERSION)
        throw v.error(
            "unsupported format version "
                + v.integer()
                + " (this reader knows "
                + FORMAT_VERSION
                + ")");
    }
    String name = root.get("name").string();
    double width = positive(root.get("width"));
    double height = positive(root.get("height"));
    List<Wall> walls = new ArrayList<>();
    for (JsonFields w : root.get("walls").elements()) {
      w.object(Set.of("a", "b", "radius"));
      double[] a = w.get("a").numbers(2), b = w.get("b").numbers(2);
      double r = w.get("radius").number();
      walls.add(w.build(() -> new Wall(a[0], a[1], b[0], b[1], r)));
    }
    Pose agentStart = pose(root.get("agent_start"));
    List<SceneObject> objects = new ArrayList<>();
    List<JsonFields> objs = root.get("objects").elements();
    if (objs.isEmpty()) throw root.get("objects").error("needs at least one object");
    for (JsonFields o : objs) {
      SceneObject obj = object(o);
      for (SceneObject prev : objects) {
        if (prev.name().equals(obj.name()))
          throw o.get("name").error("duplicate object name '" + obj.name() + "'");
      }
      objects.add(obj);
    }
    Goal goal = goal(root.get("goal"), objects);
    Physics physics = physics(root.get("physics"));
    Embodiment embodiment = Embodiment.RobotPusher.reference();
    if (root.has("embodiment")) {
      JsonFields e = root.get("embodiment");
      embodiment =
          switch (e.string()) {
            case "robot" -> Embodiment.RobotPusher.reference();
            case "hand" -> Embodiment.HumanHand.standard();
            default ->
                throw e.error("unknown embodiment '" + e.string() + "' (expected robot or hand)");
          };
    }
    Scene scene =
        root.build(() -> new Scene(name, width, height, walls, agentStart, objects, goal, physics));
    return new SceneFile(scene, embodiment);
  }

  /**
   * Writes {@code scene} (robot embodiment) atomically: a temp file in the same folder, then a
   * rename.
   */
  public static void write(Scene scene, Path file) throws IOException {
    new SceneFile(scene, Embodiment.RobotPusher.reference()).write(file);
  }

  /** Writes this scene file atomically: a temp file in the same folder, then a rename. */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The JSON text of this scene file (pretty-printed, points on one line). */
  public String toJson() {
    ObjectNode root = JsonFields.newObject();
    root.put("format_version", FORMAT_VERSION);
    root.put("name", scene.name());
    root.put("width", scene.width());
    root.put("height", scene.height());
    ArrayNode walls = root.putArray("walls");
    for (Wall w : scene.walls()) {
      ObjectNode n = walls.addObject();
      n.putArray("a").add(w.ax()).add(w.ay());
      n.putArray("b").add(w.bx()).add(w.by());
      n.put("radius", w.radius());
    }
    putPose(root.putObject("agent_start"), scene.agentStart());
    ArrayNode objects = root.putArray("objects");
    for (SceneObject o : scene.objects()) {
      ObjectNode n = objects.addObject();
      n.put("name", o.name());
      ArrayNode parts = n.putArray("parts");
      for (ConvexPart p : o.parts()) {
        ArrayNode poly = parts.addArray();
        for (int i = 0; i < p.size(); i++) poly.addArray().add(p.x(i)).add(p.y(i));
      }
      n.put("mass", o.mass());
      n.put("moment", o.moment());
      n.putArray("center_of_gravity").add(o.cogX()).add(o.cogY());
      n.put("friction", o.friction());
      n.put("elasticity", o.elasticity());
      putPose(n.putObject("start"), o.start());
    }
    ObjectNode goal = root.putObject("goal");
    goal.put("object", scene.goal().object());
    putPose(goal.putObject("pose"), scene.goal().pose());
    goal.put("success_coverage", scene.goal().successCoverage());
    Physics ph = scene.physics();
    ObjectNode p = root.putObject("physics");
    p.put("dt_seconds", ph.dtSeconds());
    p.put("substeps", ph.substeps());
    p.put("damping", ph.damping());
    p.put("kp", ph.kp());
    p.put("kv", ph.kv());
    p.put("max_steps", ph.maxSteps());
    root.put("embodiment", embodiment.id());
    try {
      DefaultPrettyPrinter pp =
          new DefaultPrettyPrinter()
              .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
      return JsonFields.mapper().writer(pp).writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise scene " + scene.name(), e);
    }
  }

  private static void putPose(ObjectNode n, Pose p) {
    n.put("x", p.x());
    n.put("y", p.y());
    n.put("angle", p.angle());
  }

  private static double positive(JsonFields f) {
    double v = f.number();
    if (!(v > 0)) throw f.error("must be > 0, got " + v);
    return v;
  }

  static Pose pose(JsonFields f) {
    f.object(Set.of("x", "y", "angle"));
    double x = f.get("x").number(), y = f.get("y").number();
    double a = f.has("angle") ? f.get("angle").number() : 0.0;
    return new Pose(x, y, a);
  }

  private static SceneObject object(JsonFields o) {
    o.object(
        Set.of(
            "name",
            "parts",
            "mass",
            "moment",
            "center_of_gravity",
            "friction",
            "elasticity",
            "start"));
    String name = o.get("name").string();
    List<ConvexPart> parts = new ArrayList<>();
    List<JsonFields> ps = o.get("parts").elements();
    if (ps.isEmpty()) throw o.get("parts").error("needs at least one convex part");
    for (JsonFields p : ps) {
      List<JsonFields> vs = p.elements();
      double[][] v = new double[vs.size()][];
      for (int i = 0; i < v.length; i++) v[i] = vs.get(i).numbers(2);
      parts.add(p.build(() -> new ConvexPart(v)));
    }
    double mass = o.get("mass").number();
    double friction = o.has("friction") ? o.get("friction").number() : 0.0;
    double elasticity = o.has("elasticity") ? o.get("elasticity").number() : 0.0;
    Pose start = pose(o.get("start"));
    boolean hasMoment = o.has("moment"), hasCog = o.has("center_of_gravity");
    if (hasMoment != hasCog) {
      throw o.get(hasMoment ? "moment" : "center_of_gravity")
          .error("moment and center_of_gravity go together (omit both for uniform density)");
    }
    if (hasMoment) {
      double moment = o.get("moment").number();
      double[] cog = o.get("center_of_gravity").numbers(2);
      return o.build(
          () ->
              new SceneObject(
                  name, parts, mass, moment, cog[0], cog[1], friction, elasticity, start));
    }
    return o.build(() -> SceneObject.uniform(name, parts, mass, friction, elasticity, start));
  }

  private static Goal goal(JsonFields g, List<SceneObject> objects) {
    g.object(Set.of("object", "pose", "success_coverage"));
    JsonFields ref = g.get("object");
    int index = -1;
    if (ref.isInteger()) {
      index = ref.integer();
      if (index < 0 || index >= objects.size())
        throw ref.error(
            "object index " + index + " out of range (scene has " + objects.size() + " objects)");
    } else {
      String name = ref.string();
      for (int i = 0; i < objects.size(); i++) if (objects.get(i).name().equals(name)) index = i;
      if (index < 0) throw ref.error("no object named '" + name + "'");
    }
    Pose pose = pose(g.get("pose"));
    double success = g.get("success_coverage").number();
    int idx = index;
    return g.build(() -> new Goal(idx, pose, success));
  }

  private static Physics physics(JsonFields p) {
    p.object(Set.of("dt_seconds", "substeps", "damping", "kp", "kv", "max_steps"));
    double dt = p.get("dt_seconds").number();
    int substeps = p.get("substeps").integer();
    double damping = p.get("damping").number();
    double kp = p.get("kp").number(), kv = p.get("kv").number();
    int maxSteps = p.get("max_steps").integer();
    return p.build(() -> new Physics(dt, substeps, damping, kp, kv, maxSteps));
  }
}
