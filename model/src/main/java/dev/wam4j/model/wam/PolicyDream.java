package dev.wam4j.model.wam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The policy's side of the dream: the future latents of action chunks through the dream branch
 * ({@link WamConfig#dreamFromActions}), the offsets they show, and latents decoded to RGB bytes.
 * Kept apart so that {@link WamPolicy} reads as planning. Stateless; call inside the caller's
 * {@link ai.djl.ndarray.NDScope}, which frees every array made here.
 */
final class PolicyDream {
  private PolicyDream() {}

  /** Steps after the observation each dreamed frame shows: futureStride, 2*futureStride, ... */
  static int[] offsets(WamConfig c) {
    int[] offsets = new int[c.futureFrames()];
    for (int k = 0; k < offsets.length; k++) offsets[k] = (k + 1) * c.futureStride();
    return offsets;
  }

  /**
   * The dream branch's future latents of {@code n} chunks from one observation, in one forward
   * pass.
   *
   * @param history the observation's latent frames (1, H*Z, 12, 12)
   * @param agentPositions {@code [historyFrames][2]} workspace pixels
   * @param chunks {@code [n][actionHorizon][2]} absolute targets, workspace pixels
   * @param direct a native-order direct buffer of at least {@link #planeBytes} bytes, reused plan
   *     after plan: a heap array would be copied into a fresh direct buffer that only a garbage
   *     collection frees (see {@link WamTrainer#frames}); the tensor made from it must be closed
   *     before the next call fills it again (the caller's scope does)
   * @return (n, F*Z, 12, 12)
   */
  static NDArray latents(
      WamConfig c,
      WamNetwork net,
      ParameterStore ps,
      NDManager m,
      NDArray history,
      float[] agentPositions,
      float[] chunks,
      int n,
      java.nio.ByteBuffer direct) {
    int s = c.latentSize();
    float[] positions = new float[n * agentPositions.length];
    for (int i = 0; i < n; i++)
      System.arraycopy(
          agentPositions, 0, positions, i * agentPositions.length, agentPositions.length);
    float[] planes = new float[n * DreamPlanes.channels(c) * s * s];
    DreamPlanes.fill(c, positions, chunks, n, null, null, planes);
    direct.clear();
    direct.asFloatBuffer().put(planes);
    NDArray histories = n == 1 ? history : history.repeat(0, n);
    return net.dream(
        ps,
        histories,
        m.create(direct, new Shape(n, DreamPlanes.channels(c), s, s), DataType.FLOAT32),
        false);
  }

  /**
   * Bytes of the dream planes of {@code n} chunks: the size of the direct buffer {@link #latents}
   * needs.
   */
  static int planeBytes(WamConfig c, int n) {
    return n * DreamPlanes.channels(c) * c.latentSize() * c.latentSize() * Float.BYTES;
  }

  /** Latent frames (N, F*Z, 12, 12) decoded to {@code [N][F][size][size][3]} RGB bytes. */
  static byte[] frames(WamConfig c, WamNetwork net, ParameterStore ps, NDArray latents) {
    int z = c.latentChannels(), s = c.latentSize();
    long frames = latents.getShape().get(0) * c.futureFrames();
    NDArray pixels = net.decode(ps, latents.reshape(frames, z, s, s), false);
    return pixels
        .add(1f)
        .mul(127.5f)
        .round()
        .clip(0, 255)
        .transpose(0, 2, 3, 1)
        .toType(DataType.UINT8, false)
        .toByteArray();
  }
}
