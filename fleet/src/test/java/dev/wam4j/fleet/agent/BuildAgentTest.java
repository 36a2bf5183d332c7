package dev.wam4j.fleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.BuildApi;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.build.FleetBuild;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.server.Limits;
import dev.wam4j.fleet.store.JobStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds through the Physical API: a real server on loopback, robot agents in this process. */
class BuildAgentTest {
  /** Two bars, each a short push from its start to its target: a build of a few seconds. */
  static final String PAIR =
      """
      # Pair
      Two bars side by side.

      ## Parts
      - left bar: I at 200, 190, 0 from 190, 240, 0.2
      - right bar: I at 312, 190, 0 from 322, 240, -0.2

      ## Options
      - robots: 2
      - max-minutes: 5
      """;

  @TempDir Path dir;
  private FleetServer server;
  private String url;
  private FleetClient operator;

  @BeforeEach
  void start() throws Exception {
    // lockstep over HTTP is one request per robot and control step: no rate limit in the way
    server =
        FleetServer.start(
            FleetServer.Config.of(0, dir.resolve("server"), null)
                .withLimits(Limits.defaults().withRobotRate(100_000, 100_000)));
    url = "http://127.0.0.1:" + server.port();
    operator = new FleetClient(url, server.bootstrapToken());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private FleetClient robot(String name) throws Exception {
    RobotApi.Enrolled e =
        operator.post(ApiPaths.robots(), new RobotApi.Enroll(name, "lab"), RobotApi.Enrolled.class);
    return new FleetClient(url, e.token());
  }

  @Test
  void twoAgentsBuildAPairInTheSharedCellThroughTheApi() throws Exception {
    BuildApi.BuildStatus submitted =
        operator.post(ApiPaths.builds(), new BuildApi.Submit(PAIR, 3L), BuildApi.BuildStatus.class);
    assertThat(submitted.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(submitted.partsTotal()).isEqualTo(2);
    assertThat(submitted.robots()).isEqualTo(2);
    List<BuildAgent.Summary> summaries = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    List<BuildAgent> agents = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      BuildAgent a = new BuildAgent(robot("r" + i), new BuildAgent.Config(20, 0, 0), line -> {});
      agents.add(a);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      summaries.add(a.run());
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    BuildApi.BuildStatus s = submitted;
    long deadline = System.currentTimeMillis() + 60_000;
    while (s.status() == JobStatus.RUNNING && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      s = operator.get(ApiPaths.build(submitted.id()), BuildApi.BuildStatus.class);
    }
    agents.forEach(BuildAgent::stop);
    for (Thread t : threads) t.join(10_000);
    assertThat(s.status()).as(String.valueOf(s.failure())).isEqualTo(JobStatus.DONE);
    assertThat(s.result().productComplete()).isTrue();
    assertThat(s.result().partsPlaced()).isEqualTo(2);
    assertThat(s.result().interventions()).isZero();
    assertThat(s.result().parts()).allSatisfy(p -> assertThat(p.coverage()).isGreaterThan(0.9));
    assertThat(summaries).hasSize(2);
    assertThat(summaries)
        .as("both robots pushed a part in the one cell")
        .allSatisfy(a -> assertThat(a.placed()).isGreaterThanOrEqualTo(1));
    // the picture of the cell for the dashboard is a PNG, for operators only
    byte[] png = operator.getBytes(ApiPaths.build(submitted.id(), "picture"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThatThrownBy(() -> robot("r3").getBytes(ApiPaths.build(submitted.id(), "picture")))
        .hasMessageContaining("403");
  }

  @Test
  void robotsNeverHoldTheSamePlacementAndABadDesignIsRefusedWithItsLine() throws Exception {
    long id =
        operator
            .post(ApiPaths.builds(), new BuildApi.Submit(PAIR, 0L), BuildApi.BuildStatus.class)
            .id();
    // eight robots ask at once for work in a cell of two pushers and two parts
    List<FleetClient> robots = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      FleetClient c = robot("c" + i);
      robots.add(c);
      ids.add(c.get(ApiPaths.whoami(), RobotApi.Whoami.class).robotId());
    }
    List<BuildApi.Placement> got = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int k = i;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      go.await();
                      BuildApi.Placement p =
                          robots
                              .get(k)
                              .post(
                                  ApiPaths.robot(ids.get(k), "placements/next"),
                                  null,
                                  BuildApi.Placement.class);
                      if (p != null) got.add(p);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    go.countDown();
    for (Thread t : threads) t.join();
    assertThat(got).hasSize(2);
    assertThat(got).extracting(BuildApi.Placement::part).doesNotHaveDuplicates();
    assertThat(got).extracting(BuildApi.Placement::pusher).doesNotHaveDuplicates();
    assertThat(got).allSatisfy(p -> assertThat(p.buildId()).isEqualTo(id));
    BuildApi.BuildStatus s = operator.get(ApiPaths.build(id), BuildApi.BuildStatus.class);
    assertThat(s.robotsJoined()).isEqualTo(2);
    assertThat(s.parts()).extracting(BuildApi.PartStatus::state).containsOnly("pushing");
    // a robot without a placement may not step the cell
    int idle = ids.size() - 1;
    while (idle >= 0 && isHolder(got, robots.get(idle), ids.get(idle))) idle--;
    FleetClient outsider = robots.get(idle);
    assertThatThrownBy(
            () -> outsider.post(ApiPaths.build(id, "step"), new BuildApi.Target(100, 100)))
        .hasMessageContaining("409");
    // a bad design: refused, naming its line
    assertThatThrownBy(
            () ->
                operator.post(
                    ApiPaths.builds(),
                    new BuildApi.Submit("# X\n## Parts\n- a: Q at 100, 100, 0\n", null)))
        .isInstanceOf(FleetClient.ApiError.class)
        .hasMessageContaining("400")
        .hasMessageContaining("line 3");
    assertThat(operator.post(ApiPaths.build(id, "cancel"), null).get("status").asText())
        .isEqualTo("cancelled");
  }

  private static boolean isHolder(List<BuildApi.Placement> got, FleetClient c, String id)
      throws Exception {
    // the same robot asking again gets the placement it holds (a lost reply strands nothing)
    BuildApi.Placement again =
        c.post(ApiPaths.robot(id, "placements/next"), null, BuildApi.Placement.class);
    if (again == null) return false;
    assertThat(got).extracting(BuildApi.Placement::part).contains(again.part());
    return true;
  }

  @Test
  void aLocalBuildStartsItsOwnServerAndRobots() throws Exception {
    List<String> said = new ArrayList<>();
    FleetBuild.Outcome o =
        FleetBuild.run(
            PAIR,
            new FleetBuild.Options(null, null, 5, 0, true, 50, BuildAgent.Steering.expert()),
            said::add);
    assertThat(o.build().status()).isEqualTo(JobStatus.DONE);
    assertThat(o.result().productComplete()).isTrue();
    assertThat(o.agents()).hasSize(2);
    assertThat(o.stepsPerSecond()).isPositive();
    assertThat(said).anyMatch(l -> l.contains("2/2 placed") || l.contains("embedded"));
    assertThatThrownBy(
            () ->
                FleetBuild.run(
                    "# X\n## Parts\n- a: I at 600, 100, 0\n",
                    new FleetBuild.Options(
                        null, null, 5, 0, true, 50, BuildAgent.Steering.expert()),
                    l -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3");
  }
}
