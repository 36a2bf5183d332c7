package dev.wam4j.fleet.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wam4j.fleet.store.RobotState;
import java.util.List;
import java.util.Map;

/**
 * Requests and replies of the robot resource: enrolment, connection, telemetry, alerts, models,
 * views.
 */
public final class RobotApi {
  private RobotApi() {}

  /** Who the caller is: an operator by name, or a robot by id. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Whoami(String kind, String name, String robotId) {
    public static Whoami operator(String name) {
      return new Whoami("operator", name, null);
    }

    public static Whoami robot(String robotId) {
      return new Whoami("robot", null, robotId);
    }
  }

  /** Enrols a robot in a group ({@code default} when null). */
  public record Enroll(String name, String group) {}

  /** A robot enrolled: its id and its token (shown once). */
  public record Enrolled(String robotId, String token) {}

  /**
   * What a robot is and can do (VDA 5050's factsheet), sent when its agent connects. The server
   * reads the embodiment and keeps the whole document.
   */
  public record Factsheet(
      String embodiment,
      List<String> sensors,
      String actionSpace,
      int controlHz,
      Map<String, Object> policy) {}

  /** A robot's state after it connected or was revoked. */
  public record RobotChange(String robotId, RobotState state) {}

  /**
   * One telemetry message (VDA 5050's state), numbered by {@code seq} so a resent one is stored
   * once. The server reads seq and state and keeps the whole document.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StateReport(
      long seq,
      RobotState state,
      Long taskId,
      Integer step,
      Double reward,
      Double dreamDivergence) {}

  /** Whether a telemetry message was new (a resend is acknowledged, not stored again). */
  public record StateAck(boolean stored, long seq) {}

  /** An alert a robot raises about a task (e.g. {@code dream_divergence}). */
  public record Alert(String kind, Long taskId, String message) {}

  /** The id an alert was stored under. */
  public record AlertRaised(long alertId) {}

  /** The tokens revoked with a robot. */
  public record Revoked(String robotId, int tokensRevoked) {}

  /** The model version deployed to a robot, and its archive's digest. */
  public record AssignedModel(String name, int version, String sha256) {}

  /**
   * What a robot's camera shows and its model dreams (base64 RGB, {@code size} x {@code size}); the
   * dream is optional.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record View(int size, int step, String camera, String dream, Integer dreamOffset) {}

  /** A robot's latest view as PNG data URLs, and how old it is. */
  public record ViewImages(int step, int dreamOffset, long ageMs, String camera, String dream) {}
}
