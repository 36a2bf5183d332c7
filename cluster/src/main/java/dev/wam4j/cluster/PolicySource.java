package dev.wam4j.cluster;

import dev.wam4j.model.policy.ChunkPolicy;
import java.io.IOException;
import java.io.Serializable;

/**
 * Where an executor gets its policy: shipped to every executor with the job, opened there at most
 * once per task slot and kept for the job's later partitions ({@link PolicyPool}). Implementations
 * are records (value equality: the pool's key) of plain serializable fields.
 */
public interface PolicySource extends Serializable {
  /**
   * A new policy, owned by the caller.
   *
   * @throws IOException when it cannot be loaded
   */
  ChunkPolicy open() throws IOException;

  /**
   * Readies the calling thread to run this source's policies (a task may run on any of an
   * executor's threads); called before each partition. Nothing by default.
   */
  default void onThisThread() {}
}
