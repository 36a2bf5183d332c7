package dev.wam4j.rl.ppo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PushT with shorter episodes, as a scene file: tiny test runs whose checkpoints come before 300
 * steps.
 */
final class ShortScene {
  private ShortScene() {}

  static Path write(Path dir, int maxSteps) throws IOException {
    String json;
    try (InputStream in =
        ShortScene.class.getResourceAsStream("/dev/wam4j/sim/scenes/pusht.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!json.contains("\"max_steps\": 300"))
      throw new IllegalStateException("pusht.json no longer says max_steps 300");
    Path f = dir.resolve("pusht-" + maxSteps + ".json");
    Files.writeString(f, json.replace("\"max_steps\": 300", "\"max_steps\": " + maxSteps));
    return f;
  }
}
