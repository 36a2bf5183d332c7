package dev.wam4j.data.fetch;

import java.util.Objects;

/**
 * Where a data set comes from and how to know the copy is right: a zip archive at {@code url}
 * holding the data set folder at {@code entry}.
 *
 * @param name short name, also the cache folder ({@code <cache>/<name>/}), e.g. {@code pusht}
 * @param url the archive's URL (http or https)
 * @param archiveSha256 pinned SHA-256 of the archive (lower-case hex), or {@code null} when it is
 *     not known and only the unpacked content is verified
 * @param archiveBytes pinned size of the archive, or -1 when unknown
 * @param entry path inside the zip of the data set folder, '/'-separated, e.g. {@code
 *     pusht/pusht_cchi_v7_replay.zarr}; its last segment names the folder in the cache
 * @param contentSha256 expected {@link ZarrContentDigest} of the unpacked folder, or {@code null}
 * @param description what the data is, for people
 * @param licence the terms it is released under
 */
public record DatasetSource(
    String name,
    String url,
    String archiveSha256,
    long archiveBytes,
    String entry,
    String contentSha256,
    String description,
    String licence) {

  public DatasetSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(entry, "entry");
    if (!name.matches("[a-z0-9][a-z0-9._-]*"))
      throw new IllegalArgumentException("data set name '" + name + "': use a-z, 0-9, . _ -");
    if (!url.startsWith("http://") && !url.startsWith("https://"))
      throw new IllegalArgumentException("url must be http(s): " + url);
    entry = entry.replaceAll("^/+|/+$", "");
    if (entry.isEmpty() || java.util.Arrays.asList(entry.split("/")).contains(".."))
      throw new IllegalArgumentException(
          "entry '" + entry + "' is not a folder inside the archive");
    archiveSha256 = hex(archiveSha256, "archiveSha256");
    contentSha256 = hex(contentSha256, "contentSha256");
  }

  /** The data set folder's name: the last segment of {@link #entry()}. */
  public String folderName() {
    return entry.substring(entry.lastIndexOf('/') + 1);
  }

  /** The same source served from another URL (a mirror); the pinned digests still apply. */
  public DatasetSource withUrl(String newUrl) {
    return new DatasetSource(
        name, newUrl, archiveSha256, archiveBytes, entry, contentSha256, description, licence);
  }

  /** The same source with the archive's SHA-256 pinned. */
  public DatasetSource withArchiveSha256(String sha256) {
    return new DatasetSource(
        name, url, sha256, archiveBytes, entry, contentSha256, description, licence);
  }

  private static String hex(String value, String field) {
    if (value == null) return null;
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!v.matches("[0-9a-f]{64}"))
      throw new IllegalArgumentException(
          field + " must be 64 hex digits (a SHA-256), got '" + value + "'");
    return v;
  }
}
