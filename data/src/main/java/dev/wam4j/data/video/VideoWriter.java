package dev.wam4j.data.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avformat.avio_tell;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_TRC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Writes packed RGB frames to a video file (the container follows the file name, normally {@code
 * .mp4}).
 *
 * <p>Lifecycle: {@link #open}, then {@link #writeFrame} once per frame, then {@link #finish()} to
 * flush the encoder, write the container index and move the file into place, then {@link #close()}
 * (use try-with-resources). The video is written to a temporary file in the target's directory and
 * renamed onto the target only by {@code finish()}; {@code close()} without a successful {@code
 * finish()} -- an exception in the caller's loop, a failed write -- deletes the temporary file, so
 * the target path never holds a partial video. The temporary file gets the default permissions
 * (umask applies), which the rename keeps. (That is why finishing is a separate call: {@code
 * close()} cannot tell a normal exit from an exception unwinding a try-with-resources block.)
 *
 * <p>Frame timestamps are {@code i / fps} seconds for the {@code i}-th frame (constant frame rate).
 * Colours are converted to yuv420p with BT.601 limited range and the stream is tagged so.
 *
 * <p>Owns native FFmpeg state; not thread-safe: one thread at a time.
 */
public final class VideoWriter implements AutoCloseable {
  /**
   * Smallest frame side the encoders take (measured: AV1 at 8x8 aborts the JVM, OpenH264 refuses
   * below 16).
   */
  public static final int MIN_SIDE = 16;

  /**
   * Colour matrix and range a file is converted to and tagged with. Package-private: everything the
   * project writes is BT.601 limited; BT.709 full range exists so tests can make files as other
   * tools do.
   */
  enum ColourTags {
    BT601_LIMITED,
    BT709_FULL
  }

  private final Path target;
  private final Path temp;
  private final int width;
  private final int height;
  private final int frameBytes;

  private AVFormatContext format;
  private AVCodecContext encoder;
  private AVStream stream;
  private AVFrame yuv;
  private AVPacket packet;
  private long lastDts = Long.MIN_VALUE;
  private long lastPts = Long.MIN_VALUE;
  private SwsContext sws;
  private PackedRgb rgb;
  private long frameCount;
  private boolean finished;
  private boolean failed;
  private boolean closed;
  private boolean encoderOpen;

  private VideoWriter(Path target, Path temp, int width, int height) {
    this.target = target;
    this.temp = temp;
    this.width = width;
    this.height = height;
    this.frameBytes = 3 * width * height;
  }

  /**
   * Opens a writer for {@code file}; nothing appears at {@code file} until {@link #finish()}.
   *
   * @param file the video to create or replace; its extension picks the container (e.g. {@code
   *     .mp4})
   * @param width frame width in pixels, even and positive (yuv420p halves chroma resolution)
   * @param height frame height in pixels, even and positive
   * @param fps frames per second, positive
   * @param encoding codec, quality, keyframe interval and speed
   * @throws IllegalArgumentException for odd or non-positive sizes or a non-positive fps
   * @throws VideoException when FFmpeg cannot set up the container or encoder
   * @throws IOException when the temporary file cannot be created
   */
  public static VideoWriter open(Path file, int width, int height, int fps, VideoEncoding encoding)
      throws IOException {
    return open(file, width, height, fps, encoding, ColourTags.BT601_LIMITED);
  }

  /**
   * {@link #open(Path, int, int, int, VideoEncoding)} converting to and tagging with {@code
   * colour}.
   */
  static VideoWriter open(
      Path file, int width, int height, int fps, VideoEncoding encoding, ColourTags colour)
      throws IOException {
    if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException(
          "video "
              + file
              + ": width and height must be positive and even for yuv420p, got "
              + width
              + "x"
              + height);
    }
    if (width < MIN_SIDE
        || height < MIN_SIDE) { // a native crash takes the whole process (a server) with it
      throw new IllegalArgumentException(
          "video "
              + file
              + ": frames must be at least "
              + MIN_SIDE
              + "x"
              + MIN_SIDE
              + " (SVT-AV1 corrupts its memory on"
              + " smaller ones, 8x8 aborts the process; OpenH264 refuses them), got "
              + width
              + "x"
              + height);
    }
    if (fps <= 0) {
      throw new IllegalArgumentException("video " + file + ": fps must be positive, got " + fps);
    }
    if (encoding == null) {
      throw new IllegalArgumentException("video " + file + ": encoding must not be null");
    }
    Ffmpeg.init();
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = createPartFile(dir, "." + absolute.getFileName() + ".");
    VideoWriter writer = new VideoWriter(absolute, temp, width, height);
    try {
      writer.setUp(fps, encoding, colour);
      return writer;
    } catch (IOException | RuntimeException | Error e) {
      writer.failed = true;
      try {
        writer.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Creates an empty {@code dir/prefix<random>.part} with the default permissions (umask applies),
   * unlike {@link Files#createTempFile}, whose owner-only mode would survive the rename onto the
   * target.
   */
  private static Path createPartFile(Path dir, String prefix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path file =
          dir.resolve(
              prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".part");
      try {
        return Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100)
          throw new IOException("cannot create a temporary file " + prefix + "*.part in " + dir, e);
      }
    }
  }

  private void setUp(int fps, VideoEncoding encoding, ColourTags colour) throws VideoException {
    // The temp name does not end in the target's extension, so pick the container from the target.
    AVOutputFormat container = av_guess_format(null, target.getFileName().toString(), null);
    if (container == null) {
      throw new VideoException("no container format for file name " + target);
    }
    packet = av_packet_alloc();
    format = new AVFormatContext(null);
    Ffmpeg.check(
        avformat_alloc_output_context2(format, container, (String) null, temp.toString()),
        "allocating the container",
        target);

    AVCodec codec = avcodec_find_encoder_by_name(encoding.codec().encoderName());
    if (codec == null) {
      throw new VideoException(
          "this FFmpeg build has no encoder "
              + encoding.codec().encoderName()
              + " (writing "
              + target
              + ")");
    }
    stream = avformat_new_stream(format, null);
    if (stream == null) {
      throw new VideoException("could not add a video stream to " + target);
    }
    encoder = avcodec_alloc_context3(codec);
    encoder.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
    encoder.time_base(av_make_q(1, fps)).framerate(av_make_q(fps, 1));
    encoder.gop_size(encoding.gop());
    boolean bt709 = colour == ColourTags.BT709_FULL;
    encoder
        .color_range(bt709 ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG)
        .colorspace(bt709 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M);
    encoder
        .color_primaries(bt709 ? AVCOL_PRI_BT709 : AVCOL_PRI_SMPTE170M)
        .color_trc(bt709 ? AVCOL_TRC_BT709 : AVCOL_TRC_SMPTE170M);
    if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary options = new AVDictionary(null);
    try {
      switch (encoding.codec()) {
        case AV1 -> {
          av_dict_set(options, "crf", Integer.toString(encoding.crf()), 0);
          av_dict_set(options, "preset", Integer.toString(encoding.preset()), 0);
          // One encoder thread: SVT-AV1 4.2.0 (in this FFmpeg build) deadlocks now and then inside
          // avcodec_send_frame with its default thread pool, and once returned packets with
          // decreasing dts. Measured 2026-11-26 on 150-frame 384x384 clips: 3 runs, then a hang,
          // with
          // the default; 60 of 60 runs clean with lp=1. Encode several files in parallel instead.
          av_dict_set(options, "svtav1-params", "lp=1", 0);
        }
        case H264 -> {
          // OpenH264 has no crf; pin its quantiser range to one value and let the bit-rate target
          // be generous enough not to bind (it is a ceiling in its quality mode).
          encoder.qmin(encoding.crf()).qmax(encoding.crf());
          encoder.bit_rate(Math.max(1_000_000L, 4L * frameBytes * fps));
        }
      }
      Ffmpeg.check(
          avcodec_open2(encoder, codec, options),
          "opening encoder " + codec.name().getString(),
          target);
      encoderOpen = true;
    } finally {
      av_dict_free(options);
    }
    Ffmpeg.check(
        avcodec_parameters_from_context(stream.codecpar(), encoder),
        "copying encoder parameters",
        target);
    stream.time_base(encoder.time_base());
    stream.avg_frame_rate(av_make_q(fps, 1));

    AVIOContext io = new AVIOContext(null);
    Ffmpeg.check(
        avio_open(io, temp.toString(), AVIO_FLAG_WRITE), "opening " + temp + " to write", target);
    format.pb(io);
    Ffmpeg.check(
        avformat_write_header(format, (AVDictionary) null), "writing the container header", target);

    yuv = av_frame_alloc();
    yuv.format(AV_PIX_FMT_YUV420P).width(width).height(height);
    Ffmpeg.check(av_frame_get_buffer(yuv, 0), "allocating a frame", target);
    // Bicubic + accurate rounding: the conversion is cheap next to encoding, so spend it on
    // fidelity.
    sws =
        sws_getContext(
            width,
            height,
            AV_PIX_FMT_RGB24,
            width,
            height,
            AV_PIX_FMT_YUV420P,
            SWS_BICUBIC | SWS_ACCURATE_RND,
            null,
            null,
            (DoublePointer) null);
    if (sws == null) {
      throw new VideoException("could not set up RGB to yuv420p conversion for " + target);
    }
    if (bt709) {
      // The default conversion is BT.601 limited; the destination (YUV) side must match the tags.
      int[] table = new int[4];
      sws_getCoefficients(SWS_CS_ITU709).get(table);
      if (sws_setColorspaceDetails(sws, table, 1, table, 1, 0, 1 << 16, 1 << 16) < 0) {
        throw new VideoException(
            "could not set up RGB to BT.709 full-range yuv420p conversion for " + target);
      }
    }
    rgb = new PackedRgb(width, height);
  }

  /** Frame width in pixels. */
  public int width() {
    return width;
  }

  /** Frame height in pixels. */
  public int height() {
    return height;
  }

  /** The file this writer creates on {@link #finish()}. */
  public Path file() {
    return target;
  }

  /** Frames written so far. */
  public long frameCount() {
    return frameCount;
  }

  /**
   * Bytes of the container written so far, including what FFmpeg still buffers (the index written
   * by {@link #finish()} is not counted). Lets a caller shard output by file size while it writes.
   */
  public long bytesWritten() {
    ensureWritable();
    return Math.max(0, avio_tell(format.pb()));
  }

  /**
   * Encodes one frame. The array is only read during the call.
   *
   * @param rgbFrame packed HWC RGB bytes
   * @param offset index in {@code rgbFrame} of the frame's first byte; the frame takes {@code 3 *
   *     width * height} bytes from there
   * @throws IllegalArgumentException when the array is too short for a frame at {@code offset}
   * @throws VideoException when encoding or writing fails; the writer is then unusable
   */
  public void writeFrame(byte[] rgbFrame, int offset) throws VideoException {
    ensureWritable();
    if (offset < 0 || rgbFrame.length - offset < frameBytes) {
      throw new IllegalArgumentException(
          "video "
              + target
              + ": a "
              + width
              + "x"
              + height
              + " RGB frame needs "
              + frameBytes
              + " bytes from offset "
              + offset
              + ", array has "
              + rgbFrame.length);
    }
    boolean ok = false;
    try {
      rgb.pixels.put(rgbFrame, offset, frameBytes);
      // The encoder may still hold a reference to the previous frame's buffers.
      Ffmpeg.check(av_frame_make_writable(yuv), "preparing frame " + frameCount, target);
      sws_scale(sws, rgb.planes, rgb.strides, 0, height, yuv.data(), yuv.linesize());
      yuv.pts(frameCount);
      Ffmpeg.check(avcodec_send_frame(encoder, yuv), "encoding frame " + frameCount, target);
      drainPackets();
      frameCount++;
      ok = true;
    } finally {
      if (!ok) {
        failed = true;
      }
    }
  }

  /**
   * Flushes the encoder, finalises the container and moves the file onto its target path
   * (atomically where the file system allows). Call once, after the last frame.
   *
   * @throws VideoException when flushing or finalising fails (the temporary file is then deleted by
   *     {@link #close()})
   * @throws IOException when the rename fails
   */
  public void finish() throws IOException {
    ensureWritable();
    boolean ok = false;
    try {
      Ffmpeg.check(avcodec_send_frame(encoder, null), "flushing the encoder", target);
      drainPackets();
      encoderOpen = false; // fully drained
      Ffmpeg.check(av_write_trailer(format), "writing the container index", target);
      Ffmpeg.check(avio_closep(format.pb()), "closing " + temp, target);
      format.pb(null);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      finished = true;
      ok = true;
    } finally {
      if (!ok) {
        failed = true;
      }
    }
  }

  private void drainPackets() throws VideoException {
    while (true) {
      int r = avcodec_receive_packet(encoder, packet);
      if (r == Ffmpeg.AVERROR_EAGAIN || r == AVERROR_EOF) {
        return;
      }
      Ffmpeg.check(r, "encoding frame " + frameCount, target);
      long pts = packet.pts(), dts = packet.dts();
      if (lastDts != Long.MIN_VALUE && dts <= lastDts) {
        av_packet_unref(packet);
        throw new VideoException(
            "encoder returned packet dts "
                + dts
                + " (pts "
                + pts
                + ") after dts "
                + lastDts
                + " (pts "
                + lastPts
                + ") at frame "
                + frameCount
                + " of "
                + target);
      }
      lastDts = dts;
      lastPts = pts;
      av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      // av_interleaved_write_frame takes ownership of the packet's data and leaves it blank.
      int w = av_interleaved_write_frame(format, packet);
      av_packet_unref(packet);
      Ffmpeg.check(w, "writing a packet", target);
    }
  }

  /**
   * Drains an abandoned encoder so it shuts down cleanly (SVT-AV1 complains on stderr when freed
   * mid-stream); the packets are dropped and errors ignored, since the output is being discarded.
   */
  private void discardPending() {
    if (avcodec_send_frame(encoder, null) < 0) {
      return;
    }
    while (avcodec_receive_packet(encoder, packet) >= 0) {
      av_packet_unref(packet);
    }
  }

  private void ensureWritable() {
    if (closed) {
      throw new IllegalStateException("video writer for " + target + " is closed");
    }
    if (finished) {
      throw new IllegalStateException("video writer for " + target + " is already finished");
    }
    if (failed) {
      throw new IllegalStateException(
          "video writer for " + target + " failed earlier; no more frames");
    }
  }

  /**
   * Releases native state. Unless {@link #finish()} succeeded, deletes the temporary file so no
   * partial video is left behind. Idempotent.
   *
   * @throws IOException when the temporary file cannot be deleted
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!finished && encoderOpen) {
      discardPending();
    }
    if (format != null && format.pb() != null) {
      avio_closep(format.pb());
      format.pb(null);
    }
    if (encoder != null) {
      avcodec_free_context(encoder);
    }
    if (format != null && !format.isNull()) {
      avformat_free_context(format);
    }
    if (yuv != null) {
      av_frame_free(yuv);
    }
    if (packet != null) {
      av_packet_free(packet);
    }
    if (sws != null) {
      sws_freeContext(sws);
    }
    if (rgb != null) {
      rgb.close();
    }
    if (!finished) {
      Files.deleteIfExists(temp);
    }
  }
}
