package dev.wam4j.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.Embodiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ReachabilityTest {
  private static final double RADIUS = Embodiment.RobotPusher.reference().radius();

  /**
   * Seven pluses from the top-left corner to the bottom-right one, each with an arm in the next
   * one's top-left notch (steps of 75 x 45 and 45 x 75 px): every plus holds its neighbours, the
   * walls hold the two ends.
   */
  static final String CHAIN =
      """
      # Chain
      ## Parts
      - p0: plus at 67, 7, 0
      - p1: plus at 142, 52, 0
      - p2: plus at 187, 127, 0
      - p3: plus at 262, 172, 0
      - p4: plus at 307, 247, 0
      - p5: plus at 382, 292, 0
      - p6: plus at 427, 367, 0
      """;

  @Test
  void everyShippedDesignIsReachable() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("..", "configs", "designs"))) {
      files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("arch.md", "gate.md", "pair.md", "workshop.md");
    for (Path f : files) {
      assertThatCode(() -> DesignParser.read(f)).as(f.toString()).doesNotThrowAnyException();
    }
  }

  @Test
  void aChainOfPlusesLockedFromWallToWallIsUnreachable() {
    assertThatThrownBy(() -> DesignCheck.check(DesignParser.parse(CHAIN)))
        .isInstanceOf(DesignException.class)
        .hasMessage(
            "line 3: unreachable layout: no straight approach into the target of 'p0' is free of"
                + " the walls and the targets of 'p1' (line 4) and leaves a pusher room behind it,"
                + " whatever the order of placement");
    // one link fewer and the last plus slides in from the open floor, then the rest in turn
    String shorter = CHAIN.substring(0, CHAIN.indexOf("- p6"));
    assertThatCode(() -> DesignCheck.check(DesignParser.parse(shorter))).doesNotThrowAnyException();
  }

  @Test
  void aPartBoxedInByPartsThatCanComeLaterIsReachable() {
    // a plus ringed by six I bars that touch it and each other: no slide gets into the ring, but
    // the plus goes first and each bar comes in from outside
    Design ring =
        DesignParser.parse(
            """
            # Ring
            ## Parts
            - hub: plus at 256, 196, 0
            - top left: I at 276, 176, 1.5707963267948966
            - top right: I at 396, 176, 1.5707963267948966
            - right: I at 336, 196, 0
            - bottom left: I at 276, 336, 1.5707963267948966
            - bottom right: I at 396, 336, 1.5707963267948966
            - left: I at 176, 196, 0
            """);
    assertThat(Reachability.freeApproaches(ring, 0, DesignCheck.Workspace.pushT(), RADIUS))
        .isEmpty();
    assertThatCode(() -> DesignCheck.check(ring)).doesNotThrowAnyException();
  }

  @Test
  void aPartInAPocketComesInFromItsOpenSideOnly() {
    // an I bar between two others on a crosswise one: only the slide straight down fits
    Design pocket =
        DesignParser.parse(
            """
            # Pocket
            ## Parts
            - key: I at 236, 200, 0
            - left: I at 196, 200, 0
            - right: I at 276, 200, 0
            - floor: I at 296, 340, 1.5707963267948966
            """);
    assertThat(Reachability.freeApproaches(pocket, 0, DesignCheck.Workspace.pushT(), RADIUS))
        .containsExactly(Math.PI / 2);
    assertThatCode(() -> DesignCheck.check(pocket)).doesNotThrowAnyException();
  }
}
