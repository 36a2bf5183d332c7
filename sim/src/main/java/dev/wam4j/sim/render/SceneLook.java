package dev.wam4j.sim.render;

import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.Wall;
import java.util.List;

/**
 * Everything about a scene's picture that stays fixed during an episode. Immutable.
 *
 * @param blockParts convex parts of the pushed block, body-local world units; drawn in the order
 *     {@link ConvexPart#xy()} gives, which is the order the reference's physics engine hands to its
 *     drawing code
 * @param goal pose of the goal shape (the block's parts drawn at this pose)
 * @param walls static walls, each drawn as its segment thickened by its own radius, in list order
 *     and direction (both show in reference frames); empty for none
 * @param style colours and stroke widths
 * @param agent how the pusher looks
 */
public record SceneLook(
    List<ConvexPart> blockParts, Pose goal, List<Wall> walls, RenderStyle style, AgentLook agent) {
  /**
   * @throws IllegalArgumentException if anything is missing
   */
  public SceneLook {
    if (blockParts == null
        || blockParts.isEmpty()
        || goal == null
        || walls == null
        || style == null
        || agent == null) {
      throw new IllegalArgumentException(
          "a scene look needs block parts, a goal, walls (maybe none), a style and an agent look");
    }
    blockParts = List.copyOf(blockParts);
    walls = List.copyOf(walls);
  }

  /**
   * The picture of a scene in the reference look: its goal object as the block, its goal pose, its
   * walls, the reference colours and robot pusher.
   */
  public static SceneLook of(Scene scene) {
    return new SceneLook(
        scene.goalObject().parts(),
        scene.goal().pose(),
        scene.walls(),
        RenderStyle.pushtReference(),
        AgentLook.Robot.pushtReference());
  }

  /** The reference PushT scene: the T block, goal (256, 256, pi/4), walls, robot pusher. */
  public static SceneLook pushtReference() {
    return of(Scene.pushT());
  }

  /** The same scene with another agent look. */
  public SceneLook withAgent(AgentLook look) {
    return new SceneLook(blockParts, goal, walls, style, look);
  }
}
