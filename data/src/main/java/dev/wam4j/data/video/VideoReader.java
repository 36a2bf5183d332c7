package dev.wam4j.data.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE240M;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ411P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ440P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_BT2020;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_FCC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_SMPTE240M;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getColorspaceDetails;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads the video stream of a file as packed RGB frames.
 *
 * <p>Lifecycle: {@link #open} reads the header ({@link #info()}); {@link #readFrame} returns frames
 * in order; {@link #seek} jumps to the frame nearest a time and continues from there; {@link
 * #close()} releases native state (use try-with-resources).
 *
 * <p>Frames are converted from whatever the stream stores to RGB24 with the matrix and range each
 * frame is tagged with (BT.709, BT.601/SMPTE 170M, BT.2020, ...; limited or full range). Untagged
 * frames are read as BT.601 limited range, FFmpeg's default and what {@link VideoWriter} writes.
 * AV1 is decoded with libdav1d when the FFmpeg build has it, else libaom (this build has only
 * libaom; FFmpeg's own AV1 decoder needs hardware).
 *
 * <p>Owns native FFmpeg state; not thread-safe: one thread at a time.
 */
public final class VideoReader implements AutoCloseable {
  private final Path file;
  private AVFormatContext format;
  private AVCodecContext decoder;
  private AVFrame frame;
  private AVPacket packet;
  private SwsContext sws;
  private int swsFormat = -1; // source pixel format sws was built for
  private int swsColorspace = -1; // SWS_CS_* applied to sws, -1 before the first frame
  private boolean swsFullRange;
  private PackedRgb rgb;
  private int streamIndex;
  private VideoInfo info;
  private long timeBaseNum;
  private long timeBaseDen;
  private long startPts;
  private boolean endOfInput;
  private long framesDelivered;
  private double frameTime;
  private boolean closed;

  private VideoReader(Path file) {
    this.file = file;
  }

  /**
   * Opens {@code file} and reads its header.
   *
   * @throws VideoException when the file is missing, not a video, corrupted, or has no video
   *     stream; the message names the file
   */
  public static VideoReader open(Path file) throws VideoException {
    Ffmpeg.init();
    if (!Files.isRegularFile(file)) {
      throw new VideoException("video file not found: " + file);
    }
    VideoReader reader = new VideoReader(file);
    try {
      reader.setUp();
      return reader;
    } catch (VideoException | RuntimeException | Error e) {
      reader.close();
      throw e;
    }
  }

  private void setUp() throws VideoException {
    AVFormatContext opened = new AVFormatContext(null);
    Ffmpeg.check(
        avformat_open_input(opened, file.toString(), null, (AVDictionary) null),
        "opening video",
        file);
    format = opened;
    Ffmpeg.check(
        avformat_find_stream_info(format, (AVDictionary) null), "reading stream info", file);
    streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    Ffmpeg.check(streamIndex, "finding a video stream", file);
    AVStream stream = format.streams(streamIndex);
    int codecId = stream.codecpar().codec_id();
    AVCodec codec = null;
    if (codecId == AV_CODEC_ID_AV1) {
      codec = avcodec_find_decoder_by_name("libdav1d");
      if (codec == null) {
        codec = avcodec_find_decoder_by_name("libaom-av1");
      }
    }
    if (codec == null) {
      codec = avcodec_find_decoder(codecId);
    }
    String codecName = avcodec_get_name(codecId).getString();
    if (codec == null) {
      throw new VideoException("no decoder for codec " + codecName + " in " + file);
    }
    decoder = avcodec_alloc_context3(codec);
    Ffmpeg.check(
        avcodec_parameters_to_context(decoder, stream.codecpar()),
        "copying stream parameters",
        file);
    decoder.thread_count(0); // one per core
    Ffmpeg.check(
        avcodec_open2(decoder, codec, (AVDictionary) null), "opening decoder " + codecName, file);

    int width = decoder.width();
    int height = decoder.height();
    if (width <= 0 || height <= 0) {
      throw new VideoException("video " + file + " has invalid frame size " + width + "x" + height);
    }
    AVRational tb = stream.time_base();
    timeBaseNum = tb.num();
    timeBaseDen = tb.den();
    if (timeBaseNum <= 0 || timeBaseDen <= 0) {
      throw new VideoException(
          "video " + file + " has invalid time base " + timeBaseNum + "/" + timeBaseDen);
    }
    startPts = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time();
    AVRational rate =
        stream.avg_frame_rate().num() > 0 ? stream.avg_frame_rate() : stream.r_frame_rate();
    double fps = rate.num() > 0 && rate.den() > 0 ? av_q2d(rate) : 0;
    if (!(fps > 0)) {
      throw new VideoException("video " + file + " does not state a frame rate");
    }
    double duration;
    if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
      duration = seconds(stream.duration());
    } else if (format.duration() != AV_NOPTS_VALUE && format.duration() > 0) {
      duration = format.duration() / (double) AV_TIME_BASE;
    } else {
      duration = 0;
    }
    OptionalLong count =
        stream.nb_frames() > 0 ? OptionalLong.of(stream.nb_frames()) : OptionalLong.empty();
    info = new VideoInfo(file, codecName, width, height, fps, count, duration);

    frame = av_frame_alloc();
    packet = av_packet_alloc();
    rgb = new PackedRgb(width, height);
  }

  /** The stream's metadata. */
  public VideoInfo info() {
    return info;
  }

  /**
   * Presentation time in seconds, from the stream's start, of the frame the last {@link #readFrame}
   * or {@link #seek} delivered.
   *
   * @throws IllegalStateException when no frame has been delivered yet
   */
  public double frameTime() {
    if (framesDelivered == 0) {
      throw new IllegalStateException("no frame read yet from " + file);
    }
    return frameTime;
  }

  /**
   * Decodes the next frame into {@code rgbOut}.
   *
   * @param rgbOut destination for packed HWC RGB bytes
   * @param offset index in {@code rgbOut} of the frame's first byte; the frame takes {@link
   *     VideoInfo#frameBytes()} bytes from there
   * @return {@code true} when a frame was written, {@code false} at the end of the stream
   * @throws IllegalArgumentException when {@code rgbOut} is too short
   * @throws VideoException when the stream is corrupted; the message names the file
   */
  public boolean readFrame(byte[] rgbOut, int offset) throws VideoException {
    checkOpen();
    checkOut(rgbOut, offset);
    if (!decodeNext()) {
      return false;
    }
    deliver(rgbOut, offset);
    return true;
  }

  /**
   * Moves to the frame whose timestamp is nearest {@code seconds} (ties go to the later frame),
   * writes it into {@code rgbOut}, and leaves the reader so {@link #readFrame} continues with the
   * frame after it. A time between the last frame and the stream's duration gives the last frame.
   * Nearness is judged against the nominal frame interval {@code 1 / fps} (constant frame rate).
   * Seeks to the keyframe at or before the target and decodes forward, so the cost grows with the
   * keyframe interval.
   *
   * @param seconds time from the start of the stream, at least 0
   * @param rgbOut destination for packed HWC RGB bytes
   * @param offset index in {@code rgbOut} of the frame's first byte
   * @return the delivered frame's timestamp in seconds
   * @throws IllegalArgumentException for a negative or non-finite time, a time past the stream's
   *     end, or a too-short {@code rgbOut}
   * @throws VideoException when seeking or decoding fails
   */
  public double seek(double seconds, byte[] rgbOut, int offset) throws VideoException {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(
          "video " + file + ": seek time must be finite and >= 0, got " + seconds);
    }
    checkOpen();
    checkOut(rgbOut, offset);
    double frameInterval = 1 / info.fps();
    double threshold = seconds - 0.5 * frameInterval;
    if (info.durationSeconds() > 0) {
      if (seconds > info.durationSeconds() + 1e-9) {
        throw new IllegalArgumentException(
            "video "
                + file
                + ": no frame at "
                + seconds
                + " s, the stream ends at "
                + info.durationSeconds()
                + " s");
      }
      // the last frame (at duration - interval) covers times up to the duration
      threshold = Math.min(threshold, info.durationSeconds() - 1.5 * frameInterval);
    }
    long targetPts =
        startPts + (long) Math.floor(Math.max(0, threshold) * timeBaseDen / timeBaseNum);
    Ffmpeg.check(
        av_seek_frame(format, streamIndex, targetPts, AVSEEK_FLAG_BACKWARD),
        "seeking to " + seconds + " s",
        file);
    avcodec_flush_buffers(decoder);
    endOfInput = false;
    while (decodeNext()) {
      if (timestampOf(frame) > threshold) {
        deliver(rgbOut, offset);
        return frameTime;
      }
    }
    throw new IllegalArgumentException(
        "video " + file + ": no frame at " + seconds + " s, the stream ends before it");
  }

  /** Same as {@link #readFrame(byte[], int)} with offset 0. */
  public boolean readFrame(byte[] rgbOut) throws VideoException {
    return readFrame(rgbOut, 0);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("video reader for " + file + " is closed");
    }
  }

  private void checkOut(byte[] rgbOut, int offset) {
    if (offset < 0 || rgbOut.length - offset < info.frameBytes()) {
      throw new IllegalArgumentException(
          "video "
              + file
              + ": a "
              + info.width()
              + "x"
              + info.height()
              + " RGB frame needs "
              + info.frameBytes()
              + " bytes from offset "
              + offset
              + ", array has "
              + rgbOut.length);
    }
  }

  private double timestampOf(AVFrame f) {
    long pts = f.best_effort_timestamp();
    if (pts == AV_NOPTS_VALUE) {
      pts = f.pts();
    }
    return seconds(pts - startPts);
  }

  /**
   * Stream ticks to seconds; dividing last keeps whole-frame times exact (2.4, not
   * 2.4000000000000004).
   */
  private double seconds(long ticks) {
    return (double) (ticks * timeBaseNum) / timeBaseDen;
  }

  /** Decodes until a frame is in {@link #frame}; false at end of stream. */
  private boolean decodeNext() throws VideoException {
    while (true) {
      int r = avcodec_receive_frame(decoder, frame);
      if (r >= 0) {
        return true;
      }
      if (r == AVERROR_EOF) {
        return false;
      }
      if (r != Ffmpeg.AVERROR_EAGAIN) {
        Ffmpeg.check(r, "decoding after frame " + framesDelivered, file);
      }
      if (endOfInput) {
        return false;
      }
      int read = av_read_frame(format, packet);
      if (read == AVERROR_EOF) {
        endOfInput = true;
        Ffmpeg.check(avcodec_send_packet(decoder, null), "flushing the decoder", file);
        continue;
      }
      Ffmpeg.check(read, "reading a packet after frame " + framesDelivered, file);
      try {
        if (packet.stream_index() == streamIndex) {
          Ffmpeg.check(
              avcodec_send_packet(decoder, packet),
              "decoding after frame " + framesDelivered,
              file);
        }
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  private void deliver(byte[] rgbOut, int offset) throws VideoException {
    int w = info.width();
    int h = info.height();
    if (frame.width() != w || frame.height() != h) {
      throw new VideoException(
          "video "
              + file
              + " changes frame size mid-stream to "
              + frame.width()
              + "x"
              + frame.height());
    }
    // Rebuilt only if the decoder's output pixel format changes; colour details only if the tags
    // change.
    int fmt = frame.format();
    if (sws == null || fmt != swsFormat) {
      if (sws != null) {
        sws_freeContext(sws);
      }
      sws =
          sws_getContext(
              w,
              h,
              fmt,
              w,
              h,
              AV_PIX_FMT_RGB24,
              SWS_BICUBIC | SWS_ACCURATE_RND,
              null,
              null,
              (DoublePointer) null);
      if (sws == null) {
        throw new VideoException(
            "video " + file + ": cannot convert pixel format " + fmt + " to RGB");
      }
      swsFormat = fmt;
      swsColorspace = -1;
    }
    int space = swsColorspace(frame.colorspace());
    boolean full = fullRange(frame.color_range(), fmt);
    if (space != swsColorspace || full != swsFullRange) {
      applyColorDetails(space, full);
      swsColorspace = space;
      swsFullRange = full;
    }
    sws_scale(sws, frame.data(), frame.linesize(), 0, h, rgb.planes, rgb.strides);
    rgb.pixels.get(rgbOut, offset, info.frameBytes());
    frameTime = timestampOf(frame);
    framesDelivered++;
  }

  /**
   * The swscale matrix ({@code SWS_CS_*}) for a frame's {@code AVCOL_SPC_*} tag. BT.470BG, SMPTE
   * 170M, unspecified and tags swscale has no matrix for read as BT.601, FFmpeg's default.
   */
  static int swsColorspace(int avColorspace) {
    return switch (avColorspace) {
      case AVCOL_SPC_BT709 -> SWS_CS_ITU709;
      case AVCOL_SPC_FCC -> SWS_CS_FCC;
      case AVCOL_SPC_SMPTE240M -> SWS_CS_SMPTE240M;
      case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL -> SWS_CS_BT2020;
      default -> SWS_CS_ITU601;
    };
  }

  /**
   * True for full ("JPEG") range: tagged so, or a yuvj* pixel format, which implies it. Else
   * limited.
   */
  static boolean fullRange(int avColorRange, int pixelFormat) {
    return avColorRange == AVCOL_RANGE_JPEG
        || pixelFormat == AV_PIX_FMT_YUVJ420P
        || pixelFormat == AV_PIX_FMT_YUVJ422P
        || pixelFormat == AV_PIX_FMT_YUVJ444P
        || pixelFormat == AV_PIX_FMT_YUVJ440P
        || pixelFormat == AV_PIX_FMT_YUVJ411P;
  }

  /**
   * Sets the source matrix and range of {@link #sws}, keeping its destination side (RGB) and its
   * brightness/contrast/saturation as swscale set them up. RGB sources have no matrix: left alone.
   */
  private void applyColorDetails(int space, boolean full) throws VideoException {
    AVPixFmtDescriptor desc = av_pix_fmt_desc_get(swsFormat);
    if (desc == null || (desc.flags() & AV_PIX_FMT_FLAG_RGB) != 0) {
      return;
    }
    int[] dstTable = new int[4];
    int dstRange;
    int brightness;
    int contrast;
    int saturation;
    try (PointerPointer<IntPointer> inv = new PointerPointer<>(1L);
        PointerPointer<IntPointer> table = new PointerPointer<>(1L);
        IntPointer srcRangeNow = new IntPointer(1L);
        IntPointer dstRangeNow = new IntPointer(1L);
        IntPointer b = new IntPointer(1L);
        IntPointer c = new IntPointer(1L);
        IntPointer s = new IntPointer(1L)) {
      if (sws_getColorspaceDetails(sws, inv, srcRangeNow, table, dstRangeNow, b, c, s) < 0) {
        throw new VideoException(
            "video "
                + file
                + ": swscale cannot report colour details of pixel format "
                + swsFormat);
      }
      // Copied out: the table lives inside the context that the call below writes to.
      new IntPointer(table.get(0)).get(dstTable);
      dstRange = dstRangeNow.get();
      brightness = b.get();
      contrast = c.get();
      saturation = s.get();
    }
    int[] srcTable = new int[4];
    sws_getCoefficients(space).get(srcTable);
    if (sws_setColorspaceDetails(
            sws, srcTable, full ? 1 : 0, dstTable, dstRange, brightness, contrast, saturation)
        < 0) {
      throw new VideoException(
          "video "
              + file
              + ": swscale cannot convert pixel format "
              + swsFormat
              + " with colour matrix "
              + space
              + (full ? ", full range" : ", limited range"));
    }
  }

  /** Releases native state. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (decoder != null) {
      avcodec_free_context(decoder);
    }
    if (format != null) {
      avformat_close_input(format);
    }
    if (frame != null) {
      av_frame_free(frame);
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
  }
}
