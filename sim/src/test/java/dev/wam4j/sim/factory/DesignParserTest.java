package dev.wam4j.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.cousins.ShapeFamily;
import dev.wam4j.sim.scene.Pose;
import org.junit.jupiter.api.Test;

class DesignParserTest {
  /** The issue's example, verbatim. */
  static final String GATE =
      """
      # Gate
      Two posts and a lintel, pushed into place from wherever the feeder drops them.

      ## Parts
      - left post: I at 150, 300, 1.5708
      - right post: I at 362, 300, 1.5708
      - lintel: T at 256, 170, 0

      ## Options
      - tolerance: 0.9
      - robots: 2
      """;

  @Test
  void theIssuesExampleReadsAsThreePartsAndItsOptions() {
    Design d = DesignParser.parse(GATE);
    assertThat(d.title()).isEqualTo("Gate");
    assertThat(d.description()).startsWith("Two posts and a lintel");
    assertThat(d.parts())
        .extracting(Design.Part::name)
        .containsExactly("left post", "right post", "lintel");
    Design.Part lintel = d.parts().get(2);
    assertThat(lintel.shape()).isEqualTo(ShapeFamily.T);
    assertThat(lintel.target()).isEqualTo(new Pose(256, 170, 0));
    assertThat(lintel.from()).as("the feeder drops it").isNull();
    assertThat(lintel.line()).isEqualTo(7);
    assertThat(d.options()).isEqualTo(new Design.Options(0.9, 2, 20, null));
  }

  @Test
  void aStartPoseAndEveryOptionAreRead() {
    Design d =
        DesignParser.parse(
            "# Bar\n## Parts\n- bar: plus at 200, 200, -0.5 from 100.5, 400, 3\n## Options\n- max-minutes: 5\n- seed: 42\n");
    assertThat(d.parts().get(0).shape()).isEqualTo(ShapeFamily.PLUS);
    assertThat(d.parts().get(0).from()).isEqualTo(new Pose(100.5, 400, 3));
    assertThat(d.options()).isEqualTo(new Design.Options(0.9, 1, 5, 42L));
  }

  @Test
  void everyProblemNamesItsLine() {
    assertThatThrownBy(() -> DesignParser.parse("# X\n## Parts\n- a: Q at 1, 2, 3\n"))
        .isInstanceOf(DesignException.class)
        .hasMessage("line 3: part 'a': unknown shape family 'Q' (expected T, L, I or plus)");
    assertThatThrownBy(() -> DesignParser.parse("# X\n## Parts\n- a: T at 1, 2\n"))
        .hasMessageStartingWith("line 3: a part is '- NAME: SHAPE");
    assertThatThrownBy(
            () -> DesignParser.parse("# X\n## Parts\n- a: T at 1, 2, 3\n- a: I at 9, 9, 0\n"))
        .hasMessage("line 4: a second part named 'a'");
    assertThatThrownBy(
            () -> DesignParser.parse("# X\n## Parts\n- a: T at 1, 2, 3\n## Options\n- speed: 3\n"))
        .hasMessage("line 5: unknown option 'speed' (tolerance, robots, max-minutes, seed)");
    assertThatThrownBy(
            () ->
                DesignParser.parse(
                    "# X\n## Parts\n- a: T at 1, 2, 3\n## Options\n- tolerance: 1.5\n"))
        .hasMessage("line 5: tolerance must lie in (0, 1], got 1.5");
    assertThatThrownBy(
            () -> DesignParser.parse("# X\n## Parts\n- a: T at 1, 2, 3\n## Options\n- robots: 0\n"))
        .hasMessage("line 5: robots must lie in 1..8, got 0");
    assertThatThrownBy(() -> DesignParser.parse("# X\n## Options\n- robots: 1\n"))
        .hasMessageContaining("no parts");
    assertThatThrownBy(() -> DesignParser.parse("## Parts\n"))
        .hasMessage("line 1: the design starts with '# <product name>'");
    assertThatThrownBy(() -> DesignParser.parse("# X\n## Steps\n"))
        .hasMessageStartingWith("line 2: unknown section 'Steps'");
    assertThatThrownBy(() -> DesignParser.parse("# X\n## Parts\n* a: T at 1, 2, 3\n"))
        .hasMessageStartingWith("line 3: list items here start with '- '");
    assertThatThrownBy(
            () ->
                DesignParser.parse(
                    "# X\n## Parts\n- a: T at 1, 2, 3\n## Options\n- robots: 4294967297\n"))
        .hasMessage("line 5: robots must lie in 1..8, got 4294967297");
  }
}
