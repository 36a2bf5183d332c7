package dev.wam4j.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a LeRobot metadata JSON object whose errors name the file and the dotted key
 * path, e.g. {@code .../meta/info.json: features.action.shape: expected an array of integers}.
 * Tolerant of fields it does not know (newer LeRobot versions add some), unlike the strict reader
 * of wam4j's own scene and cousin files ({@code sim.scene.JsonFields}).
 */
final class MetadataFields {
  private final Path file;

  MetadataFields(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  LeRobotFormatException error(String key, String problem) {
    return new LeRobotFormatException(file, key + ": " + problem);
  }

  JsonNode require(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) {
      throw error(key, "missing");
    }
    return v;
  }

  static boolean present(JsonNode parent, String name) {
    JsonNode v = parent.get(name);
    return v != null && !v.isNull();
  }

  String string(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = require(parent, name, key);
    if (!v.isTextual()) {
      throw error(key, "expected a string, got " + describe(v));
    }
    return v.asText();
  }

  String optionalString(JsonNode parent, String name, String key) throws LeRobotFormatException {
    return present(parent, name) ? string(parent, name, key) : null;
  }

  long integer(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = require(parent, name, key);
    if (!isInteger(v)) {
      throw error(key, "expected an integer, got " + describe(v));
    }
    return v.asLong();
  }

  int nonNegativeInt(JsonNode parent, String name, String key) throws LeRobotFormatException {
    long v = integer(parent, name, key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw error(key, "expected an integer in [0, 2^31), got " + v);
    }
    return (int) v;
  }

  double number(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = require(parent, name, key);
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw error(key, "expected a number, got " + describe(v));
    }
    return v.asDouble();
  }

  double positive(JsonNode parent, String name, String key) throws LeRobotFormatException {
    double v = number(parent, name, key);
    if (!(v > 0)) {
      throw error(key, "expected a positive number, got " + v);
    }
    return v;
  }

  boolean bool(JsonNode parent, String name, String key, boolean fallback)
      throws LeRobotFormatException {
    if (!present(parent, name)) {
      return fallback;
    }
    JsonNode v = parent.get(name);
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, got " + describe(v));
    }
    return v.asBoolean();
  }

  JsonNode object(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = require(parent, name, key);
    if (!v.isObject()) {
      throw error(key, "expected an object, got " + describe(v));
    }
    return v;
  }

  List<Integer> intArray(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = require(parent, name, key);
    if (!v.isArray()) {
      throw error(key, "expected an array of integers, got " + describe(v));
    }
    List<Integer> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!isInteger(e) || e.asLong() < 0 || e.asLong() > Integer.MAX_VALUE) {
        throw error(key, "expected an array of integers, got " + describe(v));
      }
      out.add(e.asInt());
    }
    return List.copyOf(out);
  }

  List<String> stringArray(JsonNode parent, String name, String key) throws LeRobotFormatException {
    JsonNode v = require(parent, name, key);
    if (!v.isArray()) {
      throw error(key, "expected an array of strings, got " + describe(v));
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw error(key, "expected an array of strings, got " + describe(v));
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  /** Integers, also when written as 3.0 (a float that happens to be whole). */
  private static boolean isInteger(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.canConvertToLong();
    }
    return v.isFloatingPointNumber()
        && v.asDouble() == Math.rint(v.asDouble())
        && Math.abs(v.asDouble()) < 1e15;
  }

  static String describe(JsonNode v) {
    String text = v.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
