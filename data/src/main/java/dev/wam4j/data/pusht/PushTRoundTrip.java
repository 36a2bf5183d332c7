package dev.wam4j.data.pusht;

import dev.wam4j.data.lerobot.ColumnBatch;
import dev.wam4j.data.lerobot.ColumnBatchIterator;
import dev.wam4j.data.lerobot.LeRobotDataset;
import dev.wam4j.data.zarr.ReplayBuffer;
import dev.wam4j.data.zarr.ZarrArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Reads an imported PushT dataset back with {@link LeRobotDataset} and compares it with the zarr it
 * came from: agent position ({@code observation.state} = recorded state[:, 0:2]) and action value
 * by value, and every decoded video frame against the recorded image (PSNR over RGB, 0–255).
 */
public final class PushTRoundTrip {
  private PushTRoundTrip() {}

  /**
   * @param episodes episodes compared
   * @param frames frames compared
   * @param stateExact state values equal to the recorded float32 (share)
   * @param actionExact action values equal to the recorded float32 (share)
   * @param psnrMeanDb mean over frames of the per-frame PSNR
   * @param psnrMinDb worst frame
   * @param decodeFramesPerSecond frames decoded per second through the dataset API
   */
  public record Report(
      int episodes,
      long frames,
      double stateExact,
      double actionExact,
      double psnrMeanDb,
      double psnrMinDb,
      double decodeFramesPerSecond) {}

  public static Report compare(ReplayBuffer zarr, Path dataset, IntConsumer progress)
      throws IOException {
    try (LeRobotDataset ds = LeRobotDataset.open(dataset)) {
      int episodes = ds.episodes().size();
      int frames = 0;
      for (var e : ds.episodes()) frames += e.length();
      if (frames > zarr.frameCount())
        throw new IOException(
            dataset + " holds " + frames + " frames, the zarr only " + zarr.frameCount());
      float[] state = zarr.array("state").readFloats(0, frames);
      float[] action = zarr.array("action").readFloats(0, frames);
      long stateEqual = 0, actionEqual = 0;
      ColumnBatchIterator it = ds.batches(List.of("observation.state", "action"), 4096);
      int row = 0;
      for (ColumnBatch b = it.nextBatch(); b != null; b = it.nextBatch()) {
        float[] s = b.floats("observation.state"), a = b.floats("action");
        for (int i = 0; i < b.rows(); i++, row++) {
          for (int k = 0; k < 2; k++) {
            if (Float.floatToIntBits(s[2 * i + k]) == Float.floatToIntBits(state[row * 5 + k]))
              stateEqual++;
            if (Float.floatToIntBits(a[2 * i + k]) == Float.floatToIntBits(action[row * 2 + k]))
              actionEqual++;
          }
        }
      }
      ZarrArray img = zarr.array("img");
      int frameBytes = img.rowSize();
      byte[] decoded = new byte[frameBytes];
      double psnrSum = 0, psnrMin = Double.POSITIVE_INFINITY, decodeNanos = 0;
      int global = 0;
      for (int e = 0; e < episodes; e++) {
        int len = ds.episode(e).length();
        // One read per episode: a zarr chunk holds many frames and decompresses whole.
        float[] recorded = img.readFloats(global, len);
        for (int f = 0; f < len; f++, global++) {
          long t0 = System.nanoTime();
          ds.readVideoFrame(e, f, "observation.image", decoded, 0);
          decodeNanos += System.nanoTime() - t0;
          double se = 0;
          for (int i = 0; i < frameBytes; i++) {
            double d = (decoded[i] & 0xFF) - recorded[f * frameBytes + i];
            se += d * d;
          }
          double mse = se / frameBytes;
          double psnr = mse == 0 ? 99.0 : 10 * Math.log10(255.0 * 255.0 / mse);
          psnrSum += psnr;
          psnrMin = Math.min(psnrMin, psnr);
        }
        if (progress != null) progress.accept(e + 1);
      }
      return new Report(
          episodes,
          frames,
          stateEqual / (2.0 * frames),
          actionEqual / (2.0 * frames),
          psnrSum / frames,
          psnrMin,
          frames / (decodeNanos / 1e9));
    }
  }
}
