package dev.wam4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wam4j.data.Provenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The JSON every command writes: snake_case keys, indented, and a {@code provenance} block (wam4j
 * version, git commit, Java, OS, time, the command line) so that one file tells what produced it.
 */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** {@code value}'s fields followed by {@code provenance}. */
  static String result(Object value, CommandSpec spec) {
    ObjectNode node = MAPPER.valueToTree(value);
    node.putPOJO("provenance", provenance(spec));
    return write(node);
  }

  /**
   * What produced an output: wam4j version, git commit, Java, OS, cores, time, the command line
   * (secrets masked).
   */
  static Provenance provenance(CommandSpec spec) {
    return Provenance.now(
        Main.VERSION,
        spec.commandLine().getParseResult() == null ? List.of() : redacted(rootArgs(spec)));
  }

  /** The command line without secrets: the value of every {@code --token} is masked. */
  static List<String> redacted(List<String> args) {
    List<String> out = new java.util.ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--token=")) out.add("--token=***");
      else if (i > 0 && "--token".equals(args.get(i - 1))) out.add("***");
      else out.add(a);
    }
    return out;
  }

  private static List<String> rootArgs(CommandSpec spec) {
    var root = spec.root().commandLine().getParseResult();
    return root == null ? List.of() : root.originalArgs();
  }

  /** Writes text atomically: a temp file in the same folder, then a rename. */
  static void writeFile(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
