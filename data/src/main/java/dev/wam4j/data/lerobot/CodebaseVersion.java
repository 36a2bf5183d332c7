package dev.wam4j.data.lerobot;

/**
 * The LeRobot layouts this package reads, from {@code codebase_version} in {@code meta/info.json}.
 * v2.0 and v2.1 store one parquet file and one mp4 per episode; v3.0 packs many episodes per file.
 */
public enum CodebaseVersion {
  /** One file per episode; per-dataset stats only. */
  V2_0("v2.0"),
  /** One file per episode; adds {@code meta/episodes_stats.jsonl}. */
  V2_1("v2.1"),
  /** Many episodes per file; episodes and tasks metadata in parquet. */
  V3_0("v3.0");

  private final String tag;

  CodebaseVersion(String tag) {
    this.tag = tag;
  }

  /** The tag as written in info.json, e.g. {@code v3.0}. */
  public String tag() {
    return tag;
  }

  /** True for v2.0 and v2.1 (one file per episode). */
  public boolean perEpisodeFiles() {
    return this != V3_0;
  }

  /** The version for {@code tag}, or null when it is not one this package reads. */
  static CodebaseVersion ofTag(String tag) {
    for (CodebaseVersion v : values()) {
      if (v.tag.equals(tag)) {
        return v;
      }
    }
    return null;
  }
}
