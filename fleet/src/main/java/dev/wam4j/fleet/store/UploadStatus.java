package dev.wam4j.fleet.store;

/**
 * Where an episode upload stands: {@code open} while chunks arrive, {@code complete} once checked
 * and kept, {@code quarantined} when its bytes hold no usable episode; {@code duplicate} (never
 * stored) when an episode with the same digest is kept already.
 */
public enum UploadStatus implements Wire {
  OPEN,
  COMPLETE,
  QUARANTINED,
  DUPLICATE
}
