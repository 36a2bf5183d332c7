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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store on every database it supports (SQLite, H2 and a real PostgreSQL server, {@link
 * Backend}), plus what only the embedded SQLite store does (its file, its permissions).
 */
class FleetStoreTest {
  @TempDir Path dir;

  static final String JOB =
      """
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
      assertThat(s.robots().hasOperators()).isFalse();
      op = s.robots().createOperatorToken("admin");
      Records.Enrollment e = s.robots().enroll("arm-1", "lab");
      robotToken = e.token();
      robotId = e.robotId();
      assertThat(s.robots().authenticate(op)).contains(new Principal.Operator("admin"));
      assertThat(s.robots().authenticate(robotToken)).contains(new Principal.Robot(robotId));
      assertThat(s.robots().authenticate("rb_forged")).isEmpty();
      assertThat(s.robots().authenticate(null)).isEmpty();
    }
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FleetStore.SQLITE_FILE));
        ResultSet r = c.createStatement().executeQuery("SELECT hash FROM tokens")) {
      while (r.next()) assertThat(r.getString(1)).isNotIn(op, robotToken).hasSize(64);
    }
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(FleetStore.SQLITE_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void aDataFolderWithAnEarlierH2DatabaseIsRefusedWithTheUrlThatOpensIt() throws Exception {
    Path old = Files.createDirectories(dir.resolve("old"));
    Files.writeString(old.resolve("fleet.mv.db"), "");
    assertThatThrownBy(() -> FleetStore.embedded(old))
        .isInstanceOf(java.sql.SQLException.class)
        .hasMessageContaining("fleet.mv.db")
        .hasMessageContaining("jdbc:h2:file:" + old.toAbsolutePath().resolve("fleet"));
    assertThat(old.resolve(FleetStore.SQLITE_FILE)).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void tasksGoOutStepByStepRetryOnFailureAndFinishTheJob(Backend db) throws Exception {
    try (FleetStore s = db.open(dir)) {
      String a = s.robots().enroll("a", "lab").robotId(),
          b = s.robots().enroll("b", "lab").robotId(),
          h = s.robots().enroll("h", "lab").robotId();
      s.robots().register(a, "robot", "{}");
      s.robots().register(b, "robot", "{}");
      s.robots().register(h, "hand", "{}");
      JobDocument doc = JobDocumentParser.parse(JOB);
      long job = s.tasks().submit(doc, JOB, 2);
      assertThat(s.tasks().job(job).orElseThrow().tasks()).isEqualTo(3);
      assertThat(s.tasks().claim(h)).as("no task for a hand").isEmpty();
      Records.Task t1 = s.tasks().claim(a).orElseThrow(), t2 = s.tasks().claim(b).orElseThrow();
      assertThat(t1.stepIndex()).isZero();
      assertThat(t2.stepIndex()).isZero();
      assertThat(s.tasks().claim(a)).as("asking again returns the task it holds").contains(t1);
      String c = s.robots().enroll("c", "lab").robotId();
      s.robots().register(c, "robot", "{}");
      assertThat(s.tasks().claim(c)).as("step 2 waits for step 1").isEmpty();
      assertThatThrownBy(() -> s.tasks().finish(b, t1.id(), true, "{}"))
          .hasMessageContaining("not assigned to robot " + b);
      s.tasks().finish(a, t1.id(), true, "{\"coverage\": 0.9}");
      assertThat(s.tasks().finish(b, t2.id(), false, "{}").status())
          .as("first failure: queued again")
          .isEqualTo(TaskStatus.QUEUED);
      Records.Task again = s.tasks().claim(a).orElseThrow();
      assertThat(again.id()).isEqualTo(t2.id());
      assertThat(again.attempts()).isEqualTo(2);
      s.tasks().finish(a, again.id(), true, "{}");
      Records.Task last = s.tasks().claim(b).orElseThrow();
      assertThat(last.stepIndex()).isEqualTo(1);
      assertThat(last.goalX()).isEqualTo(200.0);
      s.tasks().finish(b, last.id(), true, "{}");
      assertThat(s.tasks().job(job).orElseThrow().status()).isEqualTo(JobStatus.DONE);
      assertThat(s.tasks().job(job).orElseThrow().done()).isEqualTo(3);

      long second =
          s.tasks().submit(JobDocumentParser.parse("# One\n## Only\n"), "# One\n## Only\n", 1);
      Records.Task only = s.tasks().claim(a).orElseThrow();
      assertThat(s.tasks().finish(a, only.id(), false, "{}").status()).isEqualTo(TaskStatus.FAILED);
      assertThat(s.tasks().job(second).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aResultSentAgainAfterItWasRecordedIsAcknowledgedAndChangesNothing(Backend db)
      throws Exception {
    try (FleetStore s = db.open(dir)) {
      String a = s.robots().enroll("a", "lab").robotId(),
          b = s.robots().enroll("b", "lab").robotId();
      s.robots().register(a, "robot", "{}");
      s.robots().register(b, "robot", "{}");
      String two = "# Two\n## Push\n- count: 2\n";
      long job = s.tasks().submit(JobDocumentParser.parse(two), two, 1);
      Records.Task t = s.tasks().claim(a).orElseThrow();
      Records.Task done = s.tasks().finish(a, t.id(), true, "{\"coverage\": 0.9}");
      // the reply was lost with its server; the robot sends the same report to another server
      assertThat(s.tasks().finish(a, t.id(), true, "{\"coverage\": 0.9}")).isEqualTo(done);
      assertThatThrownBy(() -> s.tasks().finish(a, t.id(), false, "{}"))
          .as("a different outcome for a recorded task is refused")
          .hasMessageContaining("not assigned to robot " + a);
      assertThatThrownBy(() -> s.tasks().finish(b, t.id(), true, "{}"))
          .as("another robot's report is refused")
          .hasMessageContaining("not assigned to robot " + b);
      Records.Task u = s.tasks().claim(b).orElseThrow();
      assertThat(u.id()).isNotEqualTo(t.id());
      Records.Task failed = s.tasks().finish(b, u.id(), false, "{}");
      assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
      assertThat(s.tasks().finish(b, u.id(), false, "{}")).isEqualTo(failed);
      assertThat(s.tasks().job(job).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
      assertThat(s.tasks().task(t.id()).orElseThrow().attempts()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void acknowledgedStateSurvivesARestartAndARestartedRobotsTaskIsQueuedAgain(Backend db)
      throws Exception {
    String url = db.newDatabase(dir), robot;
    long job;
    try (FleetStore s = Backend.open(url, System::currentTimeMillis)) {
      robot = s.robots().enroll("a", "lab").robotId();
      s.robots().register(robot, "robot", "{\"embodiment\": \"robot\"}");
      job = s.tasks().submit(JobDocumentParser.parse(JOB), JOB, 3);
      assertThat(s.tasks().claim(robot)).isPresent();
      assertThat(s.robots().telemetry(robot, 1, RobotState.BUSY, "{\"step\": 1}")).isTrue();
      assertThat(s.robots().telemetry(robot, 1, RobotState.BUSY, "{\"step\": 1}"))
          .as("a resent message is stored once")
          .isFalse();
      assertThat(s.robots().telemetry(robot, 2, RobotState.BUSY, "{\"step\": 2}")).isTrue();
    }
    try (FleetStore s = Backend.open(url, System::currentTimeMillis)) {
      assertThat(s.robots().telemetryCount(robot)).isEqualTo(2);
      assertThat(s.tasks().job(job).orElseThrow().assigned()).isEqualTo(1);
      s.robots()
          .register(
              robot, "robot",
              "{}"); // the agent restarted: its task in flight goes back to the queue
      assertThat(s.tasks().job(job).orElseThrow().assigned()).isZero();
      assertThat(s.tasks().job(job).orElseThrow().queued()).isEqualTo(3);
      assertThat(s.robots().find(robot).orElseThrow().state()).isEqualTo(RobotState.IDLE);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aLateMessageWithALowerSeqIsKeptAsHistoryButDoesNotOverwriteNewerState(Backend db)
      throws Exception {
    try (FleetStore s = db.open(dir)) {
      String robot = s.robots().enroll("a", "lab").robotId();
      s.robots().register(robot, "robot", "{}");
      long job = s.tasks().submit(JobDocumentParser.parse(JOB), JOB, 3);
      assertThat(s.tasks().claim(robot)).isPresent();
      assertThat(s.robots().telemetry(robot, 10, RobotState.BUSY, "{\"step\": 10}")).isTrue();
      assertThat(s.robots().telemetry(robot, 5, RobotState.OFFLINE, "{\"step\": 5}"))
          .as("stored, once")
          .isTrue();
      assertThat(s.robots().telemetryCount(robot)).isEqualTo(2);
      assertThat(s.robots().find(robot).orElseThrow().state()).isEqualTo(RobotState.BUSY);
      assertThat(s.robots().find(robot).orElseThrow().lastTelemetry()).contains("\"step\": 10");
      assertThat(s.tasks().job(job).orElseThrow().assigned())
          .as("the late 'offline' did not take the robot's task away")
          .isEqualTo(1);
      assertThat(s.robots().telemetry(robot, 11, RobotState.OFFLINE, "{}")).isTrue();
      assertThat(s.tasks().job(job).orElseThrow().assigned()).as("a newer 'offline' does").isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aCancelledJobGivesOutNoMoreTasksAndARevokedRobotIsRefusedAndLosesItsTask(Backend db)
      throws Exception {
    try (FleetStore s = db.open(dir)) {
      Records.Enrollment a = s.robots().enroll("a", "lab"), b = s.robots().enroll("b", "lab");
      s.robots().register(a.robotId(), "robot", "{}");
      s.robots().register(b.robotId(), "robot", "{}");
      long job = s.tasks().submit(JobDocumentParser.parse(JOB), JOB, 3);
      Records.Task held = s.tasks().claim(a.robotId()).orElseThrow();
      assertThat(s.tasks().cancel(job)).isTrue();
      assertThat(s.tasks().job(job).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
      assertThat(
              s.tasks().job(job).orElseThrow().queued()
                  + s.tasks().job(job).orElseThrow().assigned())
          .isZero();
      assertThat(s.robots().find(a.robotId()).orElseThrow().state()).isEqualTo(RobotState.IDLE);
      assertThat(s.tasks().claim(b.robotId())).isEmpty();
      assertThatThrownBy(() -> s.tasks().finish(a.robotId(), held.id(), true, "{}"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(s.tasks().cancel(job)).as("cancelled already").isFalse();

      long next = s.tasks().submit(JobDocumentParser.parse(JOB), JOB, 3);
      s.tasks().claim(b.robotId()).orElseThrow();
      assertThat(s.robots().revoke(b.robotId())).isEqualTo(1);
      assertThat(s.robots().authenticate(b.token())).isEmpty();
      assertThat(s.robots().authenticate(a.token())).isPresent();
      assertThat(s.robots().find(b.robotId()).orElseThrow().state()).isEqualTo(RobotState.OFFLINE);
      assertThat(s.tasks().job(next).orElseThrow().assigned())
          .as("its task went back to the queue")
          .isZero();
      assertThat(s.robots().revoke(b.robotId())).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void openUploadsExpireAfterTheirAgeButCompleteOnesStay(Backend db) throws Exception {
    long[] now = {1_000_000};
    try (FleetStore s = Backend.open(db.newDatabase(dir), () -> now[0])) {
      String robot = s.robots().enroll("a", "lab").robotId();
      Records.Upload old = s.uploads().open(robot, null, "push", "1".repeat(64), 10);
      now[0] += 3_600_000;
      Records.Upload fresh = s.uploads().open(robot, null, "push", "2".repeat(64), 10);
      assertThat(s.uploads().openCount(robot)).isEqualTo(2);
      assertThat(s.uploads().expire(2_000_000)).containsExactly(old.id());
      assertThat(s.uploads().find(old.id())).isEmpty();
      assertThat(s.uploads().find(fresh.id())).isPresent();
      assertThat(s.uploads().openCount(robot)).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aQuarantineReasonQuotingANulCharacterIsStoredOnEveryDatabase(Backend db) throws Exception {
    try (FleetStore s = db.open(dir)) {
      String robot = s.robots().enroll("a", "lab").robotId();
      Records.Upload u = s.uploads().open(robot, null, "push", "1".repeat(64), 10);
      assertThat(s.uploads().quarantine(u.id(), "bad entry 'a\0b.parquet'").reason())
          .isEqualTo("bad entry 'a\uFFFDb.parquet'");
      assertThat(s.uploads().quarantined()).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void telemetryOlderThanItsRetentionIsDeletedAndALateOlderMessageStillDoesNotBecomeTheState(
      Backend db) throws Exception {
    long[] now = {1_000_000};
    String url = db.newDatabase(dir);
    try (FleetStore s = Backend.open(url, () -> now[0])) {
      String robot = s.robots().enroll("a", "lab").robotId();
      for (int seq = 1; seq <= 5; seq++)
        s.robots().telemetry(robot, seq, RobotState.BUSY, "{\"seq\": " + seq + "}");
      now[0] += 3_600_000;
      s.robots().telemetry(robot, 6, RobotState.BUSY, "{\"seq\": 6}");
      now[0] += 1_000;
      assertThat(s.robots().pruneTelemetry(3_600_000)).as(url).isEqualTo(5);
      assertThat(s.robots().telemetryCount(robot)).isEqualTo(1);
      assertThat(s.robots().pruneTelemetry(3_600_000)).isZero();
      now[0] += 3_600_000;
      s.robots()
          .pruneTelemetry(3_600_000); // every row is gone now; the robot's state stays on its row
      assertThat(s.robots().telemetryCount(robot)).isZero();
      assertThat(s.robots().find(robot).orElseThrow().state()).isEqualTo(RobotState.BUSY);
      assertThat(s.robots().telemetry(robot, 3, RobotState.OFFLINE, "{\"seq\": 3}"))
          .as("a late resend is history")
          .isTrue();
      assertThat(s.robots().find(robot).orElseThrow().state())
          .as("below the highest seq ever seen")
          .isEqualTo(RobotState.BUSY);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aSilentRobotGoesOfflineAndItsTaskIsQueuedAgain(Backend db) throws Exception {
    long[] now = {1_000};
    try (FleetStore s = Backend.open(db.newDatabase(dir), () -> now[0])) {
      String robot = s.robots().enroll("a", "lab").robotId();
      s.robots().register(robot, "robot", "{}");
      long job = s.tasks().submit(JobDocumentParser.parse(JOB), JOB, 3);
      s.tasks().claim(robot).orElseThrow();
      now[0] += 5_000;
      assertThat(s.robots().expireSilent(10_000)).isZero();
      now[0] += 10_000;
      assertThat(s.robots().expireSilent(10_000)).isEqualTo(1);
      assertThat(s.robots().find(robot).orElseThrow().state()).isEqualTo(RobotState.OFFLINE);
      assertThat(s.tasks().job(job).orElseThrow().queued()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aCanaryRunsTheNewVersionAloneUntilPromotedAndARollbackReturnsTheGroupToThePreviousVersion(
      Backend db) throws Exception {
    try (FleetStore s = db.open(dir)) {
      String a = s.robots().enroll("a", "lab").robotId(),
          b = s.robots().enroll("b", "lab").robotId(),
          other = s.robots().enroll("c", "field").robotId();
      assertThat(s.models().assigned(a)).isEmpty();
      s.models().add("pusht", "1".repeat(64), "/m/1", null);
      s.models().add("pusht", "2".repeat(64), "/m/2", "card");
      long v1 = s.models().deploy("pusht", 1, "lab", false).id();
      assertThat(s.models().assigned(a).orElseThrow().version()).isEqualTo(1);
      assertThat(s.models().assigned(other)).as("another group").isEmpty();
      Records.Deployment canary = s.models().deploy("pusht", 2, "lab", true);
      assertThat(canary.canaryRobotId()).isIn(a, b);
      String first = canary.canaryRobotId(), rest = first.equals(a) ? b : a;
      assertThat(s.models().assigned(first).orElseThrow().version()).isEqualTo(2);
      assertThat(s.models().assigned(rest).orElseThrow().version())
          .as("the rest of the group waits")
          .isEqualTo(1);
      s.models().setStatus(canary.id(), DeploymentStatus.ACTIVE);
      assertThat(s.models().assigned(b).orElseThrow().version()).isEqualTo(2);
      s.models().setStatus(canary.id(), DeploymentStatus.ROLLED_BACK);
      assertThat(s.models().assigned(a).orElseThrow().version()).isEqualTo(1);
      assertThat(s.models().assigned(b).orElseThrow().version()).isEqualTo(1);
      assertThat(s.models().deployment(v1).orElseThrow().status())
          .isEqualTo(DeploymentStatus.ACTIVE);
      assertThatThrownBy(() -> s.models().deploy("pusht", 3, "lab", false))
          .hasMessageContaining("no model pusht version 3");
      assertThatThrownBy(() -> s.models().deploy("pusht", 1, "empty", true))
          .hasMessageContaining("no robot to be the canary");
      assertThatThrownBy(() -> s.models().setStatus(canary.id(), DeploymentStatus.ACTIVE))
          .hasMessageContaining("was rolled back");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void successiveCanariesGoToTheOnlineRobotThatWasACanaryLongestAgo(Backend db) throws Exception {
    try (FleetStore s = db.open(dir)) {
      String a = s.robots().enroll("a", "lab").robotId(),
          b = s.robots().enroll("b", "lab").robotId(),
          c = s.robots().enroll("c", "lab").robotId();
      for (String r : List.of(a, b, c)) s.robots().register(r, "robot", "{}");
      for (int v = 1; v <= 6; v++) s.models().add("pusht", ("" + v).repeat(64), "/m/" + v, null);
      s.models().deploy("pusht", 1, "lab", false);
      List<String> canaries = new ArrayList<>();
      for (int v = 2; v <= 5; v++) {
        Records.Deployment d = s.models().deploy("pusht", v, "lab", true);
        canaries.add(d.canaryRobotId());
        s.models().setStatus(d.id(), DeploymentStatus.ROLLED_BACK);
      }
      // robots enrolled in the same millisecond are ordered by id: which comes first is not pinned
      assertThat(canaries.subList(0, 3))
          .as("each robot once before any twice")
          .containsExactlyInAnyOrder(a, b, c);
      assertThat(canaries.get(3)).as("then the longest ago").isEqualTo(canaries.get(0));
      s.robots().telemetry(canaries.get(1), 1, RobotState.OFFLINE, "{}");
      assertThat(s.models().deploy("pusht", 6, "lab", true).canaryRobotId())
          .as("the robot that was a canary longest ago is offline: the next one")
          .isEqualTo(canaries.get(2));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aTaskThatKeepsLosingItsRobotFailsOnceItsAttemptsAreUsedAndALeavingRobotGivesItsTaskBack(
      Backend db) throws Exception {
    try (FleetStore s = db.open(dir)) {
      String a = s.robots().enroll("a", "lab").robotId();
      s.robots().register(a, "robot", "{}");
      long job =
          s.tasks().submit(JobDocumentParser.parse("# One\n## Only\n"), "# One\n## Only\n", 2);
      s.tasks().claim(a).orElseThrow();
      s.robots().telemetry(a, 1, RobotState.OFFLINE, "{}"); // the agent leaves mid-task
      assertThat(s.tasks().job(job).orElseThrow().queued()).isEqualTo(1);
      s.robots().register(a, "robot", "{}");
      s.tasks().claim(a).orElseThrow(); // attempt 2 of 2
      s.robots().register(a, "robot", "{}"); // the agent crashed and came back: no attempt left
      assertThat(s.tasks().tasks(job).get(0).status()).isEqualTo(TaskStatus.FAILED);
      assertThat(s.tasks().job(job).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }
  }
}
