/**
 * Fetching the data sets wam4j reads: a catalog of known sources ({@link
 * dev.wam4j.data.fetch.DatasetCatalog}), a resumable HTTP download that is verified twice (the
 * archive's SHA-256 when pinned, then the decoded content of the unpacked zarr store, {@link
 * dev.wam4j.data.fetch.ZarrContentDigest}) and unpacked atomically into the cache ({@link
 * dev.wam4j.data.fetch.DataCache}), so that a killed or failed fetch never leaves anything at the
 * final path that looks valid.
 */
package dev.wam4j.data.fetch;
