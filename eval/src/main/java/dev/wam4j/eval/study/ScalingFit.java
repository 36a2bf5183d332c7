package dev.wam4j.eval.study;

/**
 * Two fits of validation loss L against data size D (hours of video): the log-linear law {@code L =
 * a - b ln D} that EgoScale reports, and the power law {@code L = c D^-alpha}. Both by ordinary
 * least squares (the power law on ln L); {@code r2} of each is computed on L itself, so the two are
 * comparable.
 */
public record ScalingFit(
    double a, double b, double r2LogLinear, double c, double alpha, double r2Power, int points) {

  /**
   * @param hours data sizes, > 0, at least 2 distinct
   * @param loss the loss at each size, finite and > 0
   * @throws IllegalArgumentException naming the bad value
   */
  public static ScalingFit fit(double[] hours, double[] loss) {
    if (hours.length != loss.length || hours.length < 2) {
      throw new IllegalArgumentException(
          "scaling fit: need at least 2 (hours, loss) pairs of equal count, got "
              + hours.length
              + " and "
              + loss.length);
    }
    int n = hours.length;
    double[] x = new double[n], logL = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(hours[i] > 0) || !Double.isFinite(hours[i]))
        throw new IllegalArgumentException(
            "scaling fit: hours[" + i + "] = " + hours[i] + " must be finite and > 0");
      if (!(loss[i] > 0) || !Double.isFinite(loss[i]))
        throw new IllegalArgumentException(
            "scaling fit: loss[" + i + "] = " + loss[i] + " must be finite and > 0");
      x[i] = Math.log(hours[i]);
      logL[i] = Math.log(loss[i]);
    }
    double[] lin = line(x, loss); // loss = p0 + p1 ln D
    double[] pow = line(x, logL); // ln loss = q0 + q1 ln D
    double a = lin[0], b = -lin[1], c = Math.exp(pow[0]), alpha = -pow[1];
    double[] predLin = new double[n], predPow = new double[n];
    for (int i = 0; i < n; i++) {
      predLin[i] = a - b * x[i];
      predPow[i] = c * Math.exp(-alpha * x[i]);
    }
    return new ScalingFit(a, b, r2(loss, predLin), c, alpha, r2(loss, predPow), n);
  }

  /** Least-squares intercept and slope of y on x. */
  private static double[] line(double[] x, double[] y) {
    int n = x.length;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    if (sxx == 0)
      throw new IllegalArgumentException(
          "scaling fit: all data sizes are equal; need at least 2 distinct sizes");
    double slope = sxy / sxx;
    return new double[] {my - slope * mx, slope};
  }

  private static double r2(double[] y, double[] pred) {
    double my = 0;
    for (double v : y) my += v / y.length;
    double ssRes = 0, ssTot = 0;
    for (int i = 0; i < y.length; i++) {
      ssRes += (y[i] - pred[i]) * (y[i] - pred[i]);
      ssTot += (y[i] - my) * (y[i] - my);
    }
    return ssTot == 0 ? 1 : 1 - ssRes / ssTot;
  }

  /** The log-linear law's loss at {@code hours}. */
  public double logLinear(double hours) {
    return a - b * Math.log(hours);
  }

  /** The power law's loss at {@code hours}. */
  public double power(double hours) {
    return c * Math.pow(hours, -alpha);
  }
}
