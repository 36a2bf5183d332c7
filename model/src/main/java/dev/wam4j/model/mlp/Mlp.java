package dev.wam4j.model.mlp;

import java.util.Arrays;

/**
 * A fully connected network with tanh between layers and a linear output, on flat float arrays: the
 * parameters of every layer live in one slice of a caller's array (weights {@code [in][out]}
 * row-major, then biases), so one optimiser and one checkpoint cover every network of a run.
 * Forward and backward work on a batch of rows; the inner loops run along contiguous output rows,
 * which the JIT vectorises.
 *
 * <p>Holds only its shape; activations and gradients live in a {@link Workspace} per thread.
 */
public final class Mlp {
  private final int[] sizes;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final int parameters;

  /**
   * @param sizes input width, hidden widths, output width
   */
  public Mlp(int... sizes) {
    if (sizes.length < 2)
      throw new IllegalArgumentException("an MLP needs at least an input and an output size");
    for (int s : sizes)
      if (s < 1)
        throw new IllegalArgumentException(
            "layer sizes must be >= 1, got " + Arrays.toString(sizes));
    this.sizes = sizes.clone();
    weightOffset = new int[sizes.length - 1];
    biasOffset = new int[sizes.length - 1];
    int p = 0;
    for (int l = 0; l < sizes.length - 1; l++) {
      weightOffset[l] = p;
      p += sizes[l] * sizes[l + 1];
      biasOffset[l] = p;
      p += sizes[l + 1];
    }
    parameters = p;
  }

  public int parameters() {
    return parameters;
  }

  public int inputs() {
    return sizes[0];
  }

  public int outputs() {
    return sizes[sizes.length - 1];
  }

  /**
   * Scaled Gaussian initialisation (variance gain^2 / fan-in; biases 0): gain sqrt(2) for hidden
   * layers, {@code outputGain} for the last (CleanRL's orthogonal init uses the same gains: 0.01
   * for a policy's mean, 1 for a value).
   */
  public void initialise(float[] params, int offset, SplitMix rng, double outputGain) {
    for (int l = 0; l < sizes.length - 1; l++) {
      double gain = l == sizes.length - 2 ? outputGain : Math.sqrt(2);
      double std = gain / Math.sqrt(sizes[l]);
      int w = offset + weightOffset[l];
      for (int i = 0; i < sizes[l] * sizes[l + 1]; i++)
        params[w + i] = (float) (std * rng.nextGaussian());
      Arrays.fill(params, offset + biasOffset[l], offset + biasOffset[l] + sizes[l + 1], 0f);
    }
  }

  /** Per-thread buffers for a batch of up to {@code maxBatch} rows. */
  public Workspace workspace(int maxBatch) {
    return new Workspace(this, maxBatch);
  }

  /** Activations ({@code [layer][batch][width]}) and backward deltas of one thread. */
  public static final class Workspace {
    final float[][] activations;
    final float[][] deltas;
    final int maxBatch;

    Workspace(Mlp net, int maxBatch) {
      this.maxBatch = maxBatch;
      activations = new float[net.sizes.length][];
      deltas = new float[net.sizes.length][];
      for (int l = 0; l < net.sizes.length; l++) {
        activations[l] = new float[maxBatch * net.sizes[l]];
        deltas[l] =
            new float
                [l == 0 ? 0 : maxBatch * net.sizes[l]]; // nothing back-propagates into the input
      }
    }

    /** The batch's input rows, to fill before {@link Mlp#forward}. */
    public float[] input() {
      return activations[0];
    }

    /** The last forward's output rows. */
    public float[] output() {
      return activations[activations.length - 1];
    }

    /** The loss gradient with respect to the output rows, to fill before {@link Mlp#backward}. */
    public float[] outputGradient() {
      return deltas[deltas.length - 1];
    }
  }

  /**
   * Runs the {@code batch} input rows of {@code ws} through the network (parameters at {@code
   * params[offset..]}).
   */
  public void forward(float[] params, int offset, Workspace ws, int batch) {
    if (batch > ws.maxBatch)
      throw new IllegalArgumentException(
          "batch " + batch + " exceeds the workspace's " + ws.maxBatch);
    for (int l = 0; l < sizes.length - 1; l++) {
      int in = sizes[l], out = sizes[l + 1];
      float[] x = ws.activations[l], y = ws.activations[l + 1];
      int w = offset + weightOffset[l], b = offset + biasOffset[l];
      boolean hidden = l < sizes.length - 2;
      for (int r = 0; r < batch; r++) {
        int yo = r * out;
        System.arraycopy(params, b, y, yo, out);
        for (int i = 0; i < in; i++) {
          float xi = x[r * in + i];
          int wi = w + i * out;
          for (int j = 0; j < out; j++) y[yo + j] += xi * params[wi + j];
        }
        if (hidden) for (int j = 0; j < out; j++) y[yo + j] = (float) Math.tanh(y[yo + j]);
      }
    }
  }

  /** Floats {@link #transpose} writes: every weight matrix, transposed. */
  public int transposedSize() {
    int k = 0;
    for (int l = 0; l < sizes.length - 1; l++) k += sizes[l] * sizes[l + 1];
    return k;
  }

  /**
   * Writes each weight matrix transposed ({@code [out][in]}) into {@code into}: backward's input
   * gradient then runs along contiguous rows too. Refresh after every change of the parameters.
   */
  public void transpose(float[] params, int offset, float[] into) {
    int t = 0;
    for (int l = 0; l < sizes.length - 1; l++) {
      int in = sizes[l], out = sizes[l + 1], w = offset + weightOffset[l];
      for (int j = 0; j < out; j++)
        for (int i = 0; i < in; i++) into[t + j * in + i] = params[w + i * out + j];
      t += in * out;
    }
  }

  /**
   * Back-propagates {@link Workspace#outputGradient()} of the last {@link #forward} and adds the
   * parameter gradients to {@code grad[offset..]} (same layout as the parameters); {@code
   * transposed} is what {@link #transpose} wrote for the same parameters.
   */
  public void backward(float[] transposed, Workspace ws, int batch, float[] grad, int offset) {
    int t = transposedSize();
    for (int l = sizes.length - 2; l >= 0; l--) {
      int in = sizes[l], out = sizes[l + 1];
      t -= in * out;
      float[] x = ws.activations[l], d = ws.deltas[l + 1], dx = ws.deltas[l];
      int w = offset + weightOffset[l], b = offset + biasOffset[l];
      for (int r = 0; r < batch; r++) {
        int dro = r * out, xo = r * in;
        for (int j = 0; j < out; j++) grad[b + j] += d[dro + j];
        for (int i = 0; i < in; i++) {
          float xi = x[xo + i];
          int wi = w + i * out;
          for (int j = 0; j < out; j++) grad[wi + j] += xi * d[dro + j];
        }
        if (l == 0) continue;
        java.util.Arrays.fill(dx, xo, xo + in, 0f);
        for (int j = 0; j < out; j++) {
          float dj = d[dro + j];
          int tj = t + j * in;
          for (int i = 0; i < in; i++) dx[xo + i] += transposed[tj + i] * dj;
        }
        for (int i = 0; i < in; i++)
          dx[xo + i] *= 1 - x[xo + i] * x[xo + i]; // x is tanh's output: tanh' = 1 - tanh^2
      }
    }
  }
}
