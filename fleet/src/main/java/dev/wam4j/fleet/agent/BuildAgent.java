package dev.wam4j.fleet.agent;

import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.BuildApi;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.model.cell.CellPusher;
import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.factory.Cell;
import dev.wam4j.sim.factory.Design;
import dev.wam4j.sim.scene.Pose;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A robot in the server's shared build cell: claims a placement, then pushes it one control step at
 * a time with its {@link Steering} (the cell pusher, or the scripted expert), on the part's pose as
 * the server's camera locates it (the agent holds no simulator: it sees what a robot in a physical
 * cell would be told), until the server says the part is placed, the push is given up or the build
 * is over; then claims the next.
 */
public final class BuildAgent {
  /** How a robot steers a push from what it is told: the part's located pose and its pusher. */
  public interface Steering {
    /** Its name in logs: {@code vision}, {@code expert}. */
    String name();

    /** A new push of {@code part} to {@code goal}. */
    Push start(Design.Part part, Pose goal, double tolerance);

    /** One push in progress. */
    interface Push {
      /** The pusher's next target for the part seen at {@code seen}, into {@code out[0..1]}. */
      void act(Pose seen, double pusherX, double pusherY, double[] out);
    }

    /** The scripted expert, on the located pose. */
    static Steering expert() {
      return new Steering() {
        @Override
        public String name() {
          return "expert";
        }

        @Override
        public Push start(Design.Part part, Pose goal, double tolerance) {
          PushExpert e = Cell.expert(part, goal, tolerance);
          e.reset();
          return (at, x, y, out) -> e.act(x, y, at.x(), at.y(), at.angle(), out);
        }
      };
    }

    /** The cell pusher (the vision executor of {@code factory run}). */
    static Steering vision(CellPusher pusher) {
      return new Steering() {
        @Override
        public String name() {
          return "vision";
        }

        @Override
        public Push start(Design.Part part, Pose goal, double tolerance) {
          return pusher.pushing(part.shape(), goal)::act;
        }
      };
    }
  }

  /**
   * How the agent runs.
   *
   * @param pollMs wait between asking for a placement when there is none
   * @param idleExitMs stop after this long without a placement (0: never)
   * @param maxPlacements stop after this many placements (0: no limit)
   */
  public record Config(long pollMs, long idleExitMs, int maxPlacements) {
    /** Checks the values. */
    public Config {
      if (pollMs < 10) throw new IllegalArgumentException("pollMs must be >= 10, got " + pollMs);
      if (idleExitMs < 0 || maxPlacements < 0)
        throw new IllegalArgumentException("idleExitMs and maxPlacements must be >= 0");
    }
  }

  /**
   * What a run of the agent did.
   *
   * @param placements placements it took
   * @param placed of them, parts the camera saw placed
   * @param givenUp of them, pushes the server gave up
   * @param steps control steps it sent
   */
  public record Summary(String robotId, int placements, int placed, int givenUp, long steps) {}

  private final FleetClient client;
  private final Config config;
  private final Steering steering;
  private final Consumer<String> log;
  private volatile boolean stopped;

  /** An agent acting with {@code client}'s robot token, steering with the scripted expert. */
  public BuildAgent(FleetClient client, Config config, Consumer<String> log) {
    this(client, config, Steering.expert(), log);
  }

  /** An agent acting with {@code client}'s robot token, steering with {@code steering}. */
  public BuildAgent(FleetClient client, Config config, Steering steering, Consumer<String> log) {
    this.client = client;
    this.config = config;
    this.steering = steering;
    this.log = log;
  }

  /** Asks the loop to stop after the current step. */
  public void stop() {
    stopped = true;
  }

  /** Works placements until stopped, idle for {@code idleExitMs} or {@code maxPlacements} done. */
  public Summary run() throws IOException, InterruptedException {
    RobotApi.Whoami me = client.get(ApiPaths.whoami(), RobotApi.Whoami.class);
    if (!"robot".equals(me.kind()))
      throw new IllegalArgumentException("the token is not a robot token (it acts as " + me + ")");
    String id = me.robotId();
    int placements = 0, placed = 0, givenUp = 0;
    long steps = 0, idleSince = System.currentTimeMillis();
    while (!stopped && (config.maxPlacements() == 0 || placements < config.maxPlacements())) {
      BuildApi.Placement p =
          client.post(ApiPaths.robot(id, "placements/next"), null, BuildApi.Placement.class);
      if (p == null) {
        if (config.idleExitMs() > 0 && System.currentTimeMillis() - idleSince > config.idleExitMs())
          break;
        Thread.sleep(config.pollMs());
        continue;
      }
      placements++;
      log.accept(
          String.format(
              "robot %s: build %d, pusher %d pushes '%s' (%s, %s)",
              id, p.buildId(), p.pusher() + 1, p.name(), p.shape(), steering.name()));
      long[] sent = {0};
      BuildApi.Phase end = push(p, sent);
      steps += sent[0];
      if (end == BuildApi.Phase.PLACED) placed++;
      if (end == BuildApi.Phase.GIVEN_UP) givenUp++;
      log.accept(
          String.format("robot %s: '%s' %s after %d steps", id, p.name(), end.wire(), sent[0]));
      idleSince = System.currentTimeMillis();
    }
    return new Summary(id, placements, placed, givenUp, steps);
  }

  /** Pushes one placement to its end; how it ended. */
  private BuildApi.Phase push(BuildApi.Placement p, long[] steps)
      throws IOException, InterruptedException {
    Design.Part part = new Design.Part(p.name(), 0, ShapeFamily.parse(p.shape()), p.target(), null);
    BuildApi.Observation o = p.observation();
    Pose goal = null;
    Steering.Push push = null;
    double[] out = new double[2];
    String stepPath = ApiPaths.build(p.buildId(), "step");
    while (!stopped) {
      if (!o.goal().equals(goal)) { // a new goal (off a wall first, then the target): a new push
        goal = o.goal();
        push = steering.start(part, goal, p.tolerance());
      }
      Pose at = o.pose();
      if (at == null) { // the camera does not see the part: hold still
        out[0] = o.pusherX();
        out[1] = o.pusherY();
      } else {
        push.act(at, o.pusherX(), o.pusherY(), out);
      }
      try {
        o = client.post(stepPath, new BuildApi.Target(out[0], out[1]), BuildApi.Observation.class);
      } catch (FleetClient.ApiError e) {
        if (e.status == 409) { // the placement was taken back (this robot was too slow)
          log.accept("placement '" + p.name() + "' taken back: " + e.getMessage());
          return BuildApi.Phase.ENDED;
        }
        throw e;
      }
      steps[0]++;
      if (o.phase() != BuildApi.Phase.PUSHING) return o.phase();
    }
    return BuildApi.Phase.ENDED;
  }
}
