/**
 * Read-only zarr v2 stores as written by Diffusion Policy and UMI ("replay buffers"): a group with
 * {@code data/<name>} arrays stacked along the first (time) axis and {@code meta/episode_ends}.
 *
 * <p>Supported: little-endian {@code <f4 <f8 <i8 <i4} and {@code |u1 |b1} dtypes, C order, no
 * filters, a chunk grid over any dimensions (missing chunks read as {@code fill_value}), and the
 * compressors {@code blosc} (zstd or lz4 inside, no/byte/bit shuffle), {@code zstd} or none. The
 * blosc framing is decoded here; zstd blocks go to zstd-jni, lz4 blocks to a small decoder in this
 * package.
 */
package dev.wam4j.data.zarr;
