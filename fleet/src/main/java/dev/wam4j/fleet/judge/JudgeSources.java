package dev.wam4j.fleet.judge;

import dev.wam4j.data.AtomicFiles;
import dev.wam4j.data.DataSets;
import dev.wam4j.eval.turing.TuringTest;
import dev.wam4j.model.load.ChunkPolicies;
import dev.wam4j.model.policy.ChunkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Where a server's human judge comes from: the first {@link HumanJudge#DEFAULT_PAIRS} PushT
 * demonstrations found ({@link DataSets#pushTDemonstrations()}, the shipped sample when nothing
 * else is), left/right and order drawn from a secret seed kept beside the judgements ({@link
 * #secretSeed}), against the scripted expert (built on first use: it takes a moment) or a
 * checkpoint's policy (built in the background from the start: its episodes take seconds each on a
 * CPU, minutes for all 25; until they are done the judge is "not ready", with how far it is, rather
 * than holding the request).
 */
public final class JudgeSources {
  private JudgeSources() {}

  /** The scripted expert as the robot, built when first called. */
  public static Callable<HumanJudge> expert(Path judgements) {
    return () ->
        HumanJudge.of(
            HumanJudge.expertPairs(DataSets.pushTDemonstrations().path(), HumanJudge.DEFAULT_PAIRS),
            judgements,
            secretSeed(judgements));
  }

  /**
   * The seed of the judges' orders and left/right draws: a random number kept in {@code
   * judgements}' folder as {@code NAME.secret} (owner-only), made on first use and read back after,
   * so the draws survive a restart but cannot be worked out from the source code.
   *
   * @throws IOException when the file cannot be read or written, or does not hold a number
   */
  public static long secretSeed(Path judgements) throws IOException {
    Path file = judgements.resolveSibling(judgements.getFileName() + ".secret");
    if (Files.isRegularFile(file)) {
      String text = Files.readString(file).strip();
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IOException(
            file + ": expected the judges' secret seed (a number), got '" + text + "'");
      }
    }
    long seed = new SecureRandom().nextLong();
    AtomicFiles.writeSecret(file, Long.toString(seed));
    return seed;
  }

  /**
   * The policy in {@code checkpoint} as the robot, its name in the judgements the checkpoint's
   * absolute path: loaded ({@link ChunkPolicies#load(Path)}), run once per pair, and closed, on a
   * background thread started now ({@link #ahead}).
   *
   * @param progress told as the robot's clips are done (may be null)
   */
  public static Callable<HumanJudge> checkpoint(
      Path judgements, Path checkpoint, TuringTest.ProgressListener progress) {
    if (checkpoint == null) throw new IllegalArgumentException("the checkpoint is required");
    String name = checkpoint.toAbsolutePath().normalize().toString();
    AtomicReference<String> sofar = new AtomicReference<>("loading the checkpoint");
    return ahead(
        () -> {
          try (ChunkPolicy policy = ChunkPolicies.load(checkpoint)) {
            sofar.set("0 clips done");
            return HumanJudge.of(
                HumanJudge.policyPairs(
                    DataSets.pushTDemonstrations().path(),
                    HumanJudge.DEFAULT_PAIRS,
                    policy,
                    (done, total) -> {
                      sofar.set(done + " of " + total + " clips done");
                      if (progress != null) progress.pairs(done, total);
                    }),
                name,
                judgements,
                secretSeed(judgements));
          }
        },
        sofar::get);
  }

  /**
   * Thrown while the judge is still being built.
   *
   * @see #ahead
   */
  public static final class NotReady extends Exception {
    private static final long serialVersionUID = 1L;

    NotReady(String message) {
      super(message);
    }
  }

  /**
   * Runs {@code build} on a daemon thread started now. The result, called before the build is done,
   * throws {@link NotReady} at once (with {@code status}, e.g. how many clips are done) rather than
   * holding a judge's request for minutes; after, it gives the judge, or throws what the build
   * threw (every time: the build runs once).
   *
   * @param status says how far the build is (may be null)
   */
  public static Callable<HumanJudge> ahead(Callable<HumanJudge> build, Supplier<String> status) {
    FutureTask<HumanJudge> task = new FutureTask<>(build);
    Thread.ofPlatform().daemon().name("judge-pairs").start(task);
    return () -> {
      if (!task.isDone())
        throw new NotReady(
            "the robot's clips are still being computed"
                + (status == null ? "" : " (" + status.get() + ")")
                + "; try again in a moment");
      try {
        return task.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception cause) throw cause;
        throw e;
      }
    };
  }
}
