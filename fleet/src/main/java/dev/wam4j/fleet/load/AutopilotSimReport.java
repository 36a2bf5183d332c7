package dev.wam4j.fleet.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.data.AtomicFiles;
import dev.wam4j.fleet.autopilot.Autopilot;
import dev.wam4j.fleet.server.FleetServer;
import dev.wam4j.fleet.store.Records;
import dev.wam4j.model.chart.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a simulated day ({@link AutopilotSim}): the fleet's success rate against simulated
 * time with the autopilot's decisions marked ({@code success.png}), every decision with its
 * evidence ({@code report.md}), and the numbers ({@code result.json}).
 */
final class AutopilotSimReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Episodes in the rolling success rate of the chart. */
  static final int WINDOW = 100;

  private AutopilotSimReport() {}

  static AutopilotSim.Result write(
      AutopilotSim.Config c,
      FleetServer server,
      Autopilot autopilot,
      List<AutopilotSim.Point> timeline,
      double wallMinutes,
      String stoppedBy,
      Path out,
      String task)
      throws Exception {
    List<Records.Episode> eps = server.store().uploads().episodes(task);
    int n = eps.size();
    double[] hour = new double[n], ok = new double[n];
    long frames = 0, successes = 0;
    for (int i = 0; i < n; i++) {
      frames += eps.get(i).frames();
      hour[i] = frames / (10.0 * 3600) / c.robots();
      ok[i] = eps.get(i).success() ? 1 : 0;
      if (eps.get(i).success()) successes++;
    }
    double day = n == 0 ? 0 : hour[n - 1];
    double start = rate(hour, ok, 0, day / 10), end = rate(hour, ok, day * 0.9, day + 1);
    List<Map<String, Object>> decisions = new ArrayList<>();
    for (Autopilot.Decision d : autopilot.decisions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", d.kind());
      m.put("simulated_hour", round(hourAt(timeline, d.atMs())));
      m.put("at_ms", d.atMs());
      m.put("evidence", d.evidence());
      decisions.add(m);
    }
    Autopilot.State s = autopilot.state();
    Path png = out.resolve("success.png");
    chart(hour, ok, decisions).write(png);
    Path md = out.resolve("report.md");
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("robots", c.robots());
    config.put("hours", c.hours());
    config.put("model", c.model().toString());
    config.put("scene", c.scene());
    config.put("bad_candidate", c.badCandidate());
    config.put("bad_finetune", c.badFinetune());
    config.put("max_wall_minutes", c.maxWallMinutes());
    config.put("state_every_steps", c.stateEverySteps());
    config.put("autopilot", autopilot.config().describe());
    AutopilotSim.Result r =
        new AutopilotSim.Result(
            config,
            round(day),
            round(frames / 36000.0),
            n,
            successes,
            Double.isNaN(start) ? null : round(start),
            Double.isNaN(end) ? null : round(end),
            s.candidates(),
            s.promoted(),
            s.rolledBack(),
            s.interventions(),
            decisions,
            round(wallMinutes),
            stoppedBy,
            md.toString(),
            png.toString());
    AtomicFiles.writeString(md, markdown(r));
    AtomicFiles.writeString(out.resolve("result.json"), JSON.writeValueAsString(r));
    return r;
  }

  /** Success rate of the episodes that ended in [from, to) simulated hours; NaN when none. */
  static double rate(double[] hour, double[] ok, double from, double to) {
    double s = 0;
    int n = 0;
    for (int i = 0; i < hour.length; i++)
      if (hour[i] >= from && hour[i] < to) {
        s += ok[i];
        n++;
      }
    return n == 0 ? Double.NaN : s / n;
  }

  /** The simulated hour at epoch time {@code ms}: the last sample taken before it. */
  private static double hourAt(List<AutopilotSim.Point> timeline, long ms) {
    double h = 0;
    for (AutopilotSim.Point p : timeline) if (p.atMs() <= ms) h = p.simulatedHours();
    return h;
  }

  private static LineChart chart(double[] hour, double[] ok, List<Map<String, Object>> decisions) {
    LineChart chart =
        new LineChart(
            "A simulated day: the fleet's success rate, no person in the loop",
            "simulated hours (per robot)",
            "success rate");
    int w = Math.max(1, Math.min(WINDOW, hour.length / 5));
    if (hour.length > 0) chart.smoothed("episodes", hour, ok, w);
    for (String kind : List.of("canary_deployed", "promoted", "rolled_back")) {
      List<Double> xs = new ArrayList<>();
      for (Map<String, Object> d : decisions)
        if (d.get("kind").toString().startsWith(kind)) xs.add((Double) d.get("simulated_hour"));
      if (xs.isEmpty()) continue;
      double[] x = new double[xs.size() * 2], y = new double[xs.size() * 2];
      for (int i = 0; i < xs.size(); i++) { // a short vertical tick at each decision
        x[2 * i] = x[2 * i + 1] = xs.get(i);
        y[2 * i] = kind.equals("promoted") ? 1.0 : kind.equals("rolled_back") ? 0.0 : 0.5;
        y[2 * i + 1] = y[2 * i] + (kind.equals("promoted") ? -0.05 : 0.05);
      }
      chart.marks(kind.replace('_', ' '), x, y); // one tick per decision, not a line between them
    }
    return chart;
  }

  private static String markdown(AutopilotSim.Result r) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# A simulated day of the fleet\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%.2f simulated hours per robot (%.2f h of data, %d episodes, %d successful) in %.1f"
                + " wall minutes%s.\n\n",
            r.simulatedHours(),
            r.dataHours(),
            r.episodes(),
            r.successes(),
            r.wallMinutes(),
            r.stoppedBy().equals("hours") ? "" : " (stopped by " + r.stoppedBy() + ")"));
    b.append(
        String.format(
            Locale.ROOT,
            "| success rate, first tenth | last tenth | candidates | promoted | rolled back |"
                + " interventions |\n|---|---|---|---|---|---|\n| %s | %s | %d | %d | %d | %d"
                + " |\n\n",
            rate(r.successRateStart()),
            rate(r.successRateEnd()),
            r.candidates(),
            r.promoted(),
            r.rolledBack(),
            r.interventions()));
    b.append("![success rate](success.png)\n\n## Decisions, with their evidence\n\n");
    for (Map<String, Object> d : r.decisions())
      b.append(
          String.format(
              Locale.ROOT,
              "- **%s** at simulated hour %s: `%s`\n",
              d.get("kind"),
              d.get("simulated_hour"),
              JSON.writer()
                  .without(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(d.get("evidence"))));
    b.append("\n## Config\n\n```json\n")
        .append(JSON.writeValueAsString(r.config()))
        .append("\n```\n");
    return b.toString();
  }

  private static String rate(Double r) {
    return r == null ? "n/a (no episode)" : String.format(Locale.ROOT, "%.3f", r);
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : v;
  }
}
