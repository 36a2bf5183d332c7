package dev.wam4j.fleet.server;

import static dev.wam4j.fleet.server.JsonExchange.body;
import static dev.wam4j.fleet.server.JsonExchange.reply;
import static dev.wam4j.fleet.server.JsonExchange.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.eval.turing.PusherTrace;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.judge.HumanJudge;
import dev.wam4j.sim.pusht.PushTEnv;
import dev.wam4j.sim.scene.ConvexPart;
import dev.wam4j.sim.scene.Pose;
import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * The human judge of the physical Turing test: the page {@code /judge} and its routes under {@code
 * /api/v1/judge}: the next pair for a judge, an answer, the tally. Mounted by {@link TeleopServer}
 * (standalone) and by {@link FleetServer} (operators only), next to the teleop routes. The pairs
 * are built on first use (or ahead, in the background, when the source was started so), so a server
 * without the demonstrations still starts (the routes then reply 503 with the reason). Answers are
 * not marked right or wrong; a judge's own tally is served once they have answered every pair, the
 * tally of all judges to whoever may call the routes (operators; the page shows it to a judge who
 * is done).
 */
final class JudgeRoutes {
  static final String BASE = ApiPaths.BASE + "/judge";
  private static final HtmlPage PAGE = HtmlPage.load("/fleet/judge.html");

  /**
   * One clip: the state before each action at 10 Hz, each as agent x, agent y, block x, block y,
   * block angle (world units, radians).
   *
   * @param poses the states
   */
  record Clip(double[][] poses) {
    static Clip of(PusherTrace t) {
      double[][] p = new double[t.length()][];
      for (int i = 0; i < p.length; i++)
        p[i] =
            new double[] {
              t.agentX()[i], t.agentY()[i], t.blockX()[i], t.blockY()[i], t.blockAngle()[i]
            };
      return new Clip(p);
    }
  }

  /**
   * The next pair for a judge; which clip is the robot is not in it.
   *
   * @param judge the judge
   * @param pair the pair's index, {@code null} when the judge has answered every pair
   * @param answered pairs this judge has answered
   * @param total pairs there are
   * @param hz the clips' rate, states per second
   * @param width scene width, world units
   * @param height scene height, world units
   * @param agentRadius the agent's radius
   * @param blockParts the block's convex parts, each as x0, y0, x1, y1, ... in the block's frame
   * @param goal the goal pose of the block
   * @param left the left clip ({@code null} when done)
   * @param right the right clip ({@code null} when done)
   */
  record NextPair(
      String judge,
      Integer pair,
      int answered,
      int total,
      double hz,
      double width,
      double height,
      double agentRadius,
      List<double[]> blockParts,
      Pose goal,
      Clip left,
      Clip right) {}

  /**
   * What an answer returns: that it was stored, not whether it was right (telling a judge after
   * each answer would teach them the tell before the next pair).
   *
   * @param judge the judge
   * @param pair the pair answered
   * @param answer where the judge said the robot was
   * @param answered pairs this judge has answered now
   * @param total pairs there are
   */
  record Answered(String judge, int pair, String answer, int answered, int total) {}

  private static final PushTEnv SCENE = PushTEnv.reference();
  private final Callable<HumanJudge> source;
  private final TeleopRoutes.Guard guard;
  private HumanJudge judge;

  JudgeRoutes(Callable<HumanJudge> source, TeleopRoutes.Guard guard) {
    this.source = source;
    this.guard = guard;
  }

  void register(RoutesConfig r) {
    r.get("/judge", PAGE::serve); // the page holds no secret; its calls are guarded
    r.get(
        BASE + "/next",
        ctx -> {
          guard.check(ctx);
          String name = ctx.queryParam("judge");
          HumanJudge.Shown s = judge().next(name);
          var scene = SCENE.scene();
          List<double[]> parts = scene.goalObject().parts().stream().map(ConvexPart::xy).toList();
          reply(
              ctx,
              200,
              new NextPair(
                  name,
                  s == null ? null : s.pair(),
                  s == null ? judge().answered(name) : s.answered(),
                  judge().pairs().size(),
                  PusherTrace.HZ,
                  scene.width(),
                  scene.height(),
                  SCENE.embodiment().radius(),
                  parts,
                  scene.goal().pose(),
                  s == null ? null : Clip.of(s.left()),
                  s == null ? null : Clip.of(s.right())));
        });
    r.post(
        BASE + "/answers",
        ctx -> {
          guard.check(ctx);
          JsonNode b = body(ctx);
          String name = text(b, "judge");
          int pair = JsonExchange.smallNumber(b, "pair");
          String robot = text(b, "robot", true, 16);
          HumanJudge j = judge();
          try {
            j.answer(name, pair, robot);
            reply(ctx, 201, new Answered(name, pair, robot, j.answered(name), j.pairs().size()));
          } catch (NoSuchElementException e) {
            throw new ApiException(404, e.getMessage());
          } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
          }
        });
    r.get(
        BASE + "/tally",
        ctx -> {
          guard.check(ctx);
          String name = ctx.queryParam("judge");
          if (name == null) {
            reply(ctx, 200, judge().tallyOfFinished());
            return;
          }
          // a judge's own score only once they are done: read between answers it would say
          // whether the last one was right
          if (!judge().done(name))
            throw new ApiException(
                409,
                "judge '"
                    + name
                    + "' has answered "
                    + judge().answered(name)
                    + " of "
                    + judge().pairs().size()
                    + " pairs: their score is shown once every pair is answered");
          reply(ctx, 200, judge().tally(name));
        });
  }

  private synchronized HumanJudge judge() {
    if (judge == null) {
      try {
        judge = source.call();
      } catch (Exception e) {
        throw new ApiException(503, "the human judge is unavailable: " + e.getMessage());
      }
    }
    return judge;
  }
}
