package dev.wam4j.fleet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.fleet.job.JobDocument;
import dev.wam4j.fleet.job.JobDocumentParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetStoreTest {
  @TempDir Path dir;

  static final String JOB = """
      # Two steps
      ## First
      - count: 2
      ## Second
      - goal: 200, 300, 1.0
      """;

  @Test
  void tokensAuthenticateAsTheirPrincipalAndOnlyTheirHashIsStored() throws Exception {
    String op, robotToken, robotId;
    try (FleetStore s = FleetStore.embedded(dir)) {
      assertThat(s.hasOperators()).isFalse();
      op = s.createOperatorToken("admin");
      Records.Enrollment e = s.enrollRobot("arm-1", "lab");
      robotToken = e.token();
      robotId = e.robotId();
      assertThat(s.authenticate(op)).contains(new Principal.Operator("admin"));
      assertThat(s.authenticate(robotToken)).contains(new Principal.Robot(robotId));
      assertThat(s.authenticate("rb_forged")).isEmpty();
      assertThat(s.authenticate(null)).isEmpty();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FleetStore.SQLITE_FILE));
        ResultSet r = c.createStatement().executeQuery("SELECT hash FROM tokens")) {
      while (r.next()) assertThat(r.getString(1)).isNotIn(op, robotToken).hasSize(64);
    }
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(FleetStore.SQLITE_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void aDataFolderWithAnEarlierH2DatabaseIsRefusedWithTheUrlThatOpensIt() throws Exception {
    Path old = Files.createDirectories(dir.resolve("old"));
    Files.writeString(old.resolve("fleet.mv.db"), "");
    assertThatThrownBy(() -> FleetStore.embedded(old)).isInstanceOf(java.sql.SQLException.class)
        .hasMessageContaining("fleet.mv.db").hasMessageContaining("jdbc:h2:file:" + old.toAbsolutePath().resolve("fleet"));
    assertThat(old.resolve(FleetStore.SQLITE_FILE)).doesNotExist();
  }

  @Test
  void tasksGoOutStepByStepRetryOnFailureAndFinishTheJob() throws Exception {
    try (FleetStore s = FleetStore.embedded(dir)) {
      String a = s.enrollRobot("a", "lab").robotId(), b = s.enrollRobot("b", "lab").robotId(), h = s.enrollRobot("h", "lab").robotId();
      s.register(a, "robot", "{}");
      s.register(b, "robot", "{}");
      s.register(h, "hand", "{}");
      JobDocument doc = JobDocumentParser.parse(JOB);
      long job = s.submitJob(doc, JOB, 2);
      assertThat(s.job(job).orElseThrow().tasks()).isEqualTo(3);
      assertThat(s.claimTask(h)).as("no task for a hand").isEmpty();
      Records.Task t1 = s.claimTask(a).orElseThrow(), t2 = s.claimTask(b).orElseThrow();
      assertThat(t1.stepIndex()).isZero();
      assertThat(t2.stepIndex()).isZero();
      assertThat(s.claimTask(a)).as("asking again returns the task it holds").contains(t1);
      String c = s.enrollRobot("c", "lab").robotId();
      s.register(c, "robot", "{}");
      assertThat(s.claimTask(c)).as("step 2 waits for step 1").isEmpty();
      assertThatThrownBy(() -> s.finishTask(b, t1.id(), true, "{}")).hasMessageContaining("not assigned to robot " + b);
      s.finishTask(a, t1.id(), true, "{\"coverage\": 0.9}");
      assertThat(s.finishTask(b, t2.id(), false, "{}").status()).as("first failure: queued again").isEqualTo("queued");
      Records.Task again = s.claimTask(a).orElseThrow();
      assertThat(again.id()).isEqualTo(t2.id());
      assertThat(again.attempts()).isEqualTo(2);
      s.finishTask(a, again.id(), true, "{}");
      Records.Task last = s.claimTask(b).orElseThrow();
      assertThat(last.stepIndex()).isEqualTo(1);
      assertThat(last.goalX()).isEqualTo(200.0);
      s.finishTask(b, last.id(), true, "{}");
      assertThat(s.job(job).orElseThrow().status()).isEqualTo("done");
      assertThat(s.job(job).orElseThrow().done()).isEqualTo(3);

      long second = s.submitJob(JobDocumentParser.parse("# One\n## Only\n"), "# One\n## Only\n", 1);
      Records.Task only = s.claimTask(a).orElseThrow();
      assertThat(s.finishTask(a, only.id(), false, "{}").status()).isEqualTo("failed");
      assertThat(s.job(second).orElseThrow().status()).isEqualTo("failed");
    }
  }

  @Test
  void acknowledgedStateSurvivesARestartAndARestartedRobotsTaskIsQueuedAgain() throws Exception {
    String robot;
    long job;
    try (FleetStore s = FleetStore.embedded(dir)) {
      robot = s.enrollRobot("a", "lab").robotId();
      s.register(robot, "robot", "{\"embodiment\": \"robot\"}");
      job = s.submitJob(JobDocumentParser.parse(JOB), JOB, 3);
      assertThat(s.claimTask(robot)).isPresent();
      assertThat(s.telemetry(robot, 1, "busy", "{\"step\": 1}")).isTrue();
      assertThat(s.telemetry(robot, 1, "busy", "{\"step\": 1}")).as("a resent message is stored once").isFalse();
      assertThat(s.telemetry(robot, 2, "busy", "{\"step\": 2}")).isTrue();
    }
    try (FleetStore s = FleetStore.embedded(dir)) {
      assertThat(s.telemetryCount(robot)).isEqualTo(2);
      assertThat(s.job(job).orElseThrow().assigned()).isEqualTo(1);
      s.register(robot, "robot", "{}"); // the agent restarted: its task in flight goes back to the queue
      assertThat(s.job(job).orElseThrow().assigned()).isZero();
      assertThat(s.job(job).orElseThrow().queued()).isEqualTo(3);
      assertThat(s.robot(robot).orElseThrow().state()).isEqualTo("idle");
    }
  }

  @Test
  void aLateMessageWithALowerSeqIsKeptAsHistoryButDoesNotOverwriteNewerState() throws Exception {
    try (FleetStore s = FleetStore.embedded(dir)) {
      String robot = s.enrollRobot("a", "lab").robotId();
      s.register(robot, "robot", "{}");
      long job = s.submitJob(JobDocumentParser.parse(JOB), JOB, 3);
      assertThat(s.claimTask(robot)).isPresent();
      assertThat(s.telemetry(robot, 10, "busy", "{\"step\": 10}")).isTrue();
      assertThat(s.telemetry(robot, 5, "offline", "{\"step\": 5}")).as("stored, once").isTrue();
      assertThat(s.telemetryCount(robot)).isEqualTo(2);
      assertThat(s.robot(robot).orElseThrow().state()).isEqualTo("busy");
      assertThat(s.robot(robot).orElseThrow().lastTelemetry()).contains("\"step\": 10");
      assertThat(s.job(job).orElseThrow().assigned()).as("the late 'offline' did not take the robot's task away").isEqualTo(1);
      assertThat(s.telemetry(robot, 11, "offline", "{}")).isTrue();
      assertThat(s.job(job).orElseThrow().assigned()).as("a newer 'offline' does").isZero();
    }
  }

  @Test
  void aCancelledJobGivesOutNoMoreTasksAndARevokedRobotIsRefusedAndLosesItsTask() throws Exception {
    try (FleetStore s = FleetStore.embedded(dir)) {
      Records.Enrollment a = s.enrollRobot("a", "lab"), b = s.enrollRobot("b", "lab");
      s.register(a.robotId(), "robot", "{}");
      s.register(b.robotId(), "robot", "{}");
      long job = s.submitJob(JobDocumentParser.parse(JOB), JOB, 3);
      Records.Task held = s.claimTask(a.robotId()).orElseThrow();
      assertThat(s.cancelJob(job)).isTrue();
      assertThat(s.job(job).orElseThrow().status()).isEqualTo("cancelled");
      assertThat(s.job(job).orElseThrow().queued() + s.job(job).orElseThrow().assigned()).isZero();
      assertThat(s.robot(a.robotId()).orElseThrow().state()).isEqualTo("idle");
      assertThat(s.claimTask(b.robotId())).isEmpty();
      assertThatThrownBy(() -> s.finishTask(a.robotId(), held.id(), true, "{}")).isInstanceOf(IllegalArgumentException.class);
      assertThat(s.cancelJob(job)).as("cancelled already").isFalse();

      long next = s.submitJob(JobDocumentParser.parse(JOB), JOB, 3);
      s.claimTask(b.robotId()).orElseThrow();
      assertThat(s.revokeRobot(b.robotId())).isEqualTo(1);
      assertThat(s.authenticate(b.token())).isEmpty();
      assertThat(s.authenticate(a.token())).isPresent();
      assertThat(s.robot(b.robotId()).orElseThrow().state()).isEqualTo("offline");
      assertThat(s.job(next).orElseThrow().assigned()).as("its task went back to the queue").isZero();
      assertThat(s.revokeRobot(b.robotId())).isZero();
    }
  }

  @Test
  void openUploadsExpireAfterTheirAgeButCompleteOnesStay() throws Exception {
    long[] now = {1_000_000};
    try (FleetStore s = FleetStore.open("jdbc:sqlite:" + dir.resolve("expiry.db"), "", "", () -> now[0])) {
      String robot = s.enrollRobot("a", "lab").robotId();
      Records.Upload old = s.openUpload(robot, null, "push", "1".repeat(64), 10);
      now[0] += 3_600_000;
      Records.Upload fresh = s.openUpload(robot, null, "push", "2".repeat(64), 10);
      assertThat(s.openUploads(robot)).isEqualTo(2);
      assertThat(s.expireUploads(2_000_000)).containsExactly(old.id());
      assertThat(s.upload(old.id())).isEmpty();
      assertThat(s.upload(fresh.id())).isPresent();
      assertThat(s.openUploads(robot)).isEqualTo(1);
    }
  }

  @Test
  void telemetryOlderThanItsRetentionIsDeletedAndALateOlderMessageStillDoesNotBecomeTheState() throws Exception {
    long[] now = {1_000_000};
    for (String url : new String[] {"jdbc:sqlite:" + dir.resolve("retention.db"), "jdbc:h2:mem:retention;DB_CLOSE_DELAY=-1"}) {
      try (FleetStore s = FleetStore.open(url, url.startsWith("jdbc:h2") ? "sa" : "", "", () -> now[0])) {
        String robot = s.enrollRobot("a", "lab").robotId();
        for (int seq = 1; seq <= 5; seq++) s.telemetry(robot, seq, "busy", "{\"seq\": " + seq + "}");
        now[0] += 3_600_000;
        s.telemetry(robot, 6, "busy", "{\"seq\": 6}");
        now[0] += 1_000;
        assertThat(s.pruneTelemetry(3_600_000)).as(url).isEqualTo(5);
        assertThat(s.telemetryCount(robot)).isEqualTo(1);
        assertThat(s.pruneTelemetry(3_600_000)).isZero();
        now[0] += 3_600_000;
        s.pruneTelemetry(3_600_000); // every row is gone now; the robot's state stays on its row
        assertThat(s.telemetryCount(robot)).isZero();
        assertThat(s.robot(robot).orElseThrow().state()).isEqualTo("busy");
        assertThat(s.telemetry(robot, 3, "offline", "{\"seq\": 3}")).as("a late resend is history").isTrue();
        assertThat(s.robot(robot).orElseThrow().state()).as("below the highest seq ever seen").isEqualTo("busy");
      }
    }
  }

  @Test
  void aSilentRobotGoesOfflineAndItsTaskIsQueuedAgain() throws Exception {
    long[] now = {1_000};
    try (FleetStore s = FleetStore.open("jdbc:h2:mem:silent;DB_CLOSE_DELAY=-1", "sa", "", () -> now[0])) {
      String robot = s.enrollRobot("a", "lab").robotId();
      s.register(robot, "robot", "{}");
      long job = s.submitJob(JobDocumentParser.parse(JOB), JOB, 3);
      s.claimTask(robot).orElseThrow();
      now[0] += 5_000;
      assertThat(s.expireSilentRobots(10_000)).isZero();
      now[0] += 10_000;
      assertThat(s.expireSilentRobots(10_000)).isEqualTo(1);
      assertThat(s.robot(robot).orElseThrow().state()).isEqualTo("offline");
      assertThat(s.job(job).orElseThrow().queued()).isEqualTo(3);
    }
  }

  @Test
  void aCanaryRunsTheNewVersionAloneUntilPromotedAndARollbackReturnsTheGroupToThePreviousVersion() throws Exception {
    try (FleetStore s = FleetStore.embedded(dir)) {
      String a = s.enrollRobot("a", "lab").robotId(), b = s.enrollRobot("b", "lab").robotId(), other = s.enrollRobot("c", "field").robotId();
      assertThat(s.assignedModel(a)).isEmpty();
      s.addModel("pusht", "1".repeat(64), "/m/1", null);
      s.addModel("pusht", "2".repeat(64), "/m/2", "card");
      long v1 = s.deploy("pusht", 1, "lab", false).id();
      assertThat(s.assignedModel(a).orElseThrow().version()).isEqualTo(1);
      assertThat(s.assignedModel(other)).as("another group").isEmpty();
      Records.Deployment canary = s.deploy("pusht", 2, "lab", true);
      assertThat(canary.canaryRobotId()).isIn(a, b);
      String first = canary.canaryRobotId(), rest = first.equals(a) ? b : a;
      assertThat(s.assignedModel(first).orElseThrow().version()).isEqualTo(2);
      assertThat(s.assignedModel(rest).orElseThrow().version()).as("the rest of the group waits").isEqualTo(1);
      s.setDeploymentStatus(canary.id(), "active");
      assertThat(s.assignedModel(b).orElseThrow().version()).isEqualTo(2);
      s.setDeploymentStatus(canary.id(), "rolled_back");
      assertThat(s.assignedModel(a).orElseThrow().version()).isEqualTo(1);
      assertThat(s.assignedModel(b).orElseThrow().version()).isEqualTo(1);
      assertThat(s.deployment(v1).orElseThrow().status()).isEqualTo("active");
      assertThatThrownBy(() -> s.deploy("pusht", 3, "lab", false)).hasMessageContaining("no model pusht version 3");
      assertThatThrownBy(() -> s.deploy("pusht", 1, "empty", true)).hasMessageContaining("no robot to be the canary");
      assertThatThrownBy(() -> s.setDeploymentStatus(canary.id(), "active")).hasMessageContaining("was rolled back");
    }
  }

  @Test
  void aTaskThatKeepsLosingItsRobotFailsOnceItsAttemptsAreUsedAndALeavingRobotGivesItsTaskBack() throws Exception {
    try (FleetStore s = FleetStore.embedded(dir)) {
      String a = s.enrollRobot("a", "lab").robotId();
      s.register(a, "robot", "{}");
      long job = s.submitJob(JobDocumentParser.parse("# One\n## Only\n"), "# One\n## Only\n", 2);
      s.claimTask(a).orElseThrow();
      s.telemetry(a, 1, "offline", "{}"); // the agent leaves mid-task
      assertThat(s.job(job).orElseThrow().queued()).isEqualTo(1);
      s.register(a, "robot", "{}");
      s.claimTask(a).orElseThrow(); // attempt 2 of 2
      s.register(a, "robot", "{}"); // the agent crashed and came back: no attempt left
      assertThat(s.tasks(job).get(0).status()).isEqualTo("failed");
      assertThat(s.job(job).orElseThrow().status()).isEqualTo("failed");
    }
  }
}
