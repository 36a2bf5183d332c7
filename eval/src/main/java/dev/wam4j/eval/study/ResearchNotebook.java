package dev.wam4j.eval.study;

import java.util.Locale;

/**
 * The lab notebook of a {@link Research} search as markdown: what was tried, why, what came of it.
 */
final class ResearchNotebook {
  private ResearchNotebook() {}

  static String markdown(Research.Notebook b, ResearchSpace space) {
    StringBuilder md = new StringBuilder();
    md.append("# Research notebook\n\n");
    md.append("- space: `").append(b.space()).append("`\n");
    md.append("- hypothesis: ")
        .append(b.hypothesis().isEmpty() ? "(none given)" : b.hypothesis())
        .append('\n');
    md.append("- searched: ")
        .append(space.search().keySet())
        .append("; budget field `")
        .append(space.budgetField())
        .append("` on rungs ");
    for (int k = 0; k < space.schedule().rungs(); k++)
      md.append(k == 0 ? "" : ", ").append(Math.round(space.schedule().budget(k)));
    md.append(" (eta ").append(space.schedule().eta()).append(")\n");
    md.append("- scored on validation seeds ")
        .append(space.validationSeeds())
        .append(" (success rate, ties by mean max coverage); the winner once on protocol seeds ")
        .append(space.protocolSeeds())
        .append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "- minutes used: %.1f of a %.1f-minute budget%s%n%n",
            b.minutesUsed(),
            b.budgetMinutes(),
            b.stopped() == null ? " (running)" : "; stopped: " + b.stopped()));
    md.append(
        "| job | trial | rung | budget | config drawn | why | success | coverage | decision | minutes |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Research.Entry e : b.entries()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %d | %d | `%s` | %s | %s | %s | %s | %.1f |%n",
              e.job(),
              e.trial(),
              e.rung(),
              Math.round(e.budget()),
              e.drawn(),
              e.why(),
              e.outcome() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%.3f", e.outcome().successRate()),
              e.outcome() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%.3f", e.outcome().meanMaxCoverage()),
              e.decision().replace("|", "/"),
              e.minutes()));
    }
    if (b.baseline() != null) {
      Research.Entry e = b.baseline();
      md.append("\n## Baseline\n\n");
      md.append(
          String.format(
              Locale.ROOT,
              "The hand-tuned `%s` on the largest budget (%d %s), run before the trials: %s%s (%.1f"
                  + " minutes).%n",
              e.drawn(),
              Math.round(e.budget()),
              space.budgetField(),
              e.outcome() == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      "validation success %.3f, mean max coverage %.4f; ",
                      e.outcome().successRate(),
                      e.outcome().meanMaxCoverage()),
              e.decision(),
              e.minutes()));
    }
    if (b.winner() != null) {
      md.append("\n## Winner\n\n");
      md.append(
          String.format(
              Locale.ROOT,
              "Trial %d on rung %d: `%s`, validation success %.3f.%n",
              b.winner().trial(),
              b.winner().rung(),
              b.winner().drawn(),
              b.winner().outcome() == null ? Double.NaN : b.winner().outcome().successRate()));
    }
    if (b.protocol() != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nOnce on the protocol seeds %s: success %.3f (%d episodes), mean max coverage %.4f.%n",
              b.protocol().seeds(),
              b.protocol().successRate(),
              b.protocol().episodes(),
              b.protocol().meanMaxCoverage()));
    }
    if (b.baselineProtocol() != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nThe baseline, once on the protocol seeds %s: success %.3f (%d episodes), mean max"
                  + " coverage %.4f.%n",
              b.baselineProtocol().seeds(),
              b.baselineProtocol().successRate(),
              b.baselineProtocol().episodes(),
              b.baselineProtocol().meanMaxCoverage()));
    }
    if (b.verdict() != null)
      md.append("\n**Against the baseline**: ").append(b.verdict()).append(".\n");
    return md.toString();
  }
}
