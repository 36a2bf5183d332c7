package dev.wam4j.bench.dyn4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Entry point of the dyn4j PushT benchmark.
 * <pre>
 *   replay IN.bin OUT.json [key=value ...]   replay all demonstrations with one solver config
 *   sweep  IN.bin OUT.json                   replay with every config of the built-in grid
 *   bench  IN.bin SECONDS [key=value ...]    env steps/s, one thread, random actions, reset every 300 steps
 * </pre>
 * keys: pos, baum, slop, maxcorr, warm, wsd, order (dyn4j|chipmunk). IN.bin is the reference harness's
 * replay input (export_dataset.py). Single-threaded.
 */
public final class Main {
    private static final double[] WANT_SUCCESS = {20, 32, 51, 124, 131, 160, 195};

    private Main() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) usage();
        ReplayInput in = ReplayInput.read(Path.of(args[1]));
        switch (args[0]) {
            case "replay" -> {
                SolverConfig cfg = parse(Arrays.copyOfRange(args, 3, args.length));
                Map<String, Object> r = replay(in, cfg);
                System.out.println(summary(r));
                writeJson(Path.of(args[2]), r);
            }
            case "sweep" -> {
                List<Map<String, Object>> all = new ArrayList<>();
                for (SolverConfig cfg : grid()) {
                    Map<String, Object> r = replay(in, cfg);
                    System.out.println(summary(r));
                    all.add(r);
                    writeJson(Path.of(args[2]), Map.of("runs", all));
                }
            }
            case "bench" -> {
                SolverConfig cfg = parse(Arrays.copyOfRange(args, 3, args.length));
                bench(in, Double.parseDouble(args[2]), cfg);
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: replay IN.bin OUT.json [k=v..] | sweep IN.bin OUT.json | bench IN.bin SECONDS [k=v..]");
        System.exit(2);
    }

    static SolverConfig parse(String[] kv) {
        SolverConfig d = SolverConfig.defaults();
        int pos = d.positionIterations();
        double baum = d.baumgarte(), slop = d.linearTolerance(), maxcorr = d.maxLinearCorrection(), wsd = d.warmStartDistance();
        boolean warm = d.warmStart(), chip = d.chipmunkOrder();
        for (String a : kv) {
            int eq = a.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("setting '" + a + "' is not key=value");
            String k = a.substring(0, eq), v = a.substring(eq + 1);
            switch (k) {
                case "pos" -> pos = Integer.parseInt(v);
                case "baum" -> baum = Double.parseDouble(v);
                case "slop" -> slop = Double.parseDouble(v);
                case "maxcorr" -> maxcorr = Double.parseDouble(v);
                case "warm" -> warm = Boolean.parseBoolean(v);
                case "wsd" -> wsd = Double.parseDouble(v);
                case "order" -> chip = switch (v) {
                    case "chipmunk" -> true;
                    case "dyn4j" -> false;
                    default -> throw new IllegalArgumentException("order=" + v + ": expected dyn4j or chipmunk");
                };
                default -> throw new IllegalArgumentException("unknown setting '" + k + "'");
            }
        }
        return new SolverConfig(pos, baum, slop, maxcorr, warm, wsd, chip);
    }

    static List<SolverConfig> grid() {
        List<SolverConfig> g = new ArrayList<>();
        g.add(new SolverConfig(2, 0.2, 0.005, 0.2, true, 0.01, false)); // dyn4j defaults (metres-scale slop)
        for (boolean chip : new boolean[] {false, true})
            for (int pos : new int[] {1, 2, 10})
                // baumgarte 0 = no position correction at all (dyn4j requires >= 1 position iteration)
                for (double baum : pos == 1 ? new double[] {0.0, 0.061, 0.2, 1.0} : new double[] {0.061, 0.2, 1.0})
                    for (double slop : baum == 0.0 ? new double[] {0.1} : new double[] {0.1, 0.01, 0.001})
                        for (boolean warm : new boolean[] {true, false})
                            g.add(new SolverConfig(pos, baum, slop, 1000.0, warm, 1.0, chip));
        // a few extra: dyn4j's small max correction, and warm start distance variants
        g.add(new SolverConfig(2, 0.2, 0.1, 0.2, true, 0.01, false));
        g.add(new SolverConfig(1, 0.061, 0.1, 1000.0, true, 0.01, false));
        g.add(new SolverConfig(1, 0.061, 0.1, 1000.0, true, 10.0, false));
        return g;
    }

    /** Replays every episode from its legacy reset; alignment A (action[t] on state[t] gives state[t+1]). */
    static Map<String, Object> replay(ReplayInput in, SolverConfig cfg) {
        Coverage cov = new Coverage();
        int ne = in.episodes();
        long values = 0, exact = 0, exactRows = 0, rows = 0;
        double maxAgent = 0, maxBlock = 0;
        List<Double> blockErr = new ArrayList<>(), finalErr = new ArrayList<>(), finalAng = new ArrayList<>(),
                termCov = new ArrayList<>(), step10 = new ArrayList<>(), step50 = new ArrayList<>();
        List<Integer> successes = new ArrayList<>();
        double[] s = new double[5];
        long t0 = System.nanoTime();
        long steps = 0;
        for (int e = 0; e < ne; e++) {
            int st = in.start(e), len = in.length(e);
            PushTWorld w = new PushTWorld(cfg);
            double[] d = in.seedState();
            w.setStateLegacy(d[5 * e], d[5 * e + 1], d[5 * e + 2], d[5 * e + 3], d[5 * e + 4]);
            for (int k = 0; k <= len; k++) {
                if (k > 0) {
                    w.step(in.action()[2 * (st + k - 1)], in.action()[2 * (st + k - 1) + 1]);
                    steps++;
                }
                if (k == len) break; // terminal state: not in the data
                w.state(s, 0);
                int f = st + k;
                boolean rowExact = true;
                for (int j = 0; j < 5; j++) {
                    boolean eq = (float) s[j] == (float) in.state()[5 * f + j];
                    exact += eq ? 1 : 0;
                    rowExact &= eq;
                    values++;
                }
                rows++;
                exactRows += rowExact ? 1 : 0;
                double ea = Math.hypot(s[0] - in.state()[5 * f], s[1] - in.state()[5 * f + 1]);
                double eb = Math.hypot(s[2] - in.state()[5 * f + 2], s[3] - in.state()[5 * f + 3]);
                double dang = Math.abs(s[4] - in.state()[5 * f + 4]) % PushTWorld.TWO_PI;
                dang = Math.min(dang, PushTWorld.TWO_PI - dang);
                maxAgent = Math.max(maxAgent, ea);
                maxBlock = Math.max(maxBlock, eb);
                blockErr.add(eb);
                if (k == 10) step10.add(eb);
                if (k == 50) step50.add(eb);
                if (k == len - 1) {
                    finalErr.add(eb);
                    finalAng.add(dang);
                }
            }
            double c = cov.of(w.blockX(), w.blockY(), w.blockCos(), w.blockSin());
            termCov.add(c);
            if (c > 0.95) successes.add(e);
        }
        double secs = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", cfg.label());
        r.put("settings", cfg);
        r.put("float32_exact_values", exact);
        r.put("values", values);
        r.put("float32_exact_fraction", (double) exact / values);
        r.put("float32_exact_rows_fraction", (double) exactRows / rows);
        r.put("block_pos_err_median_all_steps", median(blockErr));
        r.put("block_pos_err_max_all_steps", maxBlock);
        r.put("block_pos_err_step10_median", median(step10));
        r.put("block_pos_err_step50_median", median(step50));
        r.put("block_pos_err_final_median", median(finalErr));
        r.put("block_pos_err_final_max", finalErr.stream().mapToDouble(x -> x).max().orElse(0));
        r.put("angle_err_final_median", median(finalAng));
        r.put("agent_pos_err_max", maxAgent);
        r.put("terminal_coverage_median", median(termCov));
        r.put("terminal_successes", successes);
        long hit = successes.stream().filter(x -> Arrays.stream(WANT_SUCCESS).anyMatch(y -> y == x)).count();
        r.put("terminal_successes_matching_reference", hit);
        r.put("episodes_final_err_over_1", finalErr.stream().filter(x -> x > 1.0).count());
        r.put("episodes_final_err_over_0_1", finalErr.stream().filter(x -> x > 0.1).count());
        r.put("worst_final_episodes", java.util.stream.IntStream.range(0, finalErr.size()).boxed()
                .sorted((a, b) -> Double.compare(finalErr.get(b), finalErr.get(a))).limit(5)
                .map(i -> i + ":" + String.format("%.3g", finalErr.get(i))).toList());
        r.put("replay_steps_per_s", steps / secs);
        return r;
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] a = xs.stream().mapToDouble(x -> x).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
    }

    private static String summary(Map<String, Object> r) {
        return String.format("%-78s exact=%.4f blockErr med=%.4g max=%.4g final med=%.4g angFinal med=%.4g agentMax=%.3g succ=%s (%d/7 ref) termCovMed=%.4f finalErr>0.1:%d >1:%d worst=%s %.0f st/s",
                r.get("config"), r.get("float32_exact_fraction"), r.get("block_pos_err_median_all_steps"),
                r.get("block_pos_err_max_all_steps"), r.get("block_pos_err_final_median"), r.get("angle_err_final_median"),
                r.get("agent_pos_err_max"), r.get("terminal_successes"), r.get("terminal_successes_matching_reference"),
                r.get("terminal_coverage_median"), r.get("episodes_final_err_over_0_1"), r.get("episodes_final_err_over_1"),
                r.get("worst_final_episodes"), r.get("replay_steps_per_s"));
    }

    /** Throughput: env steps/s on this thread, random targets in [0,512]^2, fresh world + legacy reset every 300 steps. */
    static void bench(ReplayInput in, double seconds, SolverConfig cfg) {
        SplittableRandom rng = new SplittableRandom(1);
        double[] d = in.seedState();
        int ne = in.episodes();
        double sink = 0;
        for (int run = -1; run < 3; run++) { // run -1 = JIT warm-up, not reported
            double len = run < 0 ? Math.min(seconds, 3.0) : seconds;
            long steps = 0;
            int ep = 0;
            long t0 = System.nanoTime(), deadline = t0 + (long) (len * 1e9);
            while (true) {
                PushTWorld w = new PushTWorld(cfg);
                int e = ep++ % ne;
                w.setStateLegacy(d[5 * e], d[5 * e + 1], d[5 * e + 2], d[5 * e + 3], d[5 * e + 4]);
                for (int i = 0; i < 300; i++) {
                    w.step(rng.nextDouble() * 512.0, rng.nextDouble() * 512.0);
                    steps++;
                }
                sink += w.blockX();
                if (System.nanoTime() >= deadline) break;
            }
            double secs = (System.nanoTime() - t0) * 1e-9;
            if (run >= 0)
                System.out.printf("{\"run\": %d, \"steps\": %d, \"seconds\": %.3f, \"steps_per_s\": %.1f, \"config\": \"%s\"}%n",
                        run, steps, secs, steps / secs, cfg.label());
        }
        if (sink == 42.4242) System.out.println(); // keep the simulation observable
    }

    private static void writeJson(Path out, Object value) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path abs = out.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        m.writeValue(tmp.toFile(), value);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
