package dev.wam4j.sim.scene;

import java.util.List;

/**
 * A scene: everything the simulator needs to build a world — walls, where the agent starts, the
 * objects, the goal, and the physics settings. Scene files (JSON) deserialize into this record; the
 * PushT reference itself is one ({@link #pushT()}).
 *
 * @param width world width in world units (PushT 512)
 * @param height world height in world units (PushT 512; y grows downwards)
 * @param agentStart where the agent is placed when the world is built (PushT (256, 400))
 */
public record Scene(
    String name,
    double width,
    double height,
    List<Wall> walls,
    Pose agentStart,
    List<SceneObject> objects,
    Goal goal,
    Physics physics) {
  public Scene {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("scene.name is required");
    if (!(width > 0 && height > 0 && Double.isFinite(width) && Double.isFinite(height))) {
      throw new IllegalArgumentException(
          "scene size must be positive and finite, got " + width + " x " + height);
    }
    walls = walls == null ? List.of() : List.copyOf(walls);
    if (agentStart == null) throw new IllegalArgumentException("scene.agent_start is required");
    if (objects == null || objects.isEmpty())
      throw new IllegalArgumentException("scene.objects needs at least one object");
    objects = List.copyOf(objects);
    if (goal == null) throw new IllegalArgumentException("scene.goal is required");
    if (goal.object() >= objects.size()) {
      throw new IllegalArgumentException(
          "goal.object "
              + goal.object()
              + " is out of range (scene has "
              + objects.size()
              + " objects)");
    }
    if (physics == null) throw new IllegalArgumentException("scene.physics is required");
  }

  /** The object the goal refers to. */
  public SceneObject goalObject() {
    return objects.get(goal.object());
  }

  /** The reference PushT scene (specs/pusht.md), built in code; pusht.json holds the same. */
  public static Scene pushT() {
    List<Wall> walls =
        List.of(
            new Wall(5, 506, 5, 5, 2), new Wall(5, 5, 506, 5, 2),
            new Wall(506, 5, 506, 506, 2), new Wall(5, 506, 506, 506, 2));
    SceneObject tee =
        new SceneObject(
            "tee",
            List.of(ConvexPart.box(-60, 0, 60, 30), ConvexPart.box(-15, 30, 15, 120)),
            1.0,
            3000.0,
            0.0,
            45.0,
            0.0,
            0.0,
            new Pose(256, 300, 0));
    return new Scene(
        "pusht",
        512,
        512,
        walls,
        new Pose(256, 400, 0),
        List.of(tee),
        new Goal(0, new Pose(256, 256, Math.PI / 4), 0.95),
        Physics.pushT());
  }
}
