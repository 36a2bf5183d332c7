package dev.wam4j.cluster;

import dev.wam4j.model.policy.ChunkPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The policies an executor JVM has loaded, per source, lent to one task at a time (policies are not
 * thread-safe): a task borrows an idle one, or loads one when all are busy, and gives it back when
 * its partition is done. An executor running one task at a time thus loads its checkpoint once for
 * all its partitions; one running N tasks at once loads it N times at most. Lives as long as the
 * JVM (an executor's ends with its application); {@link #closeAll} frees a local run's.
 */
final class PolicyPool {
  private static final Map<PolicySource, ConcurrentLinkedDeque<ChunkPolicy>> IDLE =
      new ConcurrentHashMap<>();

  private PolicyPool() {}

  /** A policy lent to one task; {@code loaded} tells whether this borrow loaded it. */
  record Lease(PolicySource source, ChunkPolicy policy, boolean loaded) implements AutoCloseable {
    /** Gives the policy back for the next task. */
    @Override
    public void close() {
      IDLE.computeIfAbsent(source, k -> new ConcurrentLinkedDeque<>()).addFirst(policy);
    }
  }

  /** An idle policy of {@code source}, or a new one when none is idle. */
  static Lease borrow(PolicySource source) throws IOException {
    ChunkPolicy idle = IDLE.computeIfAbsent(source, k -> new ConcurrentLinkedDeque<>()).pollFirst();
    return idle != null ? new Lease(source, idle, false) : new Lease(source, source.open(), true);
  }

  /** Closes and forgets every idle policy (call when no task runs). */
  static void closeAll() {
    List<ChunkPolicy> all = new ArrayList<>();
    for (ConcurrentLinkedDeque<ChunkPolicy> q : IDLE.values()) {
      for (ChunkPolicy p; (p = q.pollFirst()) != null; ) all.add(p);
    }
    IDLE.clear();
    for (ChunkPolicy p : all) p.close();
  }
}
