package dev.wam4j.fleet.api;

/**
 * The Physical API's paths as its clients call them (the server's route templates start from {@link
 * #BASE}): one place, so no client spells {@code /api/v1/...} by hand. Identifiers are inserted as
 * given; quarantine ids are URL-encoded.
 */
public final class ApiPaths {
  /** The API's version prefix. */
  public static final String BASE = "/api/v1";

  private ApiPaths() {}

  public static String health() {
    return BASE + "/health";
  }

  public static String whoami() {
    return BASE + "/whoami";
  }

  public static String robots() {
    return BASE + "/robots";
  }

  public static String robot(Object id) {
    return robots() + "/" + id;
  }

  /**
   * A robot's sub-resource or action: {@code connection}, {@code state}, {@code tasks/next}, {@code
   * model}, {@code view}, ...
   */
  public static String robot(Object id, String part) {
    return robot(id) + "/" + part;
  }

  public static String jobs() {
    return BASE + "/jobs";
  }

  public static String job(Object id) {
    return jobs() + "/" + id;
  }

  public static String job(Object id, String action) {
    return job(id) + "/" + action;
  }

  /** Builds of product designs in the server's shared cell. */
  public static String builds() {
    return BASE + "/builds";
  }

  /** One build. */
  public static String build(Object id) {
    return builds() + "/" + id;
  }

  /** A build's action or sub-resource: {@code step}, {@code cancel}, {@code picture}. */
  public static String build(Object id, String part) {
    return build(id) + "/" + part;
  }

  public static String task(Object id, String part) {
    return BASE + "/tasks/" + id + "/" + part;
  }

  public static String upload(Object id) {
    return BASE + "/uploads/" + id;
  }

  public static String upload(Object id, String action) {
    return upload(id) + "/" + action;
  }

  public static String models() {
    return BASE + "/models";
  }

  public static String model(String name) {
    return models() + "/" + name;
  }

  public static String modelArchive(String name, int version) {
    return model(name) + "/" + version + "/archive";
  }

  /** The autopilot's state and decisions; {@code /pause} and {@code /resume} below it. */
  public static String autopilot() {
    return BASE + "/autopilot";
  }

  public static String deployments() {
    return BASE + "/deployments";
  }

  public static String deployment(Object id, String action) {
    return deployments() + "/" + id + "/" + action;
  }

  public static String datasets() {
    return BASE + "/datasets";
  }

  public static String alerts() {
    return BASE + "/alerts";
  }

  public static String episodes() {
    return BASE + "/episodes";
  }

  public static String episode(Object id) {
    return episodes() + "/" + id;
  }

  public static String quarantine() {
    return BASE + "/quarantine";
  }

  public static String quarantined(String id) {
    return quarantine()
        + "/"
        + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The live event stream (server-sent events; see {@link FleetEvent}). */
  public static String events() {
    return BASE + "/events";
  }

  public static String telemetryStats() {
    return BASE + "/telemetry/stats";
  }
}
