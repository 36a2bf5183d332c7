package dev.wam4j.sim.scene;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A strict, path-aware view of one node of a JSON document, for the hand-written readers of scene
 * files and cousin configs: every accessor checks the type and every object checks that it has no
 * unknown field, and each failure is a {@link SceneFileException} naming the source and the JSON
 * path (e.g. {@code objects[0].parts[1]}). Immutable; cheap to create.
 */
public final class JsonFields {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonNode node;
  private final String source;
  private final String path;

  private JsonFields(JsonNode node, String source, String path) {
    this.node = node;
    this.source = source;
    this.path = path;
  }

  /** Parses {@code json}; {@code source} names it in error messages (usually the file name). */
  public static JsonFields parse(String json, String source) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || root.isMissingNode())
        throw new SceneFileException(source, "", "empty document");
      return new JsonFields(root, source, "");
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      // Jackson's own message ends with a "[Source: ...]" location we already give as line/column.
      String detail =
          e.getOriginalMessage()
              .replaceAll("\\s*\\[Source:.*$", "")
              .replaceAll("(?s)\\s*\\n.*$", "");
      throw new SceneFileException(source, "", "malformed JSON" + where + ": " + detail);
    }
  }

  /** The source name errors carry. */
  public String source() {
    return source;
  }

  /** JSON path of this node. */
  public String path() {
    return path;
  }

  /** An error about this node. */
  public SceneFileException error(String problem) {
    return new SceneFileException(source, path, problem);
  }

  /** Requires an object whose field names are all in {@code allowed}. */
  public JsonFields object(Set<String> allowed) {
    if (!node.isObject()) throw error("expected an object, got " + kind());
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n))
        throw child(n, node.get(n))
            .error(
                "unknown field (allowed: "
                    + String.join(", ", allowed.stream().sorted().toList())
                    + ")");
    }
    return this;
  }

  /**
   * True if this object has the field. An explicit {@code null} counts as present, so the typed
   * accessors reject it ("expected a number, got null") instead of silently using a default.
   */
  public boolean has(String name) {
    return node.has(name);
  }

  /** A required field of this object. */
  public JsonFields get(String name) {
    JsonNode v = node.get(name);
    if (v == null) throw new SceneFileException(source, join(name), "missing required field");
    return child(name, v);
  }

  /** Elements of an array. */
  public List<JsonFields> elements() {
    if (!node.isArray()) throw error("expected an array, got " + kind());
    List<JsonFields> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++)
      out.add(new JsonFields(node.get(i), source, path + "[" + i + "]"));
    return out;
  }

  /** A finite number. */
  public double number() {
    if (!node.isNumber()) throw error("expected a number, got " + kind());
    double v = node.doubleValue();
    if (!Double.isFinite(v)) throw error("number out of range: " + node.asText());
    return v;
  }

  /** An integer that fits an int. */
  public int integer() {
    if (!node.isIntegralNumber() || !node.canConvertToInt())
      throw error("expected an integer, got " + kind() + " " + node);
    return node.intValue();
  }

  /** True if this node is an integer. */
  public boolean isInteger() {
    return node.isIntegralNumber();
  }

  /** A string. */
  public String string() {
    if (!node.isTextual()) throw error("expected a string, got " + kind());
    return node.textValue();
  }

  /** True if this node is an array. */
  public boolean isArray() {
    return node.isArray();
  }

  /** An array of exactly {@code n} finite numbers. */
  public double[] numbers(int n) {
    List<JsonFields> el = elements();
    if (el.size() != n) throw error("expected " + n + " numbers, got " + el.size());
    double[] out = new double[n];
    for (int i = 0; i < n; i++) out[i] = el.get(i).number();
    return out;
  }

  /**
   * Runs {@code build}, turning its {@link IllegalArgumentException} into an error about this node.
   */
  public <T> T build(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (SceneFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /** A new empty object node for writers (same mapper settings as the reader). */
  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  /** The shared mapper, for writers. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  private JsonFields child(String name, JsonNode v) {
    return new JsonFields(v, source, join(name));
  }

  private String join(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private String kind() {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
