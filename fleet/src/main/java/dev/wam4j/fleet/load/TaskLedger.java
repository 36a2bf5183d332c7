package dev.wam4j.fleet.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which robot started which task, as the robots saw it: a task started twice (by two robots, or by
 * one again after it had reported it) ran twice, whatever the server's records say.
 */
final class TaskLedger {
  private final Map<Long, List<String>> starts = new HashMap<>();

  synchronized void started(long taskId, String robotId) {
    starts.computeIfAbsent(taskId, k -> new ArrayList<>()).add(robotId);
  }

  /** Task starts in all. */
  synchronized long runs() {
    return starts.values().stream().mapToLong(List::size).sum();
  }

  /** Starts beyond each task's first. */
  synchronized long duplicateRuns() {
    return starts.values().stream().mapToLong(s -> s.size() - 1).sum();
  }
}
