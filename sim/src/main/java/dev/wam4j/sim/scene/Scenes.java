package dev.wam4j.sim.scene;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The scene files shipped on the class path ({@code dev/wam4j/sim/scenes/NAME.json}): the PushT
 * reference and example digital cousins. Stateless.
 */
public final class Scenes {
  private static final List<String> BUILTIN =
      List.of("pusht", "cousin_l", "cousin_i", "cousin_plus");

  private Scenes() {}

  /** Names accepted by {@link #builtin(String)}. */
  public static List<String> names() {
    return BUILTIN;
  }

  /**
   * The scene of a built-in scene file, e.g. {@code builtin("pusht")} equals {@link Scene#pushT()}.
   */
  public static Scene builtin(String name) {
    return builtinFile(name).scene();
  }

  /**
   * A built-in scene file by name, else the scene file at that path.
   *
   * @throws IllegalArgumentException when it is neither, naming the built-in scenes
   */
  public static SceneFile resolve(String nameOrFile) throws IOException {
    if (BUILTIN.contains(nameOrFile)) return builtinFile(nameOrFile);
    java.nio.file.Path p = java.nio.file.Path.of(nameOrFile);
    if (!java.nio.file.Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          "scene '"
              + nameOrFile
              + "' is neither a built-in scene ("
              + String.join(", ", BUILTIN)
              + ") nor a scene file");
    }
    return SceneFile.load(p);
  }

  /** A built-in scene file (scene and embodiment). */
  public static SceneFile builtinFile(String name) {
    if (!BUILTIN.contains(name))
      throw new IllegalArgumentException(
          "unknown built-in scene '" + name + "' (known: " + String.join(", ", BUILTIN) + ")");
    String resource = "/dev/wam4j/sim/scenes/" + name + ".json";
    try (InputStream in = Scenes.class.getResourceAsStream(resource)) {
      if (in == null)
        throw new IllegalStateException("built-in scene resource missing: " + resource);
      return SceneFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".json");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
