package dev.wam4j.fleet.demo;

import dev.wam4j.data.FileTrees;
import dev.wam4j.eval.monitor.Signal;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.agent.RobotAgent;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.JobApi;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.api.UploadApi;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The Physical API in one process: a fleet server on an embedded database, simulated robots running
 * a checkpoint under the dream monitor, a markdown job dispatched to them, their episodes uploaded
 * into the task's LeRobot dataset. What {@code wam4j demo} shows of the fleet; everything goes
 * through the HTTP API.
 */
public final class FleetDemo {
  /** The demo's job: three short pushes, each done once the T covers a tenth of its mark. */
  public static final String JOB =
      """
      # Demo: push three Ts
      Three short pushes, each done once the T covers a tenth of its mark.

      ## Push the T
      - count: 3
      - max-steps: 80
      - success-score: 0.1
      """;

  /**
   * What the demo did.
   *
   * @param serverUrl where the server listened (gone after the run)
   * @param serverData the server's data folder (embedded database, episodes, datasets)
   * @param job the job at its end
   * @param robots each robot's run
   * @param datasets the datasets the uploads made, per task
   */
  public record Result(
      String serverUrl,
      Path serverData,
      Records.Job job,
      List<RobotAgent.Summary> robots,
      List<UploadApi.Dataset> datasets) {}

  private FleetDemo() {}

  /**
   * Runs {@code robots} robot agents on {@code checkpoint} against a fresh server in {@code dir}
   * (deleted first) until the job {@code jobMarkdown} is worked off and the robots idle.
   */
  public static Result run(Path checkpoint, Path dir, int robots, String jobMarkdown)
      throws Exception {
    if (robots < 1) throw new IllegalArgumentException("robots must be >= 1, got " + robots);
    FileTrees.delete(dir);
    Path serverData = dir.resolve("server");
    try (FleetServer server = FleetServer.start(FleetServer.Config.of(0, serverData, null))) {
      String url = "http://localhost:" + server.port();
      FleetClient operator = new FleetClient(url, server.bootstrapToken());
      long job = operator.postMarkdown(ApiPaths.jobs(), jobMarkdown).get("id").asLong();
      List<RobotAgent.Summary> summaries = Collections.synchronizedList(new ArrayList<>());
      List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 1; i <= robots; i++) {
        RobotApi.Enrolled e =
            operator.post(
                ApiPaths.robots(),
                new RobotApi.Enroll("demo-arm-" + i, "demo"),
                RobotApi.Enrolled.class);
        FleetClient client = new FleetClient(url, e.token());
        Path own = dir.resolve("robot-" + i);
        // platform threads: the model's native calls would pin virtual ones
        threads.add(
            Thread.ofPlatform()
                .name("demo-robot-" + i)
                .start(
                    () -> {
                      try (ChunkPolicy policy = ChunkPolicies.load(checkpoint)) {
                        RobotAgent.Config config =
                            new RobotAgent.Config(
                                "robot",
                                Signal.LATENT_RELATIVE,
                                3,
                                Double.NaN,
                                100,
                                0,
                                1500,
                                own.resolve("outbox"),
                                own.resolve("models"),
                                null);
                        summaries.add(new RobotAgent(client, policy, config, line -> {}).run());
                      } catch (Exception ex) {
                        failures.add(ex);
                      }
                    }));
      }
      for (Thread t : threads) t.join();
      if (!failures.isEmpty()) throw failures.get(0);
      server.awaitDatasets();
      Records.Job done = operator.get(ApiPaths.job(job), JobApi.JobDetail.class).job();
      List<UploadApi.Dataset> datasets =
          Arrays.asList(operator.get(ApiPaths.datasets(), UploadApi.Dataset[].class));
      return new Result(url, serverData, done, List.copyOf(summaries), datasets);
    }
  }
}
