package dev.wam4j.sim.cousins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.render.Rgb;
import dev.wam4j.sim.scene.Scene;
import dev.wam4j.sim.scene.SceneFileException;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CousinsTest {
  private static final String WIDE =
      """
      {"shapes": ["T", "L", "I", "plus"], "scale": [0.8, 1.2],
       "goal": {"x": [200, 300], "y": [200, 300], "angle": [-3.14, 3.14]},
       "friction": [0, 0.5], "mass": [0.5, 2],
       "colours": {"background": {"min": [200, 200, 200], "max": [255, 255, 255]}, "goal": [144, 238, 144],
                   "block": {"min": [60, 60, 60], "max": [200, 200, 200]}},
       "camera": {"dx": [-4, 4], "dy": [-4, 4], "rotation": [-0.05, 0.05], "zoom": [0.95, 1.05]}}
      """;

  @Test
  void referenceConfigReproducesPushTForAnySeed() {
    for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
      Cousin c = Cousins.sample(CousinConfig.reference(), seed);
      assertThat(c.scene()).isEqualTo(Scene.pushT());
      assertThat(c.appearance()).isEqualTo(Appearance.reference());
    }
  }

  @Test
  void emptyConfigFileIsTheReference() {
    assertThat(CousinConfig.parse("{}", "empty.json")).isEqualTo(CousinConfig.reference());
  }

  @Test
  void sameSeedGivesTheSameCousinAndSeedsDiffer() {
    CousinConfig cfg = CousinConfig.parse(WIDE, "wide.json");
    assertThat(Cousins.sample(cfg, 7)).isEqualTo(Cousins.sample(cfg, 7));
    assertThat(Cousins.sample(cfg, 7)).isNotEqualTo(Cousins.sample(cfg, 8));
  }

  @Test
  void samplesStayInsideTheConfiguredRangesAndCoverEveryShape() {
    CousinConfig cfg = CousinConfig.parse(WIDE, "wide.json");
    Set<String> names = new java.util.HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      Cousin c = Cousins.sample(cfg, seed);
      names.add(c.scene().goalObject().name());
      assertThat(c.scene().goal().pose().x()).isBetween(200.0, 300.0);
      assertThat(c.scene().goalObject().mass()).isBetween(0.5, 2.0);
      assertThat(c.scene().goalObject().friction()).isBetween(0.0, 0.5);
      assertThat(c.appearance().background().r()).isBetween(200, 255);
      assertThat(c.appearance().goal()).isEqualTo(new Rgb(144, 238, 144));
      assertThat(c.appearance().camera().zoom()).isBetween(0.95, 1.05);
    }
    assertThat(names).hasSize(EnumSet.allOf(ShapeFamily.class).size());
  }

  @Test
  void physicsRangesAreDrawnAfterEverythingElseSoOlderConfigsKeepTheirCousins() {
    CousinConfig wide = CousinConfig.parse(WIDE, "wide.json");
    CousinConfig slippery =
        CousinConfig.parse(
            WIDE.strip()
                .replaceFirst(
                    "}$",
                    ", \"physics\": {\"damping\": [0.02, 0.05], \"kp\": [80, 120], \"kv\": 25}}"),
            "slippery.json");
    for (long seed = 0; seed < 50; seed++) {
      Cousin plain = Cousins.sample(wide, seed), shifted = Cousins.sample(slippery, seed);
      assertThat(plain.scene().physics()).isEqualTo(Scene.pushT().physics());
      assertThat(shifted.appearance()).isEqualTo(plain.appearance());
      assertThat(shifted.scene().goal()).isEqualTo(plain.scene().goal());
      assertThat(shifted.scene().goalObject()).isEqualTo(plain.scene().goalObject());
      assertThat(shifted.scene().physics().damping()).isBetween(0.02, 0.05);
      assertThat(shifted.scene().physics().kp()).isBetween(80.0, 120.0);
      assertThat(shifted.scene().physics().kv()).isEqualTo(25.0);
      assertThat(shifted.scene().physics().maxSteps()).isEqualTo(300);
    }
  }

  @Test
  void scaledTeeKeepsTheReferenceInertiaQuirkScaled() {
    CousinConfig cfg = CousinConfig.parse("{\"scale\": 2, \"mass\": 3}", "big.json");
    var tee = Cousins.sample(cfg, 0).scene().goalObject();
    assertThat(tee.moment()).isEqualTo(3000.0 * 3 * 4);
    assertThat(tee.cogY()).isEqualTo(90.0);
    assertThat(tee.area()).isEqualTo(6300.0 * 4);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      {"shapes": ["T", "Z"]}                       | shapes[1]: unknown shape family 'Z'
      {"scale": [1.2, 0.8]}                        | scale: range must be finite with min <= max
      {"mass": [0, 1]}                             | : mass: must be > 0
      {"goal": {"z": 1}}                           | goal.z: unknown field
      {"colours": {"block": [1, 2]}}               | colours.block: expected [r, g, b]
      {"colours": {"wall": [1, 2, 300]}}           | colours.wall: colour (1, 2, 300) has a channel outside 0..255
      {"camera": {"zoom": "big"}}                  | camera.zoom: expected a number, got a string
      {"shapes": ["T", "T"]}                       | : shapes: duplicate shape family
      {"physics": {"damping": [0, 2]}}             | : physics.damping: must lie in [0, 1]
      {"physics": {"kd": 3}}                       | physics.kd: unknown field
      """)
  void badConfigNamesTheFileAndTheField(String json, String expected) {
    String prefix = expected.startsWith(":") ? "cfg.json" + expected : "cfg.json: " + expected;
    assertThatThrownBy(() -> CousinConfig.parse(json, "cfg.json"))
        .isInstanceOf(SceneFileException.class)
        .hasMessageStartingWith(prefix);
  }
}
