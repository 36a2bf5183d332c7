package dev.wam4j.fleet.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wam4j.fleet.agent.FleetClient;
import dev.wam4j.fleet.api.ApiPaths;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;

/**
 * One simulated robot of the load test: posts state at the test's rate (a message resent until it
 * is acknowledged) and, between messages, works through tasks: claims one, holds it for the test's
 * task time, reports it done. Counters are written by its own thread and read after it ended.
 */
final class LoadRobot {
  private static final long CLAIM_EVERY_NS = 1_000_000_000L; // an idle robot asks once a second
  private static final long GIVE_UP_AFTER_END_NS = 30_000_000_000L;

  final String id;
  private final FleetClient client;
  private final TaskLedger ledger;
  private final URI firstServer;
  private double[] latencyMs = new double[64];
  private int latencies;
  long sent, acknowledged, resends, unacked, resultsRefused;

  /**
   * The longest time between two acknowledged messages (the server's view of this robot's silence:
   * past its offline timeout, its task is given to another robot).
   */
  double longestSilenceMs;

  private long heldTask = -1, heldUntilNs, nextClaimNs;

  LoadRobot(String id, FleetClient client, TaskLedger ledger) {
    this.id = id;
    this.client = client;
    this.ledger = ledger;
    this.firstServer = client.server();
  }

  /** Sends from {@code firstNs} until {@code endNs} (System.nanoTime), on this thread. */
  void run(LoadTest.Config c, long firstNs, long endNs, boolean withTasks) {
    long periodNs = (long) (1e9 / c.hz()), next = firstNs;
    nextClaimNs = firstNs;
    long lastAckNs = firstNs;
    for (long seq = 1; ; seq++) {
      LoadTest.sleepNs(next - System.nanoTime());
      if (System.nanoTime() >= endNs) break;
      sent++;
      boolean ok = false;
      for (int attempt = 0; !ok && System.nanoTime() < endNs + GIVE_UP_AFTER_END_NS; attempt++) {
        if (attempt > 0) { // no server answered: try again
          resends++;
          LoadTest.sleepNs(100_000_000L);
        }
        long s0 = System.nanoTime();
        try {
          client.post(
              ApiPaths.robot(id, "state"),
              Map.of("seq", seq, "state", "busy", "step", seq, "dream_divergence", 0.5));
          ok = true;
          if (latencies == latencyMs.length) latencyMs = Arrays.copyOf(latencyMs, 2 * latencies);
          latencyMs[latencies++] = (System.nanoTime() - s0) / 1e6;
        } catch (IOException e) {
          // every server is down (or restarting): the same message again
        } catch (InterruptedException e) {
          return;
        }
      }
      if (ok) {
        acknowledged++;
        long now = System.nanoTime();
        longestSilenceMs = Math.max(longestSilenceMs, (now - lastAckNs) / 1e6);
        lastAckNs = now;
      } else unacked++;
      if (withTasks) {
        try {
          workOnTasks(c.taskSeconds());
        } catch (IOException e) {
          // no server answered: the same step at the next message
        } catch (InterruptedException e) {
          return;
        }
      }
      next += periodNs;
    }
  }

  private void workOnTasks(double taskSeconds) throws IOException, InterruptedException {
    long now = System.nanoTime();
    if (heldTask >= 0 && now >= heldUntilNs) {
      try {
        client.post(ApiPaths.task(heldTask, "result"), Map.of("success", true, "coverage", 1.0));
      } catch (FleetClient.ApiError refused) {
        resultsRefused++; // the task was taken away (e.g. requeued): counted, not retried
      }
      heldTask = -1;
    } else if (heldTask < 0 && now >= nextClaimNs) {
      nextClaimNs = now + CLAIM_EVERY_NS;
      JsonNode task = client.post(ApiPaths.robot(id, "tasks/next"), null);
      if (task != null) {
        heldTask = task.get("id").asLong();
        heldUntilNs = now + (long) (taskSeconds * 1e9);
        ledger.started(heldTask, id);
      }
    }
  }

  double[] latencies() {
    return Arrays.copyOf(latencyMs, latencies);
  }

  /** Whether this robot's requests went to another server than its first at the end. */
  boolean failedOver() {
    return !client.server().equals(firstServer);
  }
}
