package dev.wam4j.rl.ppo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of daemon threads that runs a list of jobs and waits for all of them; one thread
 * runs them inline.
 */
final class Workers implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;

  Workers(int threads, String name) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    this.threads = threads;
    pool =
        threads > 1
            ? Executors.newFixedThreadPool(
                threads,
                r -> {
                  Thread th = new Thread(r, name);
                  th.setDaemon(true);
                  return th;
                })
            : null;
  }

  int threads() {
    return threads;
  }

  /**
   * Runs every job, in parallel when there are threads for it; rethrows the first job's failure.
   */
  void run(List<Runnable> jobs) {
    if (pool == null) {
      jobs.forEach(Runnable::run);
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (Runnable t : jobs) futures.add(pool.submit(t));
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) throw re;
        if (e.getCause() instanceof Error err) throw err;
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
  }
}
