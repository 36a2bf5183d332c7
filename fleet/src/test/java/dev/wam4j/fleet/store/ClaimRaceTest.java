package dev.wam4j.fleet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.fleet.job.JobDocumentParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two stores on one database, each with its own connection pool (as two server processes would
 * have), claim one job's tasks from many threads at once: every task goes out exactly once, a robot
 * asking through both at once gets one task, a job whose last tasks finish through both at once is
 * done, and a silent robot is taken offline once when both look for silent robots at once.
 */
class ClaimRaceTest {
  static final int TASKS = 200, ROBOTS_PER_STORE = 4;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void twoStoresOnOneDatabaseHandEachTaskToExactlyOneRobot(Backend db) throws Exception {
    String url = db.newDatabase(dir);
    String md = "# Race\n## Only\n- count: " + TASKS + "\n";
    try (FleetStore a = Backend.open(url, System::currentTimeMillis);
        FleetStore b = Backend.open(url, System::currentTimeMillis)) {
      long job = a.tasks().submit(JobDocumentParser.parse(md), md, 1);
      List<FleetStore> storeOf = new ArrayList<>();
      List<String> robotOf = new ArrayList<>();
      for (int i = 0; i < 2 * ROBOTS_PER_STORE; i++) {
        FleetStore s = i % 2 == 0 ? a : b;
        String robot = s.robots().enroll("r" + i, "lab").robotId();
        s.robots().register(robot, "robot", "{}");
        storeOf.add(s);
        robotOf.add(robot);
      }
      Map<Long, String> claimedBy = new ConcurrentHashMap<>();
      List<String> twice = Collections.synchronizedList(new ArrayList<>());
      CyclicBarrier start = new CyclicBarrier(robotOf.size());
      int share = TASKS / robotOf.size();
      ExecutorService pool = Executors.newFixedThreadPool(robotOf.size());
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < robotOf.size(); i++) {
          FleetStore s = storeOf.get(i);
          String robot = robotOf.get(i);
          done.add(
              pool.submit(
                  () -> {
                    start.await();
                    int n = 0;
                    // each robot takes its share and stops: under one store's file lock the other
                    // store's robots could otherwise be starved and the race never happen
                    while (n < share) {
                      Optional<Records.Task> t = s.tasks().claim(robot);
                      if (t.isEmpty()) break;
                      String other = claimedBy.putIfAbsent(t.get().id(), robot);
                      if (other != null)
                        twice.add("task " + t.get().id() + " to " + other + " and " + robot);
                      assertThat(t.get().robotId()).as("the claimed task's robot").isEqualTo(robot);
                      s.tasks().finish(robot, t.get().id(), true, "{}");
                      n++;
                    }
                    return n;
                  }));
        }
        int claims = 0;
        for (Future<Integer> f : done) claims += f.get(60, TimeUnit.SECONDS);
        assertThat(twice).as("tasks handed out twice").isEmpty();
        assertThat(claims).isEqualTo(TASKS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(claimedBy).hasSize(TASKS);
      assertThat(a.tasks().tasks(job))
          .allSatisfy(t -> assertThat(t.attempts()).as("task %d's attempts", t.id()).isEqualTo(1))
          .allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.DONE));
      assertThat(b.tasks().job(job).orElseThrow().status()).isEqualTo(JobStatus.DONE);
      for (String robot : robotOf)
        assertThat(claimedBy.values().stream().filter(robot::equals).count())
            .as(
                "robot %s of store %s took its share",
                robot, robotOf.indexOf(robot) % 2 == 0 ? "a" : "b")
            .isEqualTo(share);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aRobotAskingThroughBothStoresAtOnceGetsOneTask(Backend db) throws Exception {
    String url = db.newDatabase(dir);
    String md = "# Twice\n## Only\n- count: 40\n";
    try (FleetStore a = Backend.open(url, System::currentTimeMillis);
        FleetStore b = Backend.open(url, System::currentTimeMillis)) {
      long job = a.tasks().submit(JobDocumentParser.parse(md), md, 1);
      String robot = a.robots().enroll("r", "lab").robotId();
      a.robots().register(robot, "robot", "{}");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          CyclicBarrier start = new CyclicBarrier(2);
          Future<Long> viaA = pool.submit(() -> claimAfter(start, a, robot)),
              viaB = pool.submit(() -> claimAfter(start, b, robot));
          long task = viaA.get(30, TimeUnit.SECONDS);
          assertThat(viaB.get(30, TimeUnit.SECONDS)).as("round %d", round).isEqualTo(task);
          a.tasks().finish(robot, task, true, "{}");
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(a.tasks().job(job).orElseThrow().done()).isEqualTo(20);
      assertThat(a.tasks().job(job).orElseThrow().assigned()).as("held by nobody").isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void theLastTwoTasksFinishedThroughBothStoresAtOnceFinishTheJob(Backend db) throws Exception {
    String url = db.newDatabase(dir);
    String md = "# Pair\n## Only\n- count: 2\n";
    try (FleetStore a = Backend.open(url, System::currentTimeMillis);
        FleetStore b = Backend.open(url, System::currentTimeMillis)) {
      String ra = a.robots().enroll("a", "lab").robotId(),
          rb = b.robots().enroll("b", "lab").robotId();
      a.robots().register(ra, "robot", "{}");
      b.robots().register(rb, "robot", "{}");
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          long job = a.tasks().submit(JobDocumentParser.parse(md), md, 1);
          long ta = a.tasks().claim(ra).orElseThrow().id(),
              tb = b.tasks().claim(rb).orElseThrow().id();
          CyclicBarrier start = new CyclicBarrier(2);
          Future<?> viaA = pool.submit(() -> finishAfter(start, a, ra, ta)),
              viaB = pool.submit(() -> finishAfter(start, b, rb, tb));
          viaA.get(30, TimeUnit.SECONDS);
          viaB.get(30, TimeUnit.SECONDS);
          assertThat(a.tasks().job(job).orElseThrow().status())
              .as("round %d", round)
              .isEqualTo(JobStatus.DONE);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  void aSilentRobotGoesOfflineOnceWhenBothStoresLookAtOnce(Backend db) throws Exception {
    String url = db.newDatabase(dir);
    AtomicLong clock = new AtomicLong(1_000_000);
    try (FleetStore a = Backend.open(url, clock::get);
        FleetStore b = Backend.open(url, clock::get)) {
      String robot = a.robots().enroll("r", "lab").robotId();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          a.robots().register(robot, "robot", "{}"); // seen now, idle
          clock.addAndGet(20_000);
          CyclicBarrier start = new CyclicBarrier(2);
          Future<Integer> viaA = pool.submit(() -> expireAfter(start, a)),
              viaB = pool.submit(() -> expireAfter(start, b));
          assertThat(viaA.get(30, TimeUnit.SECONDS) + viaB.get(30, TimeUnit.SECONDS))
              .as("robots taken offline in round %d, by both servers together", round)
              .isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aDatabaseLockIsHeldByOneStoreAtATimeOnPostgres() throws Exception {
    String url = Backend.POSTGRES.newDatabase(dir);
    try (FleetStore a = Backend.open(url, System::currentTimeMillis);
        FleetStore b = Backend.open(url, System::currentTimeMillis)) {
      CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<String> first =
            pool.submit(
                () ->
                    a.exclusively(
                        "flywheel",
                        () -> {
                          held.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            throw new java.io.IOException("interrupted", e);
                          }
                          return "a";
                        }));
        held.await(30, TimeUnit.SECONDS);
        assertThat(b.exclusivelyIfFree("flywheel", () -> null)).as("while A holds it").isFalse();
        assertThat(b.exclusivelyIfFree("another", () -> null)).as("another lock").isTrue();
        Future<String> stopped = pool.submit(() -> b.exclusively("flywheel", () -> "never"));
        assertThatThrownBy(() -> stopped.get(1, TimeUnit.SECONDS))
            .isInstanceOf(TimeoutException.class);
        stopped.cancel(true); // a server shutting down stops waiting for the lock
        Future<String> second = pool.submit(() -> b.exclusively("flywheel", () -> "b"));
        assertThatThrownBy(() -> second.get(1, TimeUnit.SECONDS))
            .as("B waits while A holds it")
            .isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(second.get(30, TimeUnit.SECONDS)).as("B's turn once A let go").isEqualTo("b");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static int expireAfter(CyclicBarrier start, FleetStore s) throws Exception {
    start.await();
    return s.robots().expireSilent(10_000);
  }

  private static Void finishAfter(CyclicBarrier start, FleetStore s, String robot, long task)
      throws Exception {
    start.await();
    s.tasks().finish(robot, task, true, "{}");
    return null;
  }

  private static long claimAfter(CyclicBarrier start, FleetStore s, String robot) throws Exception {
    start.await();
    return s.tasks().claim(robot).orElseThrow().id();
  }
}
