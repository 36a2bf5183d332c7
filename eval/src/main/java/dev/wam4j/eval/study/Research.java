package dev.wam4j.eval.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wam4j.eval.report.ReportFiles;
import dev.wam4j.model.wam.WamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An experiment that runs itself: trials drawn from a {@link ResearchSpace}, scheduled by {@link
 * SuccessiveHalving} on the validation seeds within a wall-clock budget, a lab notebook written
 * after every job ({@code notebook.json}, which also resumes a killed search, and {@code
 * notebook.md}), and the winner evaluated once on the protocol seeds. A trial's score is its
 * validation success rate, ties broken by mean max coverage. Rerun the same command to continue:
 * jobs in the notebook are not run again, a job killed mid-way resumes from its run's checkpoint,
 * and the minutes already used count against the budget.
 */
public final class Research {
  static final String NOTEBOOK_JSON = "notebook.json", NOTEBOOK_MD = "notebook.md";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One job of the search, as the notebook keeps it.
   *
   * @param job the job's number (0, 1, ...)
   * @param trial the trial
   * @param rung its rung
   * @param budget the budget field's value on that rung
   * @param drawn the searched fields' values of the trial
   * @param why why this job ran (a new trial; a promotion and its rank)
   * @param outcome the validation outcome, or null (failed, out of budget)
   * @param score the score successive halving saw (NaN: failed)
   * @param decision what came of it
   * @param minutes wall minutes the job took
   */
  public record Entry(
      int job,
      int trial,
      int rung,
      double budget,
      JsonNode drawn,
      String why,
      RunOutcome outcome,
      double score,
      String decision,
      double minutes) {}

  /**
   * The notebook: everything the search did.
   *
   * @param space the space file
   * @param spaceSha256 the space file's SHA-256 (a search resumes only from the same file)
   * @param hypothesis the space's hypothesis
   * @param budgetMinutes the budget of the latest invocation
   * @param minutesUsed wall minutes spent on jobs so far (over every invocation)
   * @param entries the jobs, in order
   * @param winner the best trial's last entry, or null
   * @param protocol the winner's one evaluation on the protocol seeds, or null
   * @param stopped why the search stopped, or null while it runs
   * @param baseline the space's hand-tuned baseline, run on the largest budget before the trials
   *     (trial -1), or null (none given, or not finished yet)
   * @param baselineProtocol the baseline's one evaluation on the protocol seeds (after the winner
   *     was chosen: it chooses nothing), or null
   * @param verdict the winner against the baseline on the protocol seeds, or null until both are
   *     evaluated there
   */
  public record Notebook(
      String space,
      String spaceSha256,
      String hypothesis,
      double budgetMinutes,
      double minutesUsed,
      List<Entry> entries,
      Entry winner,
      RunOutcome protocol,
      String stopped,
      Entry baseline,
      RunOutcome baselineProtocol,
      String verdict) {
    public Notebook {
      entries = List.copyOf(entries);
    }
  }

  private Research() {}

  /** Runs (or continues) the search in {@code out}; returns its notebook. */
  public static Notebook run(
      ResearchSpace space, Path out, double budgetMinutes, TrialRunner runner, Consumer<String> log)
      throws IOException {
    return run(space, out, budgetMinutes, runner, log, System::nanoTime);
  }

  /** The same on a given clock (nanoseconds; tests). */
  static Notebook run(
      ResearchSpace space,
      Path out,
      double budgetMinutes,
      TrialRunner runner,
      Consumer<String> log,
      java.util.function.LongSupplier clock)
      throws IOException {
    if (!(budgetMinutes > 0))
      throw new IllegalArgumentException("budget must be > 0 minutes, got " + budgetMinutes);
    Files.createDirectories(out);
    Notebook book = load(out, space);
    List<Entry> entries = new ArrayList<>(book == null ? List.of() : book.entries());
    double used = book == null ? 0 : book.minutesUsed();
    if (book != null && book.protocol() != null) {
      log.accept(
          "the search in " + out + " is finished; its notebook is " + out.resolve(NOTEBOOK_MD));
      return book;
    }
    checkExtremes(space, runner);
    SuccessiveHalving asha = restore(space, entries);
    long start = clock.getAsLong();
    double usedBefore = used;
    String stopped = null;
    Entry baseline = book == null ? null : book.baseline();
    boolean baselineDue = baseline == null || Double.isNaN(baseline.score()); // failed: again
    if (space.baseline() != null && baselineDue && budgetMinutes - used > 0) {
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "baseline: the hand-tuned %s on the largest budget (%.1f of %.1f minutes left)",
              space.baseline(),
              budgetMinutes - used,
              budgetMinutes));
      // the control first: what the hand-tuned values score on the same seeds and largest budget
      long deadline = start + (long) ((budgetMinutes - usedBefore) * 60e9);
      Entry ran = runBaseline(space, out, runner, deadline, clock);
      used = usedBefore + (clock.getAsLong() - start) / 60e9;
      if (ran == null) { // out of time: an earlier failure stays on record
        stopped =
            "budget of "
                + budgetMinutes
                + " minutes used (the baseline did not finish; its run keeps its checkpoint: rerun"
                + " with a larger --budget to continue)";
      } else {
        baseline = ran;
        log.accept("baseline: " + baseline.decision());
      }
      save(out, space, budgetMinutes, used, entries, asha, null, null, baseline, null);
    }
    while (stopped == null) {
      double left = budgetMinutes - used;
      if (left <= 0) {
        stopped = "budget of " + budgetMinutes + " minutes used";
        break;
      }
      SuccessiveHalving.Job job = asha.next();
      String why = why(asha, job);
      String name = "trial-" + job.trial() + "-rung-" + job.rung();
      log.accept(
          String.format("%s: %s (%.1f of %.1f minutes left)", name, why, left, budgetMinutes));
      long t0 = clock.getAsLong();
      RunOutcome outcome = null;
      String decision;
      double score;
      try {
        outcome =
            runner.train(
                name,
                space.config(job.trial(), job.budget()),
                out.resolve("trial-" + job.trial()).resolve("rung-" + job.rung()),
                space.validationSeeds(),
                start + (long) ((budgetMinutes - usedBefore) * 60e9));
        if (outcome == null) {
          decision = "out of budget before it finished: not scored (its run keeps its checkpoint)";
          score = Double.NaN;
        } else {
          score = score(outcome);
          decision =
              String.format(java.util.Locale.ROOT, "scored %.4f on rung %d", score, job.rung());
        }
      } catch (IOException | RuntimeException e) {
        score = Double.NaN;
        decision = "failed, skipped: " + e.getMessage();
      }
      double minutes = (clock.getAsLong() - t0) / 60e9;
      used = usedBefore + (clock.getAsLong() - start) / 60e9;
      if (outcome == null && decision.startsWith("out of budget")) {
        entries.add(entry(entries.size(), job, space, why, null, score, decision, minutes));
        stopped = "budget of " + budgetMinutes + " minutes used (the last job did not finish)";
        save(out, space, budgetMinutes, used, entries, asha, null, null, baseline, null);
        break;
      }
      asha.report(job, score);
      entries.add(entry(entries.size(), job, space, why, outcome, score, decision, minutes));
      log.accept(name + ": " + decision);
      save(out, space, budgetMinutes, used, entries, asha, null, null, baseline, null);
    }
    Optional<SuccessiveHalving.Trial> best = asha.best();
    if (best.isEmpty()) {
      long failed = entries.stream().filter(e -> e.decision().startsWith("failed")).count();
      String why =
          failed > 0
              ? "no trial succeeded: "
                  + failed
                  + " failed (see their decisions), none scored in "
                  + budgetMinutes
                  + " minutes"
              : space.baseline() != null && baseline == null
                  ? "budget too small for the baseline: it did not finish the largest budget ("
                      + Math.round(space.maxBudget())
                      + " "
                      + space.budgetField()
                      + ") in "
                      + budgetMinutes
                      + " minutes"
                  : "budget too small for one trial: no trial finished its first rung in "
                      + budgetMinutes
                      + " minutes";
      save(out, space, budgetMinutes, used, entries, asha, null, why, baseline, null);
      throw new IllegalArgumentException(why + " (notebook: " + out.resolve(NOTEBOOK_MD) + ")");
    }
    Entry winner = winnerEntry(entries, best.get());
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "%s; winner trial %d (rung %d, %s); evaluating it once on the protocol seeds %s",
            stopped,
            winner.trial(),
            winner.rung(),
            winner.drawn(),
            space.protocolSeeds()));
    RunOutcome protocol =
        runner.evaluate(
            "winner trial-" + winner.trial(),
            out.resolve("trial-" + winner.trial()).resolve("rung-" + winner.rung()),
            space.protocolSeeds());
    RunOutcome baselineProtocol = null;
    if (baseline != null && !Double.isNaN(baseline.score())) {
      log.accept("evaluating the baseline once on the protocol seeds " + space.protocolSeeds());
      baselineProtocol =
          runner.evaluate("baseline", out.resolve("baseline"), space.protocolSeeds());
    }
    return save(
        out,
        space,
        budgetMinutes,
        used,
        entries,
        asha,
        protocol,
        stopped,
        baseline,
        baselineProtocol);
  }

  /**
   * The control: the space's hand-tuned values trained on the largest budget and scored on the
   * validation seeds like a trial, before the trials (it never competes). Null when the deadline
   * came first (the caller keeps any earlier entry); a failure is an entry with a NaN score (run
   * again on the next invocation).
   */
  private static Entry runBaseline(
      ResearchSpace space,
      Path out,
      TrialRunner runner,
      long deadlineNanos,
      java.util.function.LongSupplier clock) {
    long t0 = clock.getAsLong();
    RunOutcome outcome = null;
    double score = Double.NaN;
    String decision;
    try {
      outcome =
          runner.train(
              "baseline",
              space.baselineConfig(),
              out.resolve("baseline"),
              space.validationSeeds(),
              deadlineNanos);
      if (outcome == null) return null;
      score = score(outcome);
      decision = String.format(java.util.Locale.ROOT, "scored %.4f", score);
    } catch (IOException | RuntimeException e) {
      decision = "failed: " + e.getMessage();
    }
    return new Entry(
        -1,
        -1,
        space.schedule().rungs() - 1,
        space.maxBudget(),
        space.baseline(),
        "the hand-tuned baseline, on the largest budget",
        outcome,
        score,
        decision,
        (clock.getAsLong() - t0) / 60e9);
  }

  /**
   * Fails before any job when a searched value could not train (e.g. fewer angle harmonics than the
   * init checkpoint's: its head cannot shrink), naming the field and the value, or when the
   * baseline could not. One field varies at a time: combinations of values are not checked.
   */
  private static void checkExtremes(ResearchSpace space, TrialRunner runner) {
    for (ResearchSpace.Extreme e : space.extremes())
      check(runner, e.config(), space.file() + ": search." + e.field() + " = " + e.value());
    if (space.baseline() != null)
      check(runner, space.baselineConfig(), space.file() + ": baseline " + space.baseline());
  }

  private static void check(TrialRunner runner, WamConfig config, String what) {
    try {
      runner.check(config);
    } catch (IOException | RuntimeException ex) {
      throw new IllegalArgumentException(what + " could not train: " + ex.getMessage(), ex);
    }
  }

  /** A run's score: its validation success rate, ties broken by mean max coverage. */
  private static double score(RunOutcome outcome) {
    return outcome.successRate() + 1e-3 * outcome.meanMaxCoverage();
  }

  private static String why(SuccessiveHalving asha, SuccessiveHalving.Job job) {
    if (job instanceof SuccessiveHalving.Job.Start) return "new trial on rung 0";
    int k = job.rung() - 1;
    List<SuccessiveHalving.Trial> trials = asha.trials();
    double own = trials.get(job.trial()).scores().get(k);
    long finished = trials.stream().filter(t -> t.scores().size() > k).count();
    long ahead =
        trials.stream().filter(t -> t.scores().size() > k && t.scores().get(k) > own).count();
    return String.format(
        "promoted from rung %d: ranked %d of %d finished there (top 1/%d go on)",
        k, ahead + 1, finished, asha.config().eta());
  }

  private static Entry entry(
      int n,
      SuccessiveHalving.Job job,
      ResearchSpace space,
      String why,
      RunOutcome outcome,
      double score,
      String decision,
      double minutes) {
    return new Entry(
        n,
        job.trial(),
        job.rung(),
        job.budget(),
        space.drawn(job.trial()),
        why,
        outcome,
        score,
        decision,
        minutes);
  }

  private static Entry winnerEntry(List<Entry> entries, SuccessiveHalving.Trial best) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.trial() == best.id() && e.rung() == best.finishedRung()) return e;
    }
    throw new IllegalStateException("no notebook entry for trial " + best.id());
  }

  /** The schedule the notebook's scored jobs describe (each trial's rungs in order). */
  private static SuccessiveHalving restore(ResearchSpace space, List<Entry> entries) {
    List<List<Double>> scores = new ArrayList<>();
    for (Entry e : entries) {
      if (e.outcome() == null && e.decision().startsWith("out of budget")) continue;
      while (scores.size() <= e.trial()) scores.add(new ArrayList<>());
      List<Double> s = scores.get(e.trial());
      if (s.size() != e.rung())
        throw new IllegalStateException(
            "notebook entry " + e.job() + " scores trial " + e.trial() + " out of rung order");
      s.add(e.score());
    }
    List<SuccessiveHalving.Trial> trials = new ArrayList<>();
    for (int i = 0; i < scores.size(); i++)
      trials.add(new SuccessiveHalving.Trial(i, scores.get(i), -1));
    return SuccessiveHalving.restore(space.schedule(), trials);
  }

  private static Notebook load(Path out, ResearchSpace space) throws IOException {
    Path f = out.resolve(NOTEBOOK_JSON);
    if (!Files.isRegularFile(f)) return null;
    Notebook book = JSON.readValue(f.toFile(), Notebook.class);
    if (!book.space().equals(space.file().toAbsolutePath().normalize().toString()))
      throw new IllegalArgumentException(
          out
              + " holds the search of "
              + book.space()
              + ", not of "
              + space.file()
              + "; choose another --out");
    // an edited space draws other values for the same trials: their scores would not belong to them
    if (!book.spaceSha256().equals(space.sha256()))
      throw new IllegalArgumentException(
          space.file()
              + " changed since the search in "
              + out
              + " began; resume with the file as it was, or start a new search with another --out");
    return book;
  }

  private static Notebook save(
      Path out,
      ResearchSpace space,
      double budgetMinutes,
      double used,
      List<Entry> entries,
      SuccessiveHalving asha,
      RunOutcome protocol,
      String stopped,
      Entry baseline,
      RunOutcome baselineProtocol)
      throws IOException {
    Entry winner = asha.best().map(b -> winnerEntry(entries, b)).orElse(null);
    Notebook book =
        new Notebook(
            space.file().toAbsolutePath().normalize().toString(),
            space.sha256(),
            space.hypothesis(),
            budgetMinutes,
            used,
            entries,
            winner,
            protocol,
            stopped,
            baseline,
            baselineProtocol,
            ResearchNotebook.verdict(winner, protocol, baseline, baselineProtocol));
    ReportFiles.write(out.resolve(NOTEBOOK_JSON), JSON.writeValueAsString(book));
    ReportFiles.write(out.resolve(NOTEBOOK_MD), ResearchNotebook.markdown(book, space));
    return book;
  }
}
