package dev.wam4j.sim.render;

import java.util.List;

/**
 * Everything about a scene's picture that stays fixed during an episode.
 *
 * @param blockParts convex parts of the pushed block, body-local
 * @param goal pose of the goal shape (the block's parts drawn at this pose)
 * @param walls whether to draw the four boundary walls x = 5, x = 506, y = 5, y = 506
 * @param style colours and stroke widths
 * @param agent how the pusher looks
 */
public record SceneLook(List<ConvexPart> blockParts, Pose goal, boolean walls, RenderStyle style, AgentLook agent) {
  /** @throws IllegalArgumentException if anything is missing */
  public SceneLook {
    if (blockParts == null || blockParts.isEmpty() || goal == null || style == null || agent == null) {
      throw new IllegalArgumentException("a scene look needs block parts, a goal, a style and an agent look");
    }
    blockParts = List.copyOf(blockParts);
  }

  /** The reference PushT scene: the T block, goal (256, 256, pi/4), walls, robot pusher. */
  public static SceneLook pushtReference() {
    return new SceneLook(
        List.of(ConvexPart.box(-60, 0, 60, 30), ConvexPart.box(-15, 30, 15, 120)),
        new Pose(256, 256, Math.PI / 4), true, RenderStyle.pushtReference(), AgentLook.Robot.pushtReference());
  }

  /** The same scene with another agent look. */
  public SceneLook withAgent(AgentLook look) {
    return new SceneLook(blockParts, goal, walls, style, look);
  }
}
