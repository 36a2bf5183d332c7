package dev.wam4j.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DesignCheckTest {
  @Test
  void theWorkspaceIsTheFloorInsidePushTsWalls() {
    assertThat(DesignCheck.Workspace.pushT()).isEqualTo(new DesignCheck.Workspace(7, 7, 504, 504));
  }

  @Test
  void aLayoutWithRoomForEveryPartPasses() {
    // an I at angle 0 hangs 120 px down from its origin; a T's stem ends 120 px below its bar's top
    String design =
        "# Gate\n## Parts\n- left post: I at 180, 250, 0\n- right post: I at 332, 250, 0\n- lintel: T at 256, 120, 0\n";
    assertThatCode(() -> DesignCheck.check(DesignParser.parse(design))).doesNotThrowAnyException();
  }

  @Test
  void theIssuesExampleHasItsRightPostInTheLintelsStem() {
    // origins as in scene files (a part's top middle): rotated by pi/2, the right post spans x
    // 242..362,
    // y 280..320, and the lintel's stem x 241..271, y 200..290: 29 x 10 px shared
    assertThatThrownBy(() -> DesignCheck.check(DesignParser.parse(DesignParserTest.GATE)))
        .isInstanceOf(DesignException.class)
        .hasMessage(
            "line 7: the targets of 'right post' (line 6) and 'lintel' overlap by 290 square pixels");
  }

  @Test
  void aTargetOrStartOutsideTheWallsIsRefused() {
    assertThatThrownBy(
            () -> DesignCheck.check(DesignParser.parse("# X\n## Parts\n- a: T at 256, 450, 0\n")))
        .hasMessageStartingWith(
            "line 3: the target of 'a' reaches outside the workspace (x and y in 7..504)");
    assertThatThrownBy(
            () ->
                DesignCheck.check(
                    DesignParser.parse("# X\n## Parts\n- a: T at 256, 200, 0 from 20, 200, 0\n")))
        .hasMessageStartingWith("line 3: the start of 'a' reaches outside the workspace");
  }

  @Test
  void partsThatOnlyTouchDoNotOverlapButStartsOnTopOfEachOtherDo() {
    // two I bars side by side, sharing an edge
    assertThatCode(
            () ->
                DesignCheck.check(
                    DesignParser.parse(
                        "# X\n## Parts\n- a: I at 200, 200, 0\n- b: I at 240, 200, 0\n")))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                DesignCheck.check(
                    DesignParser.parse(
                        "# X\n## Parts\n- a: I at 100, 100, 0 from 300, 300, 0\n- b: I at 300, 100, 0 from 310, 300, 0\n")))
        .hasMessage("line 4: the starts of 'a' (line 3) and 'b' overlap");
  }
}
