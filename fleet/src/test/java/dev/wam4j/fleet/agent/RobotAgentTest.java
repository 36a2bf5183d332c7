package dev.wam4j.fleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wam4j.eval.monitor.Signal;
import dev.wam4j.fleet.api.ApiPaths;
import dev.wam4j.fleet.api.JobApi;
import dev.wam4j.fleet.api.RobotApi;
import dev.wam4j.fleet.api.UploadApi;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.store.JobStatus;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.fleet.store.RobotState;
import dev.wam4j.model.policy.ChunkPolicy;
import dev.wam4j.model.policy.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The robot agent against a real server, with a stand-in policy so that it runs in seconds. */
class RobotAgentTest {
  @TempDir Path dir;

  /** Pushes towards the middle of the workspace, two actions per plan, 16 x 16 frames, no dream. */
  private static final class TowardsTheMiddle implements ChunkPolicy {
    final List<Long> resets = new ArrayList<>();
    int plans;
    boolean closed;

    @Override
    public int historyFrames() {
      return 2;
    }

    @Override
    public int imageSize() {
      return 16;
    }

    @Override
    public int executeSteps() {
      return 2;
    }

    @Override
    public void reset(long seed) {
      resets.add(seed);
    }

    @Override
    public Plan plan(byte[] images, float[] agentPositions, boolean dream) {
      plans++;
      return new Plan(new float[] {256, 256, 256, 256}, 2, new byte[0], new int[0], 0);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void theAgentWorksOffAJobReportingEveryTaskStreamingItsStateAndUploadingEveryEpisode()
      throws Exception {
    try (FleetServer server =
        FleetServer.start(FleetServer.Config.of(0, dir.resolve("server"), null))) {
      String url = "http://localhost:" + server.port();
      FleetClient operator = new FleetClient(url, server.bootstrapToken());
      long job =
          operator
              .postMarkdown(
                  ApiPaths.jobs(),
                  "# J\n## Push\n- count: 2\n- max-steps: 6\n- success-score: 0.01\n- goal: 200, 300, 1.0\n")
              .get("id")
              .asLong();
      RobotApi.Enrolled robot =
          operator.post(
              ApiPaths.robots(), new RobotApi.Enroll("arm", "lab"), RobotApi.Enrolled.class);
      TowardsTheMiddle policy = new TowardsTheMiddle();
      RobotAgent.Config config =
          new RobotAgent.Config(
              "robot",
              Signal.LATENT_RELATIVE,
              3,
              Double.NaN,
              20,
              0,
              300,
              dir.resolve("outbox"),
              dir.resolve("models"),
              null);
      List<String> log = new ArrayList<>();
      RobotAgent.Summary s =
          new RobotAgent(new FleetClient(url, robot.token()), policy, config, log::add).run();
      server.awaitDatasets();

      JobApi.JobDetail detail = operator.get(ApiPaths.job(job), JobApi.JobDetail.class);
      assertThat(detail.job().status())
          .as("the job ended, one way or the other")
          .isIn(JobStatus.DONE, JobStatus.FAILED);
      int attempts = detail.tasks().stream().mapToInt(Records.Task::attempts).sum();
      assertThat(s.robotId()).isEqualTo(robot.robotId());
      assertThat(s.tasks())
          .as("one run per attempt the server handed out")
          .isEqualTo(attempts)
          .isBetween(2, 6);
      assertThat(s.succeeded()).isEqualTo(detail.job().done());
      assertThat(policy.resets)
          .as("one episode per task, each from its own seed")
          .hasSize(s.tasks())
          .doesNotHaveDuplicates();
      assertThat(policy.plans).as("6 steps of 2 actions a plan").isEqualTo(3 * s.tasks());
      assertThat(policy.closed).as("the local policy belongs to the caller").isFalse();
      assertThat(s.model()).isEqualTo("local");
      // the job's goal pose is the one simulated and measured against, and the result says so
      assertThat(detail.tasks().get(0).result())
          .contains("\"scene\":\"pusht\"")
          .contains("\"goal\":{\"x\":200.0,\"y\":300.0,\"angle\":1.0}");

      // every step streamed (plus idle and goodbye messages), every episode uploaded into the
      // task's dataset
      long stored =
          operator.get(ApiPaths.telemetryStats()).get(robot.robotId()).get("messages").asLong();
      assertThat(stored).isEqualTo(s.telemetryMessages()).isGreaterThanOrEqualTo(6L * s.tasks());
      assertThat(s.episodesUploaded()).isEqualTo(s.tasks());
      assertThat(s.uploadsPending()).isZero();
      UploadApi.Dataset[] data = operator.get(ApiPaths.datasets(), UploadApi.Dataset[].class);
      assertThat(data).hasSize(1);
      assertThat(data[0].episodes()).isEqualTo(s.tasks());
      assertThat(data[0].frames()).isEqualTo(6L * s.tasks());
      assertThat(operator.get(ApiPaths.robot(robot.robotId()), Records.Robot.class).state())
          .as("said goodbye")
          .isEqualTo(RobotState.OFFLINE);
    }
  }
}
