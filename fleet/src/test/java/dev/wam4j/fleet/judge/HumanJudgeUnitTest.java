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
 * The judge without HTTP: sides drawn per (judge, pair) and stable across restarts, answers kept
 * and refused as they should be, a torn last line skipped.
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
    for (int i = 0; i < 40; i++) {
      HumanJudge.Shown s = j.next("ada");
      assertThat(s.pair()).isEqualTo(i);
      assertThat(s.answered()).isEqualTo(i);
      if (robotSide(s).equals(HumanJudge.LEFT)) lefts++;
      assertThat(j.answer("ada", s.pair(), robotSide(s)).correct()).isTrue();
    }
    assertThat(lefts).as("the sides are drawn, not fixed").isBetween(8, 32);
    assertThat(j.next("ada")).isNull();
    HumanJudge.Shown b = j.next("bob");
    String wrong = robotSide(b).equals(HumanJudge.LEFT) ? HumanJudge.RIGHT : HumanJudge.LEFT;
    assertThat(j.answer("bob", 0, wrong).correct()).isFalse();
    Tally t = j.tally();
    assertThat(t.humanJudgements()).isEqualTo(41);
    assertThat(t.humanCorrect()).isEqualTo(40);
    assertThat(t.judges()).isEqualTo(2);
    assertThat(j.tally("ada").humanAccuracy()).isEqualTo(1.0);
    assertThat(Files.readAllLines(file)).hasSize(41);

    // a restart reads them back and draws the same sides
    HumanJudge again = HumanJudge.of(pairs(40), file, 7);
    assertThat(again.tally()).usingRecursiveComparison().isEqualTo(t);
    assertThat(again.next("bob").pair()).isEqualTo(1);
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
    j.next("ada");
    assertThatThrownBy(() -> j.answer("ada", 0, "middle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"left\" or \"right\"");
    assertThatThrownBy(() -> j.answer("ada", 5, "left")).isInstanceOf(NoSuchElementException.class);
    j.answer("ada", 0, "left");
    assertThatThrownBy(() -> j.answer("ada", 0, "right"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already answered");
    assertThat(j.tally().humanJudgements()).isEqualTo(1);
  }

  @Test
  void aTornLastLineIsSkippedAndTheNextAnswerStartsAFreshLine() throws Exception {
    Path file = tmp.resolve("judgements.jsonl");
    HumanJudge j = HumanJudge.of(pairs(3), file, 0);
    j.next("ada");
    j.answer("ada", 0, "left");
    Files.writeString(
        file,
        "{\"judge\":\"ada\",\"pair\":1,\"se",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    HumanJudge again = HumanJudge.of(pairs(3), file, 0);
    assertThat(again.tally().humanJudgements()).isEqualTo(1);
    assertThat(again.next("ada").pair()).isEqualTo(1);
    again.answer("ada", 1, "right");
    assertThat(HumanJudge.of(pairs(3), file, 0).tally().humanJudgements()).isEqualTo(2);

    // a broken line in the middle is an error, not skipped
    Files.writeString(file, "not json\n" + Files.readString(file));
    assertThatThrownBy(() -> HumanJudge.of(pairs(3), file, 0))
        .hasMessageContaining("line 1 is not a judgement");
  }
}
