package dev.wam4j.model.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MlpTest {
  /**
   * Loss = sum over rows and outputs of c_k * y_k: its gradient is backward's with output gradient
   * c.
   */
  private static double loss(Mlp net, float[] p, float[] x, int batch, float[] c) {
    Mlp.Workspace ws = net.workspace(batch);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    net.forward(p, 0, ws, batch);
    double l = 0;
    for (int i = 0; i < batch * net.outputs(); i++) l += c[i % c.length] * ws.output()[i];
    return l;
  }

  @Test
  void backwardMatchesFiniteDifferencesForEveryParameter() {
    Mlp net = new Mlp(3, 5, 4, 2);
    SplitMix rng = new SplitMix(7);
    float[] p = new float[net.parameters()];
    net.initialise(p, 0, rng, 1.0);
    for (int i = 0; i < p.length; i++) p[i] += (float) (0.1 * rng.nextGaussian()); // biases too
    int batch = 3;
    float[] x = new float[batch * 3], c = {0.7f, -1.3f};
    for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
    Mlp.Workspace ws = net.workspace(batch);
    System.arraycopy(x, 0, ws.input(), 0, x.length);
    net.forward(p, 0, ws, batch);
    for (int i = 0; i < batch * 2; i++) ws.outputGradient()[i] = c[i % 2];
    float[] t = new float[net.transposedSize()], g = new float[p.length];
    net.transpose(p, 0, t);
    net.backward(t, ws, batch, g, 0);
    for (int k = 0; k < p.length; k++) {
      float saved = p[k];
      double h = 1e-2;
      p[k] = (float) (saved + h);
      double up = loss(net, p, x, batch, c);
      p[k] = (float) (saved - h);
      double down = loss(net, p, x, batch, c);
      p[k] = saved;
      assertThat((double) g[k])
          .as("parameter %d", k)
          .isCloseTo((up - down) / (2 * h), within(2e-3 + 1e-2 * Math.abs(g[k])));
    }
  }

  @Test
  void theLastLayerIsLinearAndHiddenLayersAreTanh() {
    Mlp net = new Mlp(1, 1, 1);
    // w1 = 2, b1 = 0.5, w2 = 3, b2 = -1: y = 3 tanh(2x + 0.5) - 1
    float[] p = {2f, 0.5f, 3f, -1f};
    Mlp.Workspace ws = net.workspace(1);
    ws.input()[0] = 0.25f;
    net.forward(p, 0, ws, 1);
    assertThat((double) ws.output()[0]).isCloseTo(3 * Math.tanh(1.0) - 1, within(1e-6));
  }
}
