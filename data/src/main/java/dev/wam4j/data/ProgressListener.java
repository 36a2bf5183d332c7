package dev.wam4j.data;

/**
 * Hears how far a long job is: {@code done} of {@code total} units; may be called from several
 * threads.
 */
@FunctionalInterface
public interface ProgressListener {
  void update(long done, long total);
}
