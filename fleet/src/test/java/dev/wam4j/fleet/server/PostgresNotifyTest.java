package dev.wam4j.fleet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an event is cut into NOTIFY payloads (sending and receiving are in the two-server test). */
class PostgresNotifyTest {
  @Test
  void partsStayUnderTheByteLimitNeverSplitACharacterAndJoinToTheEvent() {
    // one-, two-, three- and four-byte characters, so that part ends fall inside each kind
    String data = "a é € 😀".repeat(3_001);
    for (int limit : new int[] {4, 5, 7, 100, PostgresNotify.PART_BYTES}) {
      List<String> parts = PostgresNotify.parts(data, limit);
      assertThat(String.join("", parts)).as("limit %d", limit).isEqualTo(data);
      for (String p : parts) {
        assertThat(p.getBytes(StandardCharsets.UTF_8).length).isBetween(1, limit);
        assertThat(Character.isLowSurrogate(p.charAt(0))).as("starts inside a character").isFalse();
      }
    }
    assertThat(PostgresNotify.parts("", 10)).containsExactly("");
  }

  @Test
  void everyPayloadFitsANotificationAndTwoEqualEventsGetDifferentPayloads() {
    String big = "x".repeat(3 * PostgresNotify.PART_BYTES + 1);
    List<String> payloads = PostgresNotify.payloads("0123456789abcdef", 7, "robots", big);
    assertThat(payloads).hasSize(4);
    assertThat(payloads.get(0)).startsWith("0123456789abcdef 7 0 4 robots\n");
    assertThat(payloads.get(3)).startsWith("0123456789abcdef 7 3 4 robots\n");
    for (String p : payloads)
      assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
    // PostgreSQL folds identical payloads of one transaction into one notification
    assertThat(PostgresNotify.payloads("s", 1, "robot", "{}"))
        .doesNotContainAnyElementsOf(PostgresNotify.payloads("s", 2, "robot", "{}"));
  }
}
