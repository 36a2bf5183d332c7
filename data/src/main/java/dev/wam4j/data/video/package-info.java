/**
 * Video encode and decode through FFmpeg's own libraries (JavaCPP's {@code org.bytedeco:ffmpeg}
 * build, linux-x86_64 natives, no system install): {@link dev.wam4j.data.video.VideoWriter} turns
 * packed RGB frames into an mp4 (AV1 via libsvtav1, or H.264 via libopenh264, both yuv420p) and
 * {@link dev.wam4j.data.video.VideoReader} turns a video file back into RGB frames.
 *
 * <p>Frames cross the API as {@code byte[]} in HWC order (row-major, then column, then R, G, B),
 * one unsigned byte per channel, so a frame of {@code width x height} pixels takes {@code 3 * width
 * * height} bytes. FFmpeg's own logging is limited to errors.
 */
package dev.wam4j.data.video;
