package dev.wam4j.fleet.job;

import dev.wam4j.sim.scene.Scenes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the markdown job format:
 *
 * <pre>
 * # Arrange the workshop                 &lt;- the job's title (required, first heading)
 * Free text describing the job.
 *
 * ## Push the T onto its mark            &lt;- a step (at least one)
 * - scene: pusht                         &lt;- built-in scene (default pusht)
 * - goal: 256, 256, 0.785                &lt;- target x, y (workspace pixels), angle (radians); default: the scene's
 * - count: 3                             &lt;- tasks of this step (default 1)
 * - embodiment: robot                    &lt;- robot or hand (default robot)
 * - max-steps: 300                       &lt;- control steps per task, 1..300 (default 300)
 * - success-score: 0.5                   &lt;- best min(coverage/0.95, 1) that counts as done (default 1: coverage &gt; 0.95; 0: every try)
 * </pre>
 *
 * Other text under a step is a comment, and so is {@code # ...} after a value. Every problem is
 * reported with its line number.
 */
public final class JobDocumentParser {
  /** Largest document accepted, in characters (a server reads documents from the network). */
  public static final int MAX_CHARS = 256 * 1024;

  /** Most tasks one job may plan. */
  public static final int MAX_TASKS = 10_000;

  private static final Set<String> KEYS =
      Set.of("scene", "goal", "count", "embodiment", "max-steps", "success-score");
  private static final Set<String> EMBODIMENTS = Set.of("robot", "hand");

  private JobDocumentParser() {}

  /**
   * @throws JobDocumentException naming the line and what is wrong there
   */
  public static JobDocument parse(String markdown) {
    if (markdown == null || markdown.isBlank())
      throw new JobDocumentException(0, "the document is empty; it starts with '# <job title>'");
    if (markdown.length() > MAX_CHARS)
      throw new JobDocumentException(
          0, "the document has " + markdown.length() + " characters, more than " + MAX_CHARS);
    String[] lines = markdown.split("\r?\n", -1);
    String title = null;
    StringBuilder description = new StringBuilder();
    List<JobDocument.Step> steps = new ArrayList<>();
    StepBuilder step = null;
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      // the document is stored as text, and PostgreSQL refuses a NUL in text (SQLite and H2 not)
      int nul = lines[i].indexOf('\0');
      if (nul >= 0) {
        throw new JobDocumentException(
            n,
            "a NUL character (U+0000) at column "
                + (nul + 1)
                + "; remove it (PostgreSQL cannot store one)");
      }
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      if (line.startsWith("## ")) {
        if (title == null)
          throw new JobDocumentException(
              n, "a step before the job's title; start the document with '# <job title>'");
        if (step != null) steps.add(step.build());
        step = new StepBuilder(line.substring(3).strip(), n);
        if (step.name.isEmpty())
          throw new JobDocumentException(n, "a step needs a name after '##'");
        if (step.name.length() > 200)
          throw new JobDocumentException(
              n, "a step name has at most 200 characters, this one " + step.name.length());
      } else if (line.startsWith("# ")) {
        if (title != null)
          throw new JobDocumentException(
              n, "a second title '" + line + "'; one job per document, steps are '## ...'");
        title = line.substring(2).strip();
        if (title.isEmpty()) throw new JobDocumentException(n, "the job's title is empty");
        if (title.length() > 200)
          throw new JobDocumentException(
              n, "the title has at most 200 characters, this one " + title.length());
      } else if (line.startsWith("#")) {
        throw new JobDocumentException(
            n, "'" + line + "' is not a job title ('# ') or a step ('## ')");
      } else if (title == null) {
        throw new JobDocumentException(
            n, "text before the job's title; start the document with '# <job title>'");
      } else if (step == null) {
        if (!description.isEmpty()) description.append('\n');
        description.append(line);
      } else if (line.startsWith("- ") || line.startsWith("* ")) {
        step.field(line.substring(2).strip(), n);
      } // other text under a step is a comment
    }
    if (title == null)
      throw new JobDocumentException(0, "no job title; start the document with '# <job title>'");
    if (step == null)
      throw new JobDocumentException(
          0, "the job has no steps; add one as '## <step name>' with '- count: N' etc.");
    steps.add(step.build());
    int tasks = steps.stream().mapToInt(JobDocument.Step::count).sum();
    if (tasks > MAX_TASKS)
      throw new JobDocumentException(
          0, "the job plans " + tasks + " tasks; at most " + MAX_TASKS + " per job");
    return new JobDocument(title, description.toString(), steps);
  }

  private static final class StepBuilder {
    final String name;
    final int line;
    String scene = "pusht";
    JobDocument.GoalPose goal;
    int count = 1;
    String embodiment = "robot";
    int maxSteps = 300;
    double successScore = 1;
    final Set<String> seen = new java.util.HashSet<>();

    StepBuilder(String name, int line) {
      this.name = name;
      this.line = line;
    }

    void field(String item, int n) {
      int colon = item.indexOf(':');
      if (colon < 0)
        throw new JobDocumentException(
            n, "expected '- key: value' (keys: " + sorted() + "), got '- " + item + "'");
      // a value may end in a comment: '- count: 3   # three times'
      String key = item.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          value = item.substring(colon + 1).replaceFirst("\\s+#.*$", "").strip();
      if (!KEYS.contains(key))
        throw new JobDocumentException(n, "unknown key '" + key + "' (keys: " + sorted() + ")");
      if (!seen.add(key))
        throw new JobDocumentException(n, "'" + key + "' given twice in step '" + name + "'");
      switch (key) {
        case "scene" -> {
          if (!Scenes.names().contains(value))
            throw new JobDocumentException(
                n, "unknown scene '" + value + "' (built-in: " + Scenes.names() + ")");
          scene = value;
        }
        case "goal" -> goal = goal(value, n);
        case "count" -> count = integer(value, n, "count", 1, 1000);
        case "embodiment" -> {
          if (!EMBODIMENTS.contains(value))
            throw new JobDocumentException(
                n, "embodiment must be robot or hand, got '" + value + "'");
          embodiment = value;
        }
        case "max-steps" ->
            maxSteps = integer(value, n, "max-steps", 1, 300); // PushT's episode limit
        case "success-score" -> {
          try {
            successScore = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            throw new JobDocumentException(
                n, "success-score must be a number in [0, 1], got '" + value + "'");
          }
          if (!(successScore >= 0 && successScore <= 1)) // 0: a data-collection job, any try counts
          throw new JobDocumentException(n, "success-score must lie in [0, 1], got " + value);
        }
        default -> throw new IllegalStateException(key);
      }
    }

    JobDocument.Step build() {
      return new JobDocument.Step(
          name, line, scene, goal, count, embodiment, maxSteps, successScore);
    }

    private static JobDocument.GoalPose goal(String value, int n) {
      String[] parts = value.split("\\s*,\\s*|\\s+");
      if (parts.length != 3)
        throw new JobDocumentException(
            n, "goal is 'x, y, angle' (pixels, pixels, radians), got '" + value + "'");
      double[] v = new double[3];
      for (int i = 0; i < 3; i++) {
        try {
          v[i] = Double.parseDouble(parts[i]);
        } catch (NumberFormatException e) {
          throw new JobDocumentException(n, "goal value '" + parts[i] + "' is not a number");
        }
        if (!Double.isFinite(v[i]))
          throw new JobDocumentException(n, "goal value '" + parts[i] + "' is not finite");
      }
      if (v[0] < 0 || v[0] > 512 || v[1] < 0 || v[1] > 512) {
        throw new JobDocumentException(
            n, "goal x, y must lie in the 512-pixel workspace, got " + v[0] + ", " + v[1]);
      }
      return new JobDocument.GoalPose(v[0], v[1], v[2]);
    }

    private static int integer(String value, int n, String key, int min, int max) {
      int v;
      try {
        v = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new JobDocumentException(n, key + " must be an integer, got '" + value + "'");
      }
      if (v < min || v > max)
        throw new JobDocumentException(n, key + " must lie in " + min + ".." + max + ", got " + v);
      return v;
    }

    private static List<String> sorted() {
      return KEYS.stream().sorted().toList();
    }
  }
}
