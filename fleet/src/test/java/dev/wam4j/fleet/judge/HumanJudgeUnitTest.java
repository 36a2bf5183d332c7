package dev.wam4j.fleet.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.eval.turing.PusherTrace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge without HTTP: orders drawn per judge and sides per (judge, pair), both stable across
 * restarts; both clips of a pair equally long; a judge's score kept back until they are done;
 * answers kept and refused as they should be, one robot per file, a torn last line skipped.
 */
class HumanJudgeUnitTest {
  @TempDir Path tmp;

  static List<HumanJudge.Pair> pairs(int n) {
    List<HumanJudge.Pair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = {100, 110 + i}, y = {100, 100};
      out.add(
          new HumanJudge.Pair(
              i,
              i,
              PusherTrace.withFixedBlock("human", i, x, y, 256, 256, 0),
              PusherTrace.withFixedBlock("robot", i, new double[] {100, 140}, y, 256, 256, 0)));
    }
    return out;
  }

  static String robotSide(HumanJudge.Shown s) {
    return s.left().pusher().equals("robot") ? HumanJudge.LEFT : HumanJudge.RIGHT;
  }

  @Test
  void answersAreCountedKeptAndReadBack() throws Exception {
    Path file = tmp.resolve("j/judgements.jsonl");
    HumanJudge j = HumanJudge.of(pairs(40), file, 7);
    int lefts = 0;
    List<Integer> order = j.order("ada");
    for (int i = 0; i < 40; i++) {
      HumanJudge.Shown s = j.next("ada");
      assertThat(s.pair()).isEqualTo(order.get(i));
      assertThat(s.answered()).isEqualTo(i);
      if (robotSide(s).equals(HumanJudge.LEFT)) lefts++;
      assertThat(j.answer("ada", s.pair(), robotSide(s)).correct()).isTrue();
    }
    assertThat(lefts).as("the sides are drawn, not fixed").isBetween(8, 32);
    assertThat(j.next("ada")).isNull();
    HumanJudge.Shown b = j.next("bob");
    String wrong = robotSide(b).equals(HumanJudge.LEFT) ? HumanJudge.RIGHT : HumanJudge.LEFT;
    assertThat(j.answer("bob", b.pair(), wrong).correct()).isFalse();
    Tally t = j.tally();
    assertThat(t.humanJudgements()).isEqualTo(41);
    assertThat(t.humanCorrect()).isEqualTo(40);
    assertThat(t.judges()).isEqualTo(2);
    assertThat(j.tally("ada").humanAccuracy()).isEqualTo(1.0);
    assertThat(Files.readAllLines(file)).hasSize(41);

    // a restart reads them back and draws the same sides
    HumanJudge again = HumanJudge.of(pairs(40), file, 7);
    assertThat(again.tally()).usingRecursiveComparison().isEqualTo(t);
    assertThat(again.next("bob").pair()).isEqualTo(j.order("bob").get(1));
    assertThat(robotSide(again.next("bob"))).isEqualTo(robotSide(j.next("bob")));
  }

  @Test
  void badAnswersAreRefusedWithAReason() throws Exception {
    HumanJudge j = HumanJudge.of(pairs(2), tmp.resolve("judgements.jsonl"), 0);
    assertThatThrownBy(() -> j.next(" ")).hasMessageContaining("name is required");
    assertThatThrownBy(() -> j.answer("", 0, "left")).hasMessageContaining("name is required");
    assertThatThrownBy(() -> j.answer("ada", 0, "left"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not shown");
    int shown = j.next("ada").pair();
    assertThatThrownBy(() -> j.answer("ada", shown, "middle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"left\" or \"right\"");
    assertThatThrownBy(() -> j.answer("ada", 5, "left")).isInstanceOf(NoSuchElementException.class);
    j.answer("ada", shown, "left");
    assertThatThrownBy(() -> j.answer("ada", shown, "right"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already answered");
    assertThat(j.tally().humanJudgements()).isEqualTo(1);
  }

  @Test
  void aTornLastLineIsSkippedAndTheNextAnswerStartsAFreshLine() throws Exception {
    Path file = tmp.resolve("judgements.jsonl");
    HumanJudge j = HumanJudge.of(pairs(3), file, 0);
    List<Integer> order = j.order("ada");
    j.next("ada");
    j.answer("ada", order.get(0), "left");
    Files.writeString(
        file,
        "{\"judge\":\"ada\",\"pair\":1,\"se",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    HumanJudge again = HumanJudge.of(pairs(3), file, 0);
    assertThat(again.tally().humanJudgements()).isEqualTo(1);
    assertThat(again.next("ada").pair()).isEqualTo(order.get(1));
    again.answer("ada", order.get(1), "right");
    assertThat(HumanJudge.of(pairs(3), file, 0).tally().humanJudgements()).isEqualTo(2);

    // a broken line in the middle is an error, not skipped
    Files.writeString(file, "not json\n" + Files.readString(file));
    assertThatThrownBy(() -> HumanJudge.of(pairs(3), file, 0))
        .hasMessageContaining("line 1 is not a judgement");
  }

  @Test
  void eachJudgeGetsThePairsInAnOrderOfTheirOwnTheSameAfterARestart() throws Exception {
    Path file = tmp.resolve("judgements.jsonl");
    HumanJudge j = HumanJudge.of(pairs(40), file, 7);
    List<Integer> ada = j.order("ada"), bob = j.order("bob");
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) all.add(i);
    assertThat(ada).containsExactlyInAnyOrderElementsOf(all).isNotEqualTo(all);
    assertThat(bob).containsExactlyInAnyOrderElementsOf(all).isNotEqualTo(ada);
    // drawn from (seed, judge): a restart, or another judge object, gives the same order
    assertThat(HumanJudge.of(pairs(40), file, 7).order("ada")).isEqualTo(ada);
    assertThat(HumanJudge.of(pairs(40), file, 8).order("ada")).isNotEqualTo(ada);
    // and next() follows it, across a restart midway
    for (int i = 0; i < 20; i++) {
      HumanJudge.Shown s = j.next("ada");
      assertThat(s.pair()).isEqualTo(ada.get(i));
      j.answer("ada", s.pair(), robotSide(s));
    }
    HumanJudge again = HumanJudge.of(pairs(40), file, 7);
    for (int i = 20; i < 40; i++) {
      HumanJudge.Shown s = again.next("ada");
      assertThat(s.pair()).isEqualTo(ada.get(i));
      again.answer("ada", s.pair(), robotSide(s));
    }
    assertThat(again.next("ada")).isNull();
  }

  @Test
  void bothClipsOfAPairAreEquallyLongTheShorterHeldOnItsLastState() throws Exception {
    double[] hx = {100, 110, 120, 130, 140}, hy = {100, 101, 102, 103, 104};
    PusherTrace human = PusherTrace.withFixedBlock("human", 0, hx, hy, 256, 256, 0);
    PusherTrace robot =
        new PusherTrace(
            "robot",
            0,
            new double[] {100, 150},
            new double[] {100, 90},
            new double[] {256, 260},
            new double[] {256, 250},
            new double[] {0, 0.5});
    HumanJudge j =
        HumanJudge.of(
            List.of(new HumanJudge.Pair(0, 0, human, robot)), tmp.resolve("judgements.jsonl"), 0);
    HumanJudge.Shown s = j.next("ada");
    assertThat(s.left().length()).isEqualTo(5);
    assertThat(s.right().length()).isEqualTo(5);
    PusherTrace shownRobot = robotSide(s).equals(HumanJudge.LEFT) ? s.left() : s.right();
    PusherTrace shownHuman = robotSide(s).equals(HumanJudge.LEFT) ? s.right() : s.left();
    assertThat(shownHuman).isEqualTo(human); // the longer clip: nothing cut
    assertThat(shownRobot.agentX()).containsExactly(100, 150, 150, 150, 150);
    assertThat(shownRobot.agentY()).containsExactly(100, 90, 90, 90, 90);
    assertThat(shownRobot.blockX()).containsExactly(256, 260, 260, 260, 260);
    assertThat(shownRobot.blockY()).containsExactly(256, 250, 250, 250, 250);
    assertThat(shownRobot.blockAngle()).containsExactly(0, 0.5, 0.5, 0.5, 0.5);
    // the pair itself keeps the robot's own episode
    assertThat(j.pairs().get(0).robot()).isEqualTo(robot);
  }

  @Test
  void aJudgesScoreIsTheirsOnlyOnceEveryPairIsAnswered() throws Exception {
    HumanJudge j = HumanJudge.of(pairs(3), tmp.resolve("judgements.jsonl"), 0);
    for (int i = 0; i < 3; i++) {
      assertThat(j.done("ada")).isFalse();
      assertThat(j.answered("ada")).isEqualTo(i);
      HumanJudge.Shown s = j.next("ada");
      j.answer("ada", s.pair(), HumanJudge.LEFT);
    }
    assertThat(j.done("ada")).isTrue();
    assertThat(j.done("bob")).isFalse();
  }

  @Test
  void aJudgementsFileHoldsOneRobotsAnswers() throws Exception {
    Path file = tmp.resolve("judgements.jsonl");
    HumanJudge expert = HumanJudge.of(pairs(3), file, 0);
    assertThat(expert.robot()).isEqualTo(HumanJudge.EXPERT);
    expert.answer("ada", expert.next("ada").pair(), HumanJudge.LEFT);
    assertThat(Files.readString(file)).contains("\"robot\":\"expert\"");
    assertThatThrownBy(() -> HumanJudge.of(pairs(3), "/ckpt/a", file, 0))
        .hasMessageContaining("about the robot 'expert', not '/ckpt/a'")
        .hasMessageContaining("a judgements file of its own");

    // a line from before the robot was recorded was about the expert
    Path old = tmp.resolve("old.jsonl");
    Files.writeString(
        old,
        "{\"judge\":\"ada\",\"pair\":0,\"seed\":0,\"robot_side\":\"left\",\"answer\":\"left\","
            + "\"correct\":true,\"at\":\"2026-12-06T00:00:00Z\"}\n");
    assertThat(HumanJudge.of(pairs(3), old, 0).tally().humanJudgements()).isEqualTo(1);
    assertThatThrownBy(() -> HumanJudge.of(pairs(3), "/ckpt/a", old, 0))
        .hasMessageContaining("about the robot 'expert'");

    Path mine = tmp.resolve("ckpt.jsonl");
    HumanJudge policy = HumanJudge.of(pairs(3), "/ckpt/a", mine, 0);
    policy.answer("bob", policy.next("bob").pair(), HumanJudge.RIGHT);
    assertThat(HumanJudge.of(pairs(3), "/ckpt/a", mine, 0).tally().humanJudgements()).isEqualTo(1);
  }

  @Test
  void theDrawsSeedIsASecretKeptBesideTheJudgementsOwnerOnly(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path judgements = dir.resolve("judgements.jsonl");
    long first = JudgeSources.secretSeed(judgements);
    assertThat(JudgeSources.secretSeed(judgements)).as("the same after a restart").isEqualTo(first);
    Path secret = dir.resolve("judgements.jsonl.secret");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(secret)))
        .isEqualTo("rw-------");
    assertThat(JudgeSources.secretSeed(dir.resolve("other.jsonl"))).isNotEqualTo(first);
    java.nio.file.Files.writeString(secret, "not a number");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JudgeSources.secretSeed(judgements))
        .hasMessageContaining("judgements.jsonl.secret: expected the judges' secret seed");
    // names whose String.hashCode collide still get orders of their own
    assertThat(HumanJudge.nameHash("Aa")).isNotEqualTo(HumanJudge.nameHash("BB"));
  }

  @Test
  void answersToUnknownPairsOrAnsweredTwiceAreNotCountedWhenReadBack(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("judgements.jsonl");
    HumanJudge j = HumanJudge.of(pairs(2), file, 0);
    for (int k = 0; k < 2; k++) {
      HumanJudge.Shown s = j.next("ada");
      j.answer("ada", s.pair(), "left");
    }
    List<String> lines = Files.readAllLines(file);
    // the same answer twice (two processes on one file) and one to a pair of another set
    Files.writeString(
        file,
        String.join("\n", lines)
            + "\n"
            + lines.get(0)
            + "\n"
            + lines.get(0).replaceFirst("\"pair\"\\s*:\\s*\\d+", "\"pair\":7")
            + "\n");
    HumanJudge again = HumanJudge.of(pairs(2), file, 0);
    assertThat(again.answered("ada")).isEqualTo(2);
    assertThat(again.done("ada")).isTrue();
    assertThat(again.tally().humanJudgements()).isEqualTo(2);
  }
}
