package dev.wam4j.sim.render;

/**
 * Colours and stroke widths of a scene. Radii are in world units; walls are drawn as thick as the
 * scene makes them.
 *
 * @param background canvas colour
 * @param goal fill of the goal (target) shape, drawn without edges
 * @param blockFill interior of each block part
 * @param blockEdge edges of each block part, drawn as round-capped segments of {@code
 *     blockEdgeRadius}
 * @param blockEdgeRadius half width of the block edges
 * @param wall colour of the walls
 */
public record RenderStyle(
    Rgb background, Rgb goal, Rgb blockFill, Rgb blockEdge, double blockEdgeRadius, Rgb wall) {

  /**
   * @throws IllegalArgumentException if a colour is null or the edge radius negative
   */
  public RenderStyle {
    if (background == null
        || goal == null
        || blockFill == null
        || blockEdge == null
        || wall == null) {
      throw new IllegalArgumentException("render style colours must not be null");
    }
    if (!(blockEdgeRadius >= 0)) {
      throw new IllegalArgumentException("blockEdgeRadius must be >= 0, got " + blockEdgeRadius);
    }
  }

  /**
   * The reference PushT look: white, light green goal, slate-grey block with darker edges, light
   * grey walls.
   */
  public static RenderStyle pushtReference() {
    return new RenderStyle(
        new Rgb(255, 255, 255),
        new Rgb(144, 238, 144),
        new Rgb(142, 163, 183),
        new Rgb(119, 136, 153),
        2,
        new Rgb(211, 211, 211));
  }
}
