package dev.wam4j.fleet.job;

import java.util.List;

/**
 * A job as an operator writes it: a titled markdown design of steps, each a task to repeat on the
 * fleet (scene, goal pose, count). Steps run in order: a step's tasks are dispatched once every
 * task of the step before it is done. Parse one with {@link JobDocumentParser}.
 *
 * @param title the job's name (the document's {@code #} heading)
 * @param description free text between the title and the first step, trimmed
 * @param steps the steps, in order, at least one
 */
public record JobDocument(String title, String description, List<Step> steps) {
  public JobDocument {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) throw new IllegalArgumentException("a job needs at least one step");
  }

  /** Tasks over all steps. */
  public int taskCount() {
    return steps.stream().mapToInt(Step::count).sum();
  }

  /**
   * One step: {@code count} tasks alike.
   *
   * @param name the step's {@code ##} heading
   * @param line the heading's line in the document (1-based), for messages
   * @param scene built-in scene name (default {@code pusht})
   * @param goal the pose to push the object to, or {@code null} for the scene's own goal
   * @param count how many times to do it, 1..1000 (default 1)
   * @param embodiment who can do it: {@code robot} or {@code hand} (default {@code robot})
   * @param maxSteps control steps a task may take, 1..300 (default 300, PushT's limit)
   * @param successScore the best {@code min(coverage / 0.95, 1)} a task must reach to be done, in
   *     [0, 1] (default 1: the protocol's success, coverage above 0.95; 0: every try is done, a job
   *     that collects episodes whatever their outcome)
   */
  public record Step(
      String name,
      int line,
      String scene,
      GoalPose goal,
      int count,
      String embodiment,
      int maxSteps,
      double successScore) {}

  /** A target pose of the scene's goal object: workspace pixels and radians. */
  public record GoalPose(double x, double y, double angleRadians) {}
}
