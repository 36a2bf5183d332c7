package dev.wam4j.sim.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wam4j.sim.Embodiment;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SceneFileTest {

  private static String pushtJson() throws IOException {
    try (InputStream in =
        SceneFileTest.class.getResourceAsStream("/dev/wam4j/sim/scenes/pusht.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void builtinPushTEqualsTheSceneBuiltInCode() {
    assertThat(Scenes.builtin("pusht")).isEqualTo(Scene.pushT());
    assertThat(Scenes.builtinFile("pusht").embodiment())
        .isEqualTo(Embodiment.RobotPusher.reference());
  }

  @Test
  void envFromTheSceneFileReplaysTheReferenceBitForBit() {
    PushTEnv fromCode = PushTEnv.reference();
    PushTEnv fromFile = new PushTEnv(Scenes.builtin("pusht"), Embodiment.RobotPusher.reference());
    fromCode.reset(100000);
    fromFile.reset(100000);
    PushExpert expert = PushExpert.of(fromCode);
    double[] action = new double[2];
    double[] a = new double[5], b = new double[5];
    for (int t = 0; t < 50; t++) {
      fromCode.state(a, 0);
      fromFile.state(b, 0);
      assertThat(b).as("step %d", t).containsExactly(a);
      expert.act(fromCode, action);
      fromCode.step(action[0], action[1]);
      fromFile.step(action[0], action[1]);
    }
    assertThat(fromCode.contactPoints() + fromCode.stepCount()).isPositive();
  }

  @Test
  void everyBuiltinSceneLoadsAndBuildsAnEnvironment() {
    for (String name : Scenes.names()) {
      Scene s = Scenes.builtin(name);
      PushTEnv env = new PushTEnv(s, Embodiment.RobotPusher.reference());
      env.reset(0);
      assertThat(env.coverage()).as(name).isBetween(0.0, 1.0);
    }
    assertThat(Scenes.builtin("cousin_plus").goalObject().parts()).hasSize(3);
  }

  @Test
  void writtenScenesReadBackEqualAndLeaveNoTempFiles(@TempDir Path dir) throws IOException {
    for (Scene s : List.of(Scene.pushT(), Scenes.builtin("cousin_l"))) {
      Path file = dir.resolve(s.name() + ".json");
      SceneFile.write(s, file);
      assertThat(SceneFile.load(file).scene()).isEqualTo(s);
    }
    SceneFile hand = new SceneFile(Scene.pushT(), Embodiment.HumanHand.standard());
    hand.write(dir.resolve("hand.json"));
    assertThat(SceneFile.load(dir.resolve("hand.json"))).isEqualTo(hand);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("pusht.json", "cousin_l.json", "hand.json");
    }
  }

  @Test
  void uniformObjectsGetTheirCentreOfGravityAndMomentFromTheParts() {
    SceneObject eye = Scenes.builtin("cousin_i").goalObject();
    // A 40 x 120 box of mass 1: centroid (0, 60), moment (40^2 + 120^2) / 12.
    assertThat(eye.cogX()).isEqualTo(0.0);
    assertThat(eye.cogY()).isEqualTo(60.0);
    assertThat(eye.moment())
        .isCloseTo((40.0 * 40 + 120.0 * 120) / 12, org.assertj.core.api.Assertions.within(1e-9));
  }

  @ParameterizedTest(name = "{2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      "mass": 1,                             | "mass": 1, "colour": 3,                    | objects[0].colour: unknown field
      "width": 512,                          | "width": "wide",                           | width: expected a number, got a string
      "mass": 1,                             | "mass": [1],                               | objects[0].mass: expected a number, got an array
      "substeps": 10,                        | "substeps": 10.5,                          | physics.substeps: expected an integer
      "name": "pusht",                       | ,                                          | name: missing required field
      "success_coverage": 0.95}              | "success_coverage": 1.5}                   | goal: goal.success_coverage must be in (0, 1]
      [[-15, 30], [15, 30], [15, 120], [-15, 120]] | [[-15, 30], [15, 30], [0, 60], [15, 120], [-15, 120]] | objects[0].parts[1]: convex part is not strictly convex at vertex
      [[-15, 30], [15, 30], [15, 120], [-15, 120]] | [[-15, 30], [15, 30], [45, 30]]    | objects[0].parts[1]: convex part is degenerate
      [[-15, 30], [15, 30], [15, 120], [-15, 120]] | [[-15, 30], [15, 30, 1], [15, 120]] | objects[0].parts[1][1]: expected 2 numbers, got 3
      "object": "tee"                        | "object": "bar"                            | goal.object: no object named 'bar'
      "object": "tee"                        | "object": 3                                | goal.object: object index 3 out of range
      "moment": 3000,                        | ,                                          | objects[0].center_of_gravity: moment and center_of_gravity go together
      "embodiment": "robot"                  | "embodiment": "octopus"                    | embodiment: unknown embodiment 'octopus'
      "format_version": 1,                   | "format_version": 2,                       | format_version: unsupported format version 2
      "radius": 2},                          | "radius": -2},                             | walls[0]: wall: radius must be >= 0
      "objects": [                           | "objects": [[                              | malformed JSON at line
      """)
  void badInputNamesTheFileAndTheField(String from, String to, String expected) throws IOException {
    String json = pushtJson();
    assertThat(json).contains(from.strip());
    String bad =
        json.replaceFirst(
            java.util.regex.Pattern.quote(from.strip()),
            java.util.regex.Matcher.quoteReplacement(to.strip().equals(",") ? "" : to.strip()));
    assertThatThrownBy(() -> SceneFile.parse(bad, "pusht.json"))
        .isInstanceOf(SceneFileException.class)
        .hasMessageStartingWith("pusht.json: " + expected.strip());
  }

  @Test
  void loadNamesTheFileOnDisk(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("scan-0042.json");
    Files.writeString(file, pushtJson().replace("\"mass\": 1,", "\"mass\": -1,"));
    assertThatThrownBy(() -> SceneFile.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scan-0042.json: objects[0]: object 'tee': mass must be > 0");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("no-such-scene.json");
    assertThatThrownBy(() -> SceneFile.load(file)).hasMessage(file + ": file not found");
  }

  @Test
  void anExplicitNullIsAWrongTypeNotADefault() throws IOException {
    String bad = pushtJson().replace("\"friction\": 0,", "\"friction\": null,");
    assertThatThrownBy(() -> SceneFile.parse(bad, "pusht.json"))
        .hasMessageStartingWith("pusht.json: objects[0].friction: expected a number, got null");
  }

  @Test
  void malformedJsonSaysWhereWithoutParserNoise() {
    assertThatThrownBy(() -> SceneFile.parse("{\"name\": \"x\",\n  \"width\": }", "s.json"))
        .hasMessageStartingWith("s.json: malformed JSON at line 2")
        .hasMessageNotContaining("Source");
  }

  @Test
  void aStarPolygonIsRejectedAlthoughEveryTurnIsLeft() {
    double[][] star = new double[5][];
    for (int i = 0; i < 5; i++) {
      double a = 2 * Math.PI * ((2 * i) % 5) / 5;
      star[i] = new double[] {50 * Math.cos(a), 50 * Math.sin(a)};
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConvexPart(star))
        .hasMessageContaining("self-intersecting");
  }

  @Test
  void overlappingPartsAreRejectedInTheFile() throws IOException {
    String bad =
        pushtJson()
            .replace(
                "[[-15, 30], [15, 30], [15, 120], [-15, 120]]",
                "[[-60, 0], [60, 0], [60, 30], [-60, 30]]");
    assertThatThrownBy(() -> SceneFile.parse(bad, "pusht.json"))
        .hasMessageStartingWith("pusht.json: objects[0]")
        .hasMessageContaining("parts 0 and 1 overlap");
  }
}
