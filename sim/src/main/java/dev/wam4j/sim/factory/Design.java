package dev.wam4j.sim.factory;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.scene.Pose;
import java.util.List;

/**
 * A product to build in a lights-out cell, as its design file states it: parts of the cousin shape
 * families pushed onto their target poses. Parse one with {@link DesignParser}; {@link DesignCheck}
 * refuses layouts that cannot be built before anything runs.
 *
 * @param title the first heading
 * @param description the free text under it
 * @param parts in the order the file lists them (the planner chooses the order of placement)
 * @param options the cell's settings, defaults where the file is silent
 */
public record Design(String title, String description, List<Part> parts, Options options) {
  public Design {
    parts = List.copyOf(parts);
  }

  /**
   * One part.
   *
   * @param name as the file names it, unique in the design
   * @param line the file line that declares it (1-based), for messages
   * @param shape its family, at scale 1
   * @param target where it must end: origin (x, y) in workspace pixels, angle in radians
   * @param from where it starts, or {@code null} for a feeder's drop (seeded, away from the
   *     targets)
   */
  public record Part(String name, int line, ShapeFamily shape, Pose target, Pose from) {}

  /**
   * The cell's settings.
   *
   * @param tolerance coverage of its target each part must reach, in (0, 1]
   * @param robots pushers in the cell, >= 1
   * @param maxMinutes simulated minutes before the build gives up, > 0
   * @param seed the feeder's and the cell's seed, or {@code null} for the run's own
   */
  public record Options(double tolerance, int robots, double maxMinutes, Long seed) {
    /** What a design file without options gets. */
    public static final Options DEFAULTS = new Options(0.9, 1, 20, null);
  }
}
