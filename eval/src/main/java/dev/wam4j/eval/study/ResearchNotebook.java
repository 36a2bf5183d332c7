package dev.wam4j.eval.study;

import dev.wam4j.eval.stats.RateBounds;
import java.util.Locale;

/**
 * The lab notebook of a {@link Research} search in words: the markdown of what was tried, why and
 * what came of it, and the verdict of the winner against the baseline.
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

  /**
   * The winner against the baseline, in words: on the protocol seeds, where each was evaluated once
   * after the choice (successes, Wilson 95 % intervals, whether they overlap), then on the
   * validation seeds the winner was chosen on (which favour it). "No comparison" when the baseline
   * failed; null until both are evaluated on the protocol seeds.
   */
  static String verdict(
      Research.Entry winner,
      RunOutcome winnerProtocol,
      Research.Entry baseline,
      RunOutcome baselineProtocol) {
    if (baseline == null) return null;
    if (Double.isNaN(baseline.score())) return "no comparison, the baseline " + baseline.decision();
    if (winner == null || winnerProtocol == null || baselineProtocol == null) return null;
    RateBounds w = bounds(winnerProtocol), b = bounds(baselineProtocol);
    boolean overlap = w.lower() <= b.upper() && b.lower() <= w.upper();
    return String.format(
        Locale.ROOT,
        "on the protocol seeds %s (each evaluated once, after the choice): winner trial %d (rung %d,"
            + " %d) %d/%d [%.2f, %.2f], hand-tuned baseline (%d) %d/%d [%.2f, %.2f]: %s (95%%"
            + " intervals %s); on the validation seeds the winner was chosen on (in its favour):"
            + " %.3f against %.3f",
        winnerProtocol.seeds(),
        winner.trial(),
        winner.rung(),
        Math.round(winner.budget()),
        w.successes(),
        w.trials(),
        w.lower(),
        w.upper(),
        Math.round(baseline.budget()),
        b.successes(),
        b.trials(),
        b.lower(),
        b.upper(),
        w.successes() * b.trials() >= b.successes() * w.trials()
            ? "at least as good"
            : "worse than the baseline",
        overlap ? "overlap: a difference within noise" : "separate",
        winner.outcome().successRate(),
        baseline.outcome().successRate());
  }

  private static RateBounds bounds(RunOutcome o) {
    return RateBounds.wilson95(Math.round(o.successRate() * o.episodes()), o.episodes());
  }
}
