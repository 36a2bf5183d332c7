package dev.wam4j.fleet.server;

import dev.wam4j.fleet.api.BuildApi;
import dev.wam4j.fleet.store.JobStatus;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.CellCamera;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.factory.DesignCheck;
import dev.wam4j.sim.factory.DesignParser;
import dev.wam4j.sim.factory.FactoryRun;
import dev.wam4j.sim.factory.PlacementOrder;
import dev.wam4j.sim.factory.RightOfWay;
import dev.wam4j.sim.scene.Pose;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.imageio.ImageIO;

/**
 * One build of a product design in the server's shared simulated cell, the stand-in for a physical
 * cell: the {@link Cell}, its {@link CellCamera}, the planned order and the placements still to do.
 * Robots join it (each takes one of the design's pushers), claim a placement and push it one
 * control step at a time: the cell steps once every robot holding a placement has sent its target
 * (idle pushers stay where they are), and each robot gets back what the camera sees of its part.
 * The camera is the judge: a placement is done when it sees the part placed, a part it no longer
 * sees placed is queued again, a push of {@link FactoryRun#PUSH_STEPS} steps is given up and the
 * part queued again, and the build ends when every part is placed or fails when the design's
 * simulated minutes run out. The planning rules are {@link FactoryRun}'s (its order, its staging
 * pose off a wall, its robot-ahead-has-the-way rule); only the loop is spread over robots.
 *
 * <p>Placements are kept here, not in the task queue's tables: a placement is not a task that ends
 * once (the camera may send a placed part back to the queue after it was done), a push given up is
 * retried for as long as the simulated minutes last rather than a number of attempts, and the cell
 * with every part's pose lives in this process's memory, so stored rows would outlive the cell they
 * describe at a restart. Placements therefore live next to the cell, under its one lock (this
 * object's monitor), which also makes every claim, step and read safe under concurrent requests.
 */
final class BuildCell {
  /** A robot silent this long loses its placement (queued again) and its pusher. */
  static final long SILENT_MS = 10_000;

  private final long id;
  private final Design design;
  private final long seed;
  private final Cell cell;
  private final CellCamera camera;
  private final List<Design.Part> parts;
  private final double tolerance;
  private final List<Integer> order;
  private final int[] orderIndex;
  private final Deque<Integer> queue;
  private final int[] pushesOf, failed;
  private final String[] lastFailure;
  private double[] seen; // the camera's coverage of every target after the last step
  private final String[] robotOf; // per pusher: the robot that holds it, or null
  private final long[] heardMs; // per pusher: when its robot last called
  private final int[] job, jobSteps; // per pusher: the part it pushes (-1: idle), steps so far
  private final boolean[] staging, sent;
  private final Pose[] goal;
  private final double[] targets;
  private final BuildApi.Observation[] observed; // per pusher: what the last step showed it
  private final LongSupplier clock;
  private final long startedNanos = System.nanoTime();
  private int pushes;
  private JobStatus status = JobStatus.RUNNING;
  private String failure;
  private FactoryRun.Result result;
  private byte[] picture;
  private long pictureStep = -1;

  private BuildCell(long id, Design design, long seed, LongSupplier clock) {
    this.id = id;
    this.design = design;
    this.seed = seed;
    this.clock = clock;
    this.cell = new Cell(design, seed);
    this.camera = new CellCamera(cell, 256);
    this.parts = design.parts();
    this.tolerance = design.options().tolerance();
    this.order = PlacementOrder.plan(design, cell.starts());
    this.orderIndex = new int[parts.size()];
    for (int k = 0; k < order.size(); k++) orderIndex[order.get(k)] = k;
    this.queue = new ArrayDeque<>(order);
    int n = parts.size(), robots = cell.robots();
    this.pushesOf = new int[n];
    this.failed = new int[n];
    this.lastFailure = new String[n];
    this.robotOf = new String[robots];
    this.heardMs = new long[robots];
    this.job = new int[robots];
    Arrays.fill(job, -1);
    this.jobSteps = new int[robots];
    this.staging = new boolean[robots];
    this.sent = new boolean[robots];
    this.goal = new Pose[robots];
    this.targets = new double[2 * robots];
    this.observed = new BuildApi.Observation[robots];
    this.seen = camera.coverage();
  }

  /**
   * Parses and checks a design and sets up its cell.
   *
   * @param seed the feeder's seed unless the design sets one
   * @throws dev.wam4j.sim.factory.DesignException naming the line that is wrong (or the part the
   *     feeder found no room for)
   */
  static BuildCell create(long id, String markdown, long seed, LongSupplier clock) {
    Design d = DesignParser.parse(markdown);
    DesignCheck.check(d);
    return new BuildCell(id, d, d.options().seed() != null ? d.options().seed() : seed, clock);
  }

  long id() {
    return id;
  }

  synchronized boolean running() {
    return status == JobStatus.RUNNING;
  }

  /**
   * The placement robot {@code robotId} holds, or the next one for it (taking a free pusher when it
   * has none yet); empty when the build has none for it (over, every pusher taken, nothing queued).
   */
  synchronized Optional<BuildApi.Placement> claim(String robotId) {
    long now = clock.getAsLong();
    dropSilent(now);
    if (status != JobStatus.RUNNING) return Optional.empty();
    int r = pusherOf(robotId);
    if (r < 0) {
      for (int k = 0; k < robotOf.length && r < 0; k++) if (robotOf[k] == null) r = k;
      if (r < 0) return Optional.empty();
      robotOf[r] = robotId;
    }
    heardMs[r] = now;
    if (job[r] < 0) {
      queueDisturbed();
      Integer next = next();
      if (next == null) return Optional.empty();
      start(r, next);
    }
    int p = job[r];
    Design.Part part = parts.get(p);
    return Optional.of(
        new BuildApi.Placement(
            id,
            p,
            part.name(),
            part.shape().id(),
            part.target(),
            orderIndex[p],
            r,
            tolerance,
            observe(r, p, BuildApi.Phase.PUSHING)));
  }

  /**
   * Robot {@code robotId} sends its pusher's target for the next control step and waits until the
   * cell has taken it (every robot with a placement has sent its own); what its camera then shows.
   * A robot that keeps the others waiting for {@link #SILENT_MS} loses its placement.
   */
  synchronized BuildApi.Observation step(String robotId, double x, double y)
      throws InterruptedException {
    long now = clock.getAsLong();
    int r = pusherOf(robotId);
    if (r < 0)
      throw new ApiException(
          409,
          "robot "
              + robotId
              + " holds no pusher in build "
              + id
              + " (silent for "
              + SILENT_MS / 1000
              + " s, or never joined); ask for a placement");
    heardMs[r] = now;
    dropSilent(now); // a robot silent too long holds up no step
    if (status != JobStatus.RUNNING) return ended(r);
    if (job[r] < 0)
      throw new ApiException(
          409, "robot " + robotId + " holds no placement in build " + id + "; ask for the next");
    targets[2 * r] = x;
    targets[2 * r + 1] = y;
    sent[r] = true;
    long before = cell.steps();
    advanceWhenReady();
    long deadline = clock.getAsLong() + SILENT_MS;
    while (cell.steps() == before && status == JobStatus.RUNNING) {
      if (pusherOf(robotId) != r || job[r] < 0) return ended(r); // taken back meanwhile
      long left = deadline - clock.getAsLong();
      if (left <= 0) { // someone keeps the cell waiting: it loses its placement
        dropSilent(clock.getAsLong());
        advanceWhenReady();
        deadline = clock.getAsLong() + SILENT_MS;
        continue;
      }
      wait(left);
    }
    BuildApi.Observation o = observed[r];
    if (cell.steps() == before || o == null) return ended(r);
    if (status != JobStatus.RUNNING && o.phase() == BuildApi.Phase.PUSHING)
      return new BuildApi.Observation( // the build ended with this step: nothing left to push
          o.step(),
          o.pusherX(),
          o.pusherY(),
          o.pose(),
          o.coverage(),
          o.placed(),
          BuildApi.Phase.ENDED,
          o.goal());
    return o;
  }

  /** Cancels a running build; false when it is over already. */
  synchronized boolean cancel() {
    if (status != JobStatus.RUNNING) return false;
    finish(JobStatus.CANCELLED, "cancelled by an operator");
    return true;
  }

  /** The build now: progress, every part, the result once it ended. */
  synchronized BuildApi.BuildStatus status() {
    List<BuildApi.PartStatus> ps = new ArrayList<>();
    int placedCount = 0;
    for (int i = 0; i < parts.size(); i++) {
      boolean placed = seen[i] >= tolerance;
      if (placed) placedCount++;
      int r = holder(i);
      ps.add(
          new BuildApi.PartStatus(
              parts.get(i).name(),
              parts.get(i).shape().id(),
              orderIndex[i],
              placed ? "placed" : r >= 0 ? "pushing" : "queued",
              r >= 0 ? robotOf[r] : null,
              seen[i],
              pushesOf[i]));
    }
    int joined = 0;
    for (String robot : robotOf) if (robot != null) joined++;
    return new BuildApi.BuildStatus(
        id,
        design.title(),
        status,
        seed,
        cell.robots(),
        joined,
        cell.steps(),
        cell.minutes(),
        design.options().maxMinutes(),
        parts.size(),
        placedCount,
        ps,
        failure,
        result);
  }

  /** The camera's picture for people, with the targets outlined and the plan as caption (PNG). */
  synchronized byte[] picture() throws IOException {
    if (picture == null || pictureStep != cell.steps()) {
      StringBuilder caption = new StringBuilder(String.format("%.1f min", cell.minutes()));
      for (int r = 0; r < job.length; r++)
        caption
            .append(" | robot ")
            .append(r + 1)
            .append(": ")
            .append(job[r] < 0 ? "idle" : parts.get(job[r]).name());
      int placed = 0;
      for (double c : seen) if (c >= tolerance) placed++;
      caption.append(" | placed ").append(placed).append('/').append(parts.size());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(camera.annotated(caption.toString()), "png", out);
      picture = out.toByteArray();
      pictureStep = cell.steps();
    }
    return picture;
  }

  /** Steps the cell once every robot with a placement has sent its target. */
  private void advanceWhenReady() {
    if (status != JobStatus.RUNNING) return;
    boolean busy = false;
    for (int r = 0; r < job.length; r++) {
      if (job[r] < 0) continue;
      busy = true;
      if (!sent[r]) return;
    }
    if (busy) advance();
  }

  private void advance() {
    for (int r = 0; r < job.length; r++) {
      if (job[r] < 0) { // idle: stay put (driving home across the floor knocks parts off)
        targets[2 * r] = cell.pusherX(r);
        targets[2 * r + 1] = cell.pusherY(r);
      }
    }
    RightOfWay.apply(cell, targets);
    cell.step(targets);
    seen = camera.coverage();
    for (int r = 0; r < job.length; r++) {
      sent[r] = false;
      observed[r] = null;
      int p = job[r];
      if (p < 0) continue;
      jobSteps[r]++;
      BuildApi.Phase phase = BuildApi.Phase.PUSHING;
      if (staging[r]
          && (jobSteps[r] >= FactoryRun.STAGING_STEPS
              || (cell.steps() % FactoryRun.LOOK_EVERY == 0
                  && !FactoryRun.againstWall(camera.extent(p))))) {
        staging[r] = false; // off the wall (or as far as it goes): now onto the target
        goal[r] = parts.get(p).target();
        jobSteps[r] = 0;
      } else if (seen[p] >= tolerance) {
        phase = BuildApi.Phase.PLACED;
      } else if (jobSteps[r] >= FactoryRun.PUSH_STEPS) {
        failed[p]++;
        lastFailure[p] =
            String.format(
                "a push of %d steps left it at coverage %.2f", FactoryRun.PUSH_STEPS, seen[p]);
        queue.addLast(p);
        phase = BuildApi.Phase.GIVEN_UP;
      }
      observed[r] = observe(r, p, phase);
      if (phase != BuildApi.Phase.PUSHING) job[r] = -1;
    }
    boolean allPlaced = true, busy = false;
    for (double c : seen) allPlaced &= c >= tolerance;
    for (int j : job) busy |= j >= 0;
    if (allPlaced && !busy) finish(JobStatus.DONE, null);
    else if (cell.minutes() >= design.options().maxMinutes()) finish(JobStatus.FAILED, null);
    notifyAll();
  }

  /** Robot {@code r} starts pushing part {@code p}: off a wall first when it lies against one. */
  private void start(int r, int p) {
    job[r] = p;
    jobSteps[r] = 0;
    sent[r] = false;
    // a part that defeated a push and lies against a wall is first brought off it, where a pusher
    // can get behind it (its place read off the camera's picture), as FactoryRun does
    double[] extent = failed[p] > 0 ? camera.extent(p) : null;
    staging[r] = extent != null && FactoryRun.againstWall(extent);
    Pose target = parts.get(p).target();
    goal[r] = staging[r] ? FactoryRun.offTheWall(camera.locate(p, target.angle()), extent) : target;
    pushes++;
    pushesOf[p]++;
  }

  private BuildApi.Observation observe(int r, int p, BuildApi.Phase phase) {
    return new BuildApi.Observation(
        cell.steps(),
        cell.pusherX(r),
        cell.pusherY(r),
        camera.locate(p, parts.get(p).target().angle()),
        seen[p],
        seen[p] >= tolerance,
        phase,
        goal[r]);
  }

  private BuildApi.Observation ended(int r) {
    return new BuildApi.Observation(
        cell.steps(), cell.pusherX(r), cell.pusherY(r), null, 0, false, BuildApi.Phase.ENDED, null);
  }

  /** A part the camera no longer sees on its target (a later push disturbed it) goes back. */
  private void queueDisturbed() {
    for (int i = 0; i < parts.size(); i++)
      if (seen[i] < tolerance && !queue.contains(i) && holder(i) < 0) queue.addLast(i);
  }

  /** The next queued part no robot works on and the camera does not see placed. */
  private Integer next() {
    for (int k = 0, size = queue.size(); k < size; k++) {
      int candidate = queue.pollFirst();
      if (seen[candidate] >= tolerance) continue; // placed meanwhile: nothing to do
      if (holder(candidate) >= 0) queue.addLast(candidate); // another robot has it
      else return candidate;
    }
    return null;
  }

  /** Robots silent for {@link #SILENT_MS} lose their pusher and their placement (queued first). */
  private void dropSilent(long now) {
    for (int r = 0; r < robotOf.length; r++) {
      // a robot whose target is in is waiting for the others, not silent
      if (robotOf[r] == null || sent[r] || now - heardMs[r] < SILENT_MS) continue;
      if (job[r] >= 0) queue.addFirst(job[r]);
      job[r] = -1;
      sent[r] = false;
      robotOf[r] = null;
    }
  }

  private void finish(JobStatus end, String why) {
    status = end;
    List<FactoryRun.PartResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int placedCount = 0;
    for (int i = 0; i < parts.size(); i++) {
      boolean ok = seen[i] >= tolerance;
      if (ok) placedCount++;
      String reason =
          ok
              ? null
              : String.format(
                  "coverage %.2f < %.2f after %d push%s %s%s",
                  seen[i],
                  tolerance,
                  pushesOf[i],
                  pushesOf[i] == 1 ? "" : "es",
                  why != null
                      ? "when the build was " + end.wire()
                      : "when the " + design.options().maxMinutes() + " simulated minutes ran out",
                  lastFailure[i] == null ? "" : " (last: " + lastFailure[i] + ")");
      if (reason != null) failures.add("'" + parts.get(i).name() + "': " + reason);
      results.add(
          new FactoryRun.PartResult(
              parts.get(i).name(), parts.get(i).shape().id(), ok, seen[i], pushesOf[i], reason));
    }
    failure = end == JobStatus.DONE ? null : why != null ? why : String.join("; ", failures);
    Arrays.fill(job, -1);
    result =
        new FactoryRun.Result(
            design.title(),
            seed,
            "fleet",
            cell.robots(),
            parts.size(),
            placedCount,
            placedCount == parts.size(),
            pushes,
            0,
            cell.minutes(),
            (System.nanoTime() - startedNanos) / 1e9,
            order.stream().map(i -> parts.get(i).name()).toList(),
            results);
    notifyAll();
  }

  private int pusherOf(String robotId) {
    for (int r = 0; r < robotOf.length; r++) if (robotId.equals(robotOf[r])) return r;
    return -1;
  }

  private int holder(int part) {
    for (int r = 0; r < job.length; r++) if (job[r] == part) return r;
    return -1;
  }
}
