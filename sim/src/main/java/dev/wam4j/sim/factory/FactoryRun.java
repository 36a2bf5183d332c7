package dev.wam4j.sim.factory;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.scene.Pose;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a design in a simulated cell with no person in the loop: plans the order of placement,
 * gives each free robot the next part, pushes it with the scripted expert, checks every placement
 * on the camera's picture, pushes again any part a later push disturbed, and gives a push up after
 * a while to try again later; it stops when the camera sees every part on its target or the
 * design's simulated minutes run out, and then says which parts failed and why.
 */
public final class FactoryRun {
  /** The executor this run uses: the scripted expert (the vision policy is to come). */
  public static final String EXECUTOR = "expert";

  /** Control steps one push may take before it is given up (and the part queued again). */
  static final int PUSH_STEPS = 400;

  private static final DesignCheck.Workspace FLOOR = DesignCheck.Workspace.pushT();

  /** Control steps a push that brings a part off a wall may take. */
  static final int STAGING_STEPS = 150;

  /** Control steps between two looks of the camera. */
  static final int LOOK_EVERY = 5;

  /** Distance, in pixels, closer than which a robot waits for a robot ahead of it. */
  static final double ROBOT_CLEARANCE = 2 * Embodiment.RobotPusher.reference().radius() + 12;

  /**
   * How to run.
   *
   * @param seed the feeder's and the run's seed (the design's own seed, when it has one, wins)
   * @param cameraSize side of the camera's picture in pixels (placements are checked on it)
   */
  public record Config(long seed, int cameraSize) {
    public Config {
      if (cameraSize < 64)
        throw new IllegalArgumentException("cameraSize must be >= 64, got " + cameraSize);
    }

    /** The given seed and a 256-pixel camera. */
    public static Config of(long seed) {
      return new Config(seed, 256);
    }
  }

  /**
   * One part's outcome.
   *
   * @param coverage the camera's coverage of its target at the end
   * @param pushes pushes it took (re-pushes included)
   * @param reason why it is not placed, or null when it is
   */
  public record PartResult(
      String name, String shape, boolean placed, double coverage, int pushes, String reason) {}

  /**
   * What the run did.
   *
   * @param interventions times a person acted (0: lights-out; no executor here asks for one)
   * @param order the planned order of placement
   */
  public record Result(
      String design,
      long seed,
      String executor,
      int robots,
      int partsTotal,
      int partsPlaced,
      boolean productComplete,
      int pushes,
      int interventions,
      double simMinutes,
      double wallSeconds,
      List<String> order,
      List<PartResult> parts) {}

  /**
   * Runs over a block of seeds, side by side.
   *
   * @param completionRate products completed with no intervention, over the runs
   */
  public record Batch(
      String design,
      String executor,
      long firstSeed,
      int runs,
      int completed,
      double completionRate,
      double meanPushes,
      double meanSimMinutes,
      double meanWallSeconds,
      List<Result> perSeed) {}

  private FactoryRun() {}

  /**
   * Builds {@code design} once per seed {@code first .. first + count - 1} (a design's own seed is
   * ignored here).
   */
  public static Batch batch(Design design, long first, int count, Consumer<Result> progress) {
    if (count < 1) throw new IllegalArgumentException("count must be >= 1, got " + count);
    Design unseeded =
        new Design(
            design.title(),
            design.description(),
            design.parts(),
            new Design.Options(
                design.options().tolerance(),
                design.options().robots(),
                design.options().maxMinutes(),
                null));
    List<Result> runs = new ArrayList<>();
    for (long seed = first; seed < first + count; seed++) {
      Result r = run(unseeded, Config.of(seed), line -> {});
      runs.add(r);
      progress.accept(r);
    }
    int completed = (int) runs.stream().filter(Result::productComplete).count();
    return new Batch(
        design.title(),
        EXECUTOR,
        first,
        count,
        completed,
        completed / (double) count,
        runs.stream().mapToInt(Result::pushes).average().orElseThrow(),
        runs.stream().mapToDouble(Result::simMinutes).average().orElseThrow(),
        runs.stream().mapToDouble(Result::wallSeconds).average().orElseThrow(),
        List.copyOf(runs));
  }

  /** Watches a run, one control step at a time (a video, a dashboard). */
  public interface Observer {
    /**
     * A control step ran; {@code camera} sees the cell, {@code plan} says what each robot is doing.
     */
    void stepped(Cell cell, CellCamera camera, String plan);
  }

  /** Builds {@code design} with the scripted expert as every robot's executor. */
  public static Result run(Design design, Config config, Consumer<String> log) {
    return run(design, config, log, (cell, camera, plan) -> {});
  }

  /** The same, watched by {@code observer}. */
  public static Result run(Design design, Config config, Consumer<String> log, Observer observer) {
    long t0 = System.nanoTime();
    long seed = design.options().seed() != null ? design.options().seed() : config.seed();
    Cell cell = new Cell(design, seed);
    CellCamera camera = new CellCamera(cell, config.cameraSize());
    List<Design.Part> parts = design.parts();
    int n = parts.size(), robots = cell.robots();
    double tolerance = design.options().tolerance();
    List<Integer> order = PlacementOrder.plan(design, cell.starts());
    Deque<Integer> queue = new ArrayDeque<>(order);
    int[] pushesOf = new int[n];
    String[] lastFailure = new String[n];
    boolean[] placed = new boolean[n];
    int[] job = new int[robots], jobSteps = new int[robots], failed = new int[n];
    boolean[] staging = new boolean[robots];
    java.util.Arrays.fill(job, -1);
    PushExpert[] experts = new PushExpert[robots];
    double[] targets = new double[2 * robots], out = new double[2];
    double[] seen = camera.coverage();
    log.accept(
        String.format(
            "%s: %d parts, %d robot%s, order %s",
            design.title(),
            n,
            robots,
            robots == 1 ? "" : "s",
            order.stream().map(i -> parts.get(i).name()).toList()));
    int pushes = 0;
    while (cell.minutes() < design.options().maxMinutes()) {
      for (int i = 0; i < n; i++) placed[i] = seen[i] >= tolerance;
      boolean allPlaced = true;
      for (boolean p : placed) allPlaced &= p;
      boolean busy = false;
      for (int j : job) busy |= j >= 0;
      if (allPlaced && !busy) break;
      // a part the camera no longer sees on its target (a later push disturbed it) is pushed again
      for (int i = 0; i < n; i++)
        if (!placed[i] && !queue.contains(i) && !working(job, i)) queue.addLast(i);
      for (int r = 0; r < robots; r++) {
        if (job[r] >= 0) continue;
        Integer next = null;
        for (int k = 0, size = queue.size(); k < size && next == null; k++) {
          int candidate = queue.pollFirst();
          if (placed[candidate]) continue; // placed meanwhile: nothing to do
          if (working(job, candidate)) queue.addLast(candidate); // another robot has it
          else next = candidate;
        }
        if (next == null) continue;
        job[r] = next;
        jobSteps[r] = 0;
        // a part that defeated a push and lies against a wall is first brought off it, where a
        // pusher
        // can get behind it (its place read off the camera's picture)
        double[] extent = failed[next] > 0 ? camera.extent(next) : null;
        staging[r] = extent != null && againstWall(extent);
        experts[r] =
            staging[r] ? cell.expert(next, offTheWall(cell.pose(next), extent)) : cell.expert(next);
        experts[r].reset();
        pushes++;
        pushesOf[next]++;
      }
      for (int r = 0; r < robots; r++) {
        if (job[r]
            < 0) { // idle: stay put (crossing the floor back to its start would knock parts off
          // their marks)
          targets[2 * r] = cell.pusherX(r);
          targets[2 * r + 1] = cell.pusherY(r);
          continue;
        }
        Pose p = cell.pose(job[r]);
        experts[r].act(cell.pusherX(r), cell.pusherY(r), p.x(), p.y(), p.angle(), out);
        targets[2 * r] = out[0];
        targets[2 * r + 1] = out[1];
        for (int q = 0; q < r; q++) { // the robot ahead has the way: wait when about to meet it
          if (Math.hypot(out[0] - cell.pusherX(q), out[1] - cell.pusherY(q)) < ROBOT_CLEARANCE) {
            targets[2 * r] = cell.pusherX(r);
            targets[2 * r + 1] = cell.pusherY(r);
          }
        }
      }
      cell.step(targets);
      if (cell.steps() % LOOK_EVERY == 0) seen = camera.coverage();
      observer.stepped(cell, camera, plan(job, parts, seen, cell));
      for (int r = 0; r < robots; r++) {
        if (job[r] < 0) continue;
        jobSteps[
            r]++; // waiting for another robot counts: a push kept waiting long goes back to the
        // queue
        if (staging[r]
            && (jobSteps[r] >= STAGING_STEPS
                || (cell.steps() % LOOK_EVERY == 0 && !againstWall(camera.extent(job[r]))))) {
          staging[r] = false; // off the wall (or as far as it goes): now onto the target
          experts[r] = cell.expert(job[r]);
          experts[r].reset();
          jobSteps[r] = 0;
        } else if (seen[job[r]] >= tolerance) {
          job[r] = -1;
        } else if (jobSteps[r] >= PUSH_STEPS) {
          failed[job[r]]++;
          lastFailure[job[r]] =
              String.format(
                  "a push of %d steps left it at coverage %.2f", PUSH_STEPS, seen[job[r]]);
          queue.addLast(job[r]);
          job[r] = -1;
        }
      }
    }
    seen = camera.coverage();
    List<PartResult> results = new ArrayList<>();
    int placedCount = 0;
    for (int i = 0; i < n; i++) {
      boolean ok = seen[i] >= tolerance;
      if (ok) placedCount++;
      String reason =
          ok
              ? null
              : String.format(
                  "coverage %.2f < %.2f after %d push%s when the %s simulated minutes ran out%s",
                  seen[i],
                  tolerance,
                  pushesOf[i],
                  pushesOf[i] == 1 ? "" : "es",
                  design.options().maxMinutes(),
                  lastFailure[i] == null ? "" : " (last: " + lastFailure[i] + ")");
      results.add(
          new PartResult(
              parts.get(i).name(), parts.get(i).shape().id(), ok, seen[i], pushesOf[i], reason));
    }
    return new Result(
        design.title(),
        seed,
        EXECUTOR,
        robots,
        n,
        placedCount,
        placedCount == n,
        pushes,
        0,
        cell.minutes(),
        (System.nanoTime() - t0) / 1e9,
        order.stream().map(i -> parts.get(i).name()).toList(),
        results);
  }

  /** What each robot is doing, and how many parts the camera sees placed: a caption. */
  private static String plan(int[] job, List<Design.Part> parts, double[] seen, Cell cell) {
    StringBuilder b = new StringBuilder(String.format("%.1f min", cell.minutes()));
    for (int r = 0; r < job.length; r++)
      b.append(" | robot ")
          .append(r + 1)
          .append(": ")
          .append(job[r] < 0 ? "idle" : parts.get(job[r]).name());
    int placed = 0;
    for (double c : seen) if (c >= cell.design().options().tolerance()) placed++;
    return b.append(" | placed ").append(placed).append('/').append(parts.size()).toString();
  }

  /**
   * Whether a part's extent (cell pixels) leaves less room to a wall than a pusher needs behind it.
   */
  static boolean againstWall(double[] extent) {
    if (extent == null) return false;
    DesignCheck.Workspace f = FLOOR;
    double gap = Cell.WALL_GAP;
    return extent[0] < f.minX() + gap
        || extent[1] < f.minY() + gap
        || extent[2] > f.maxX() - gap
        || extent[3] > f.maxY() - gap;
  }

  /** The part's pose moved towards the middle of the cell by the room it lacks, and a bit more. */
  static Pose offTheWall(Pose at, double[] extent) {
    DesignCheck.Workspace f = FLOOR;
    double gap = Cell.WALL_GAP + 20, dx = 0, dy = 0;
    if (extent[0] < f.minX() + gap) dx = f.minX() + gap - extent[0];
    if (extent[2] > f.maxX() - gap) dx = f.maxX() - gap - extent[2];
    if (extent[1] < f.minY() + gap) dy = f.minY() + gap - extent[1];
    if (extent[3] > f.maxY() - gap) dy = f.maxY() - gap - extent[3];
    return new Pose(at.x() + dx, at.y() + dy, at.angle());
  }

  private static boolean working(int[] job, int part) {
    for (int j : job) if (j == part) return true;
    return false;
  }
}
